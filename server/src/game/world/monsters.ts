import { walkableTilesOf, type MonsterKind, type SpawnZone } from '@mmo/shared';
import type { CombatEvent, CombatPlayer, CombatWorld, Monster } from './combat-world.js';
import { tileDistance } from './combat.js';
import { advanceWalker } from './movement.js';
import { findPathNear } from './local-path.js';
import type { Point } from './pathfinding.js';
import { nextInt, type Rng } from './rng.js';

/** Idle monsters stroll to another tile of their zone every 3 to 8 seconds. */
const WANDER_MS = { min: 3000, max: 8000 } as const;

/** Fills every spawn zone of the area with its monsters (at world creation). */
export function spawnZoneMonsters(world: CombatWorld, now: number, rng: Rng): void {
  for (const zone of world.area.spawnZones) {
    const kind = world.kinds.get(zone.kind);
    // validateWorld refuses unknown kinds; a world built by hand with one simply has no monster there.
    if (!kind) continue;
    for (let i = 0; i < zone.count; i += 1) spawnMonster(world, zone, kind, now, rng);
  }
}

/** A new monster of `kind` on a random walkable tile of `zone`, idle, at full hit points. */
export function spawnMonster(world: CombatWorld, zone: SpawnZone, kind: MonsterKind, now: number, rng: Rng): Monster {
  world.sequence.monster += 1;
  const home = randomTileOf(world, zone, rng) ?? { x: zone.x, y: zone.y };
  const monster: Monster = {
    id: `m${world.sequence.monster}`,
    kind,
    zone,
    home,
    x: home.x,
    y: home.y,
    speed: kind.speed,
    intent: { kind: 'idle' },
    nextStepAt: now,
    fromRest: true,
    hp: kind.maxHp,
    state: 'idle',
    targetId: null,
    nextAttackAt: now,
    nextRepathAt: now,
    nextWanderAt: now + nextInt(rng, WANDER_MS.min, WANDER_MS.max),
    // Spread the scans of monsters created together over the scan interval.
    nextScanAt: now + nextInt(rng, 0, world.options.aggroScanMs),
    respawnAt: null,
    lastHitBy: null,
    chaseGoal: null,
  };
  world.monsters.set(monster.id, monster);
  return monster;
}

function randomTileOf(world: CombatWorld, zone: SpawnZone, rng: Rng): Point | undefined {
  const tiles = walkableTilesOf(world.area, zone);
  return tiles.length === 0 ? undefined : tiles[nextInt(rng, 0, tiles.length - 1)];
}

/** Walks every living monster along its intent (the `moveEntities` phase for monsters). */
export function moveMonsters(world: CombatWorld, now: number, events: CombatEvent[]): void {
  for (const monster of world.monsters.values()) {
    if (monster.state === 'dead' || !advanceWalker(monster, world.area, now, world.options.beatOffsetMs)) continue;
    events.push({ type: 'monsterMoved', monsterId: monster.id, x: monster.x, y: monster.y });
  }
}

/**
 * Each living monster's turn: idle ones wander inside their zone and look for the nearest
 * living player within their aggro radius; chasing ones follow their target (re-planning at
 * most every `repathMs`) and stop once in range, where `resolveCombat` lets them strike; they
 * give up and go home at full hit points when the target dies, leaves, or stands beyond the
 * leash radius from home; those walking home become idle on arrival.
 */
export function runMonsterAi(world: CombatWorld, now: number, rng: Rng, events: CombatEvent[]): void {
  for (const monster of world.monsters.values()) {
    switch (monster.state) {
      case 'dead':
        break;
      case 'idle':
        thinkIdle(world, monster, now, rng, events);
        break;
      case 'chase':
        thinkChase(world, monster, now, events);
        break;
      case 'return':
        if (monster.x === monster.home.x && monster.y === monster.home.y) {
          monster.state = 'idle';
          monster.nextWanderAt = now + nextInt(rng, WANDER_MS.min, WANDER_MS.max);
        } else if (monster.intent.kind === 'idle') {
          // The path home was cut short (a blocked step): walk again, or appear there if none.
          walkHome(world, monster, events);
        }
        break;
    }
  }
}

function thinkIdle(world: CombatWorld, monster: Monster, now: number, rng: Rng, events: CombatEvent[]): void {
  if (now >= monster.nextScanAt) {
    monster.nextScanAt = now + world.options.aggroScanMs;
    const target = nearestPlayer(world, monster, monster.kind.aggroRadius);
    if (target) {
      startChase(world, monster, target, now, events);
      return;
    }
  }
  if (now >= monster.nextWanderAt && monster.intent.kind === 'idle') {
    monster.nextWanderAt = now + nextInt(rng, WANDER_MS.min, WANDER_MS.max);
    const to = randomTileOf(world, monster.zone, rng);
    const steps = to ? findPathNear(world.area, monster, to, Math.max(monster.zone.width, monster.zone.height)) : null;
    if (steps && steps.length > 0) monster.intent = { kind: 'path', steps };
  }
}

/** The nearest living player within `radius` tiles (the first found among equals). */
function nearestPlayer(world: CombatWorld, from: Point, radius: number): CombatPlayer | undefined {
  let best: CombatPlayer | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  world.playerGrid.forEachNear(from, radius, (id) => {
    const player = world.players.get(id);
    if (!player || player.respawnAt !== null) return;
    const distance = tileDistance(from, player.at);
    if (distance <= radius && distance < bestDistance) {
      best = player;
      bestDistance = distance;
    }
  });
  return best;
}

/** Turns a monster on a player; its first path is planned on its next turn. */
export function startChase(_world: CombatWorld, monster: Monster, target: CombatPlayer, now: number, events: CombatEvent[]): void {
  monster.state = 'chase';
  monster.targetId = target.id;
  monster.chaseGoal = null;
  monster.intent = { kind: 'idle' };
  monster.nextRepathAt = now;
  events.push({ type: 'aggro', monsterId: monster.id, targetId: target.id });
}

function thinkChase(world: CombatWorld, monster: Monster, now: number, events: CombatEvent[]): void {
  const target = monster.targetId === null ? undefined : world.players.get(monster.targetId);
  if (!target || target.respawnAt !== null || tileDistance(target.at, monster.home) > monster.kind.leashRadius) {
    leash(world, monster, now, events);
    return;
  }
  if (tileDistance(monster, target.at) <= monster.kind.attackRange) {
    // In reach: stand and strike (resolveCombat). When the target steps away, the next plan
    // still waits for `nextRepathAt`, so a target dancing at the edge of reach costs no more
    // searches than one running away.
    monster.intent = { kind: 'idle' };
    return;
  }
  if (now < monster.nextRepathAt) return;
  monster.nextRepathAt = now + world.options.repathMs;
  // A path still under way towards a target that has not moved needs no new search.
  const goal = monster.chaseGoal;
  if (monster.intent.kind === 'path' && goal && goal.x === target.at.x && goal.y === target.at.y) return;
  monster.chaseGoal = { x: target.at.x, y: target.at.y };
  // The search is bounded by the leash: a target beyond it is given up above anyway.
  const steps = findPathNear(world.area, monster, target.at, monster.kind.leashRadius * 2);
  if (steps === null) {
    leash(world, monster, now, events);
    return;
  }
  // Stop short of the target's own tile; it is reached when within range.
  steps.pop();
  monster.intent = steps.length > 0 ? { kind: 'path', steps } : { kind: 'idle' };
}

/**
 * Gives up the chase: full hit points at once, walking home, not to be hit on the way (so a
 * player cannot pull a monster away and wear it down out of its zone).
 */
export function leash(world: CombatWorld, monster: Monster, _now: number, events: CombatEvent[]): void {
  monster.state = 'return';
  monster.targetId = null;
  monster.hp = monster.kind.maxHp;
  monster.lastHitBy = null;
  events.push({ type: 'leash', monsterId: monster.id, hp: monster.hp });
  walkHome(world, monster, events);
}

function walkHome(world: CombatWorld, monster: Monster, events: CombatEvent[]): void {
  const steps = findPathNear(world.area, monster, monster.home, monster.kind.leashRadius * 3);
  if (steps && steps.length > 0) {
    monster.intent = { kind: 'path', steps };
    return;
  }
  // No way back on foot (walled off meanwhile): it reappears at home rather than stay stuck.
  monster.x = monster.home.x;
  monster.y = monster.home.y;
  monster.intent = { kind: 'idle' };
  events.push({ type: 'monsterMoved', monsterId: monster.id, x: monster.x, y: monster.y });
}

/** Brings back the monsters whose respawn time has come, somewhere else in their zone. */
export function respawnMonsters(world: CombatWorld, now: number, rng: Rng, events: CombatEvent[]): void {
  for (const monster of world.monsters.values()) {
    if (monster.state !== 'dead' || monster.respawnAt === null || now < monster.respawnAt) continue;
    const home = randomTileOf(world, monster.zone, rng) ?? monster.home;
    Object.assign(monster, {
      home,
      x: home.x,
      y: home.y,
      hp: monster.kind.maxHp,
      state: 'idle',
      targetId: null,
      intent: { kind: 'idle' },
      nextStepAt: now,
      fromRest: true,
      nextAttackAt: now,
      nextWanderAt: now + nextInt(rng, WANDER_MS.min, WANDER_MS.max),
      nextScanAt: now,
      respawnAt: null,
      lastHitBy: null,
    } satisfies Partial<Monster>);
    events.push({ type: 'monsterSpawned', monsterId: monster.id, kind: monster.kind.id, x: monster.x, y: monster.y, hp: monster.hp });
  }
}
