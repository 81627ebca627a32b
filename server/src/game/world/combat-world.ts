import {
  deriveStats,
  loadMonsterKinds,
  maxHitPoints,
  type Area,
  type CharacterClass,
  type MonsterKind,
  type SpawnZone,
  type Stats,
} from '@mmo/shared';
import { SpatialGrid } from './interest.js';
import { resolveCombat } from './combat.js';
import { expireDrops } from './loot.js';
import { moveMonsters, respawnMonsters, runMonsterAi, spawnZoneMonsters } from './monsters.js';
import type { Point } from './pathfinding.js';
import { regenerate, respawnPlayers } from './progression.js';
import { createRewardLedger, type RewardLedger } from './rewards.js';
import type { Rng } from './rng.js';
import type { Walker } from './movement.js';

/**
 * A player as combat sees it. Its position is `at`, a live reference to the player of the
 * movement simulation (`SimPlayer`), so combat reads where it stands without copying it.
 */
export interface CombatPlayer {
  /** The same id as in the movement simulation (the session id). */
  id: string;
  characterId: string;
  /** Party members share experience and loot; null outside a party. */
  partyId: string | null;
  class: CharacterClass;
  level: number;
  /** Experience within the current level. */
  xp: number;
  hp: number;
  maxHp: number;
  stats: Stats;
  equipped: readonly string[];
  at: Point;
  nextAttackAt: number;
  nextPotionAt: number;
  /** Last time it dealt or took damage; regeneration waits for `outOfCombatMs` after it. */
  lastCombatAt: number;
  nextRegenAt: number;
  /** Set while dead: when it comes back at the area's spawn. */
  respawnAt: number | null;
  monstersDefeated: number;
}

/** What a monster is doing. `return`: walking home at full hit points, not to be hit. */
export type MonsterState = 'idle' | 'chase' | 'return' | 'dead';

export interface Monster extends Walker {
  id: string;
  kind: MonsterKind;
  zone: SpawnZone;
  /** Where it appeared; it wanders around its zone and comes back here after a chase. */
  home: Point;
  hp: number;
  state: MonsterState;
  targetId: string | null;
  nextAttackAt: number;
  /** A chase asks the pathfinder again no sooner than this. */
  nextRepathAt: number;
  nextWanderAt: number;
  /** An idle monster looks for players around it no sooner than this. */
  nextScanAt: number;
  respawnAt: number | null;
  /** The player who hit it last: its killer if that hit was the last. */
  lastHitBy: string | null;
  /** The target's tile when the chase path was planned. */
  chaseGoal: Point | null;
}

/** One stack of an item (or gold when `itemId` is null) on the ground. */
export interface Drop {
  id: string;
  deathId: string;
  itemId: string | null;
  quantity: number;
  x: number;
  y: number;
  /** Characters that may pick it up before `freeAt`: the killer and its party in the instance. */
  owners: ReadonlySet<string>;
  freeAt: number;
  expiresAt: number;
}

/** Everything a combat tick (or an action between ticks) can produce, for the room to show. */
export type CombatEvent =
  | { type: 'hit'; attackerId: string; attackerKind: 'player' | 'monster'; targetId: string; targetKind: 'player' | 'monster'; damage: number; hp: number }
  | { type: 'monsterMoved'; monsterId: string; x: number; y: number }
  | { type: 'aggro'; monsterId: string; targetId: string }
  | { type: 'leash'; monsterId: string; hp: number }
  | { type: 'monsterDied'; monsterId: string; kind: string; killerId: string | null; deathId: string; x: number; y: number }
  | { type: 'monsterSpawned'; monsterId: string; kind: string; x: number; y: number; hp: number }
  | { type: 'playerDied'; playerId: string; killerId: string | null; xpLost: number; respawnAt: number }
  | { type: 'playerRespawned'; playerId: string; x: number; y: number; hp: number }
  | { type: 'xp'; playerId: string; amount: number; xp: number; level: number; deathId: string }
  | { type: 'levelUp'; playerId: string; level: number; maxHp: number }
  | { type: 'dropSpawned'; dropId: string; itemId: string | null; quantity: number; x: number; y: number }
  | { type: 'dropTaken'; dropId: string; playerId: string }
  | { type: 'dropExpired'; dropId: string }
  | { type: 'healed'; playerId: string; amount: number; hp: number; source: 'regen' | 'potion' };

/** A swing a player asked for, checked when asked (`queueAttack`) and landed in the next tick. */
export interface AttackIntent {
  playerId: string;
  targetId: string;
}

export interface CombatWorldOptions {
  /** A chase asks the pathfinder at most this often (ms). */
  repathMs: number;
  /** An idle monster looks for players at most this often (ms). */
  aggroScanMs: number;
  /** Cell size of the spatial grids, in tiles. */
  gridCell: number;
  /** Where the instance's movement beat falls (`STEP_BEAT_MS`): the players' (`AreaSimulation`). */
  beatOffsetMs: number;
}

export const DEFAULT_COMBAT_OPTIONS: CombatWorldOptions = { repathMs: 500, aggroScanMs: 250, gridCell: 8, beatOffsetMs: 0 };

/** The monsters, drops and fighting players of one area instance. */
export interface CombatWorld {
  readonly area: Area;
  /** Unique per instance (room id); monster death ids start with it. */
  readonly instanceId: string;
  readonly kinds: ReadonlyMap<string, MonsterKind>;
  readonly players: Map<string, CombatPlayer>;
  readonly monsters: Map<string, Monster>;
  readonly drops: Map<string, Drop>;
  /** Living players, for aggro. */
  readonly playerGrid: SpatialGrid;
  readonly rewards: RewardLedger;
  readonly attacks: AttackIntent[];
  /** Events produced between ticks (pickups, potions), handed out by the next tick. */
  readonly pending: CombatEvent[];
  readonly options: CombatWorldOptions;
  /** Counters of ids given out: monsters, drops, deaths. */
  readonly sequence: { monster: number; drop: number; death: number };
}

/** A combat world for `area` with every spawn zone filled. */
export function createCombatWorld(
  area: Area,
  init: { instanceId: string; now: number; rng: Rng; kinds?: ReadonlyMap<string, MonsterKind>; options?: Partial<CombatWorldOptions> },
): CombatWorld {
  const options = { ...DEFAULT_COMBAT_OPTIONS, ...init.options };
  const world: CombatWorld = {
    area,
    instanceId: init.instanceId,
    kinds: init.kinds ?? loadMonsterKinds(),
    players: new Map(),
    monsters: new Map(),
    drops: new Map(),
    playerGrid: new SpatialGrid(options.gridCell),
    rewards: createRewardLedger(),
    attacks: [],
    pending: [],
    options,
    sequence: { monster: 0, drop: 0, death: 0 },
  };
  spawnZoneMonsters(world, init.now, init.rng);
  return world;
}

/** What a character brings into combat when it joins the instance. */
export interface CombatPlayerInit {
  id: string;
  characterId: string;
  partyId?: string | null;
  class: CharacterClass;
  level: number;
  xp: number;
  /** Saved hit points; full when absent. A saved 0 (left while dead) comes back with full. */
  hp?: number;
  equipped: readonly string[];
  monstersDefeated?: number;
  at: Point;
  now: number;
}

export function addCombatPlayer(world: CombatWorld, init: CombatPlayerInit): CombatPlayer {
  const maxHp = maxHitPoints(init.class, init.level);
  const player: CombatPlayer = {
    id: init.id,
    characterId: init.characterId,
    partyId: init.partyId ?? null,
    class: init.class,
    level: init.level,
    xp: init.xp,
    hp: init.hp !== undefined && init.hp > 0 ? Math.min(init.hp, maxHp) : maxHp,
    maxHp,
    stats: deriveStats(init.class, init.level, init.equipped),
    equipped: [...init.equipped],
    at: init.at,
    nextAttackAt: init.now,
    nextPotionAt: init.now,
    lastCombatAt: Number.NEGATIVE_INFINITY,
    nextRegenAt: init.now,
    respawnAt: null,
    monstersDefeated: init.monstersDefeated ?? 0,
  };
  world.players.set(player.id, player);
  world.playerGrid.set(player.id, player.at);
  return player;
}

/** Takes a player out (left, transferred); monsters chasing it go home on their next turn. */
export function removeCombatPlayer(world: CombatWorld, id: string): void {
  world.players.delete(id);
  world.playerGrid.remove(id);
  for (let i = world.attacks.length - 1; i >= 0; i -= 1) if (world.attacks[i]!.playerId === id) world.attacks.splice(i, 1);
}

/** A player joined or left a party while in the instance. */
export function setPlayerParty(world: CombatWorld, id: string, partyId: string | null): void {
  const player = world.players.get(id);
  if (player) player.partyId = partyId;
}

/** A player's equipment changed: its attributes (attack, defense) follow. */
export function setPlayerEquipment(world: CombatWorld, id: string, equipped: readonly string[]): void {
  const player = world.players.get(id);
  if (!player) return;
  player.equipped = [...equipped];
  player.stats = deriveStats(player.class, player.level, player.equipped);
}

/** Whether a player is dead (waiting to respawn): the room ignores its movement meanwhile. */
export function isPlayerDead(player: Pick<CombatPlayer, 'respawnAt'>): boolean {
  return player.respawnAt !== null;
}

/**
 * One fixed step of combat in an area instance, after the movement simulation's own tick:
 * `applyInputs → indexPlayers → moveEntities → runMonsterAi → resolveCombat → respawn →
 * regenerate → flushEvents`. Returns what happened, in order.
 */
export function stepCombatWorld(world: CombatWorld, now: number, rng: Rng): CombatEvent[] {
  const events: CombatEvent[] = [];
  const swings = applyInputs(world);
  indexPlayers(world);
  moveMonsters(world, now, events);
  runMonsterAi(world, now, rng, events);
  resolveCombat(world, swings, now, rng, events);
  respawn(world, now, rng, events);
  regenerate(world, now, events);
  return flushEvents(world, events);
}

/** Takes the attacks queued since the last tick. */
function applyInputs(world: CombatWorld): AttackIntent[] {
  return world.attacks.splice(0, world.attacks.length);
}

/** Puts living players where the movement simulation moved them, for aggro scans. */
function indexPlayers(world: CombatWorld): void {
  for (const player of world.players.values()) {
    if (player.respawnAt === null) world.playerGrid.set(player.id, player.at);
  }
}

function respawn(world: CombatWorld, now: number, rng: Rng, events: CombatEvent[]): void {
  respawnMonsters(world, now, rng, events);
  respawnPlayers(world, now, events);
  expireDrops(world, now, events);
}

/** Events from between ticks come first, in the order they happened. */
function flushEvents(world: CombatWorld, events: CombatEvent[]): CombatEvent[] {
  if (world.pending.length === 0) return events;
  return [...world.pending.splice(0, world.pending.length), ...events];
}
