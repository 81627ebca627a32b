import { CLASS_ATTACK, COMBAT_RULES, ErrorCode, type Stats, type CharacterClass } from '@mmo/shared';
import type { AttackIntent, CombatEvent, CombatPlayer, CombatWorld, Monster } from './combat-world.js';
import { spawnDrops, rollLoot } from './loot.js';
import { leash, startChase } from './monsters.js';
import type { Point } from './pathfinding.js';
import { killPlayer, partyInInstance, shareXp } from './progression.js';
import { nextFloat, type Rng } from './rng.js';

/** A refused action: the code and message the room sends back in `error`. */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** The outcome of an action a player asked for. */
export type ActionResult<T = object> = ({ ok: true } & T) | Refusal;

export function refuse(code: ErrorCode, message: string): Refusal {
  return { ok: false, code, message };
}

/** Distance in tiles as entities walk: the larger of the two axis distances (a king's moves). */
export function tileDistance(a: Point, b: Point): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y));
}

/** A character's striking power: its attack attribute plus half its class's main attribute. */
export function attackPowerOf(characterClass: CharacterClass, stats: Stats): number {
  return stats.attack + Math.floor(stats[CLASS_ATTACK[characterClass].stat] / 2);
}

/**
 * Damage of one hit: power scaled by `power / (power + defense)` (defense softens blows but never
 * cancels them), times a random factor in `1 ± damageVariance`, at least 1.
 */
export function rollDamage(power: number, defense: number, rng: Rng): number {
  const base = power <= 0 ? 0 : (power * power) / (power + Math.max(0, defense));
  const factor = 1 + (nextFloat(rng) * 2 - 1) * COMBAT_RULES.damageVariance;
  return Math.max(1, Math.round(base * factor));
}

/**
 * Checks a player's `attack {targetId}` and queues the swing for the next tick, starting the
 * class's cooldown. Refused: a dead player (`PLAYER_DEAD`), an unknown or dead target
 * (`TARGET_NOT_FOUND`), one walking home (`TARGET_EVADING`), one beyond the class's range
 * (`TARGET_OUT_OF_RANGE`), or a swing before the cooldown ends (`ATTACK_ON_COOLDOWN`).
 */
export function queueAttack(world: CombatWorld, playerId: string, targetId: string, now: number): ActionResult {
  const player = world.players.get(playerId);
  if (!player) return refuse(ErrorCode.TARGET_NOT_FOUND, 'You are not in this area.');
  if (player.respawnAt !== null) return refuse(ErrorCode.PLAYER_DEAD, 'You are dead; wait to come back.');
  if (targetId === playerId) return refuse(ErrorCode.CANNOT_TARGET_SELF, 'You cannot attack yourself.');
  const monster = world.monsters.get(targetId);
  if (!monster || monster.state === 'dead') return refuse(ErrorCode.TARGET_NOT_FOUND, 'There is nothing to attack there.');
  if (monster.state === 'return') return refuse(ErrorCode.TARGET_EVADING, 'The monster is returning home and cannot be hit.');
  const rules = CLASS_ATTACK[player.class];
  if (tileDistance(player.at, monster) > rules.range) {
    return refuse(ErrorCode.TARGET_OUT_OF_RANGE, `The target is out of range (${rules.range} ${rules.range === 1 ? 'tile' : 'tiles'} for a ${player.class}).`);
  }
  if (now < player.nextAttackAt) return refuse(ErrorCode.ATTACK_ON_COOLDOWN, 'You cannot attack again yet.');
  player.nextAttackAt = now + rules.cooldownMs;
  world.attacks.push({ playerId, targetId });
  return { ok: true };
}

/**
 * Lands the players' swings queued since the last tick, then the monsters' (a monster killed by
 * a player in this tick does not strike back). A swing whose attacker died or whose target died
 * or turned home in the meantime is dropped.
 */
export function resolveCombat(world: CombatWorld, swings: readonly AttackIntent[], now: number, rng: Rng, events: CombatEvent[]): void {
  for (const swing of swings) {
    const player = world.players.get(swing.playerId);
    const monster = world.monsters.get(swing.targetId);
    if (!player || player.respawnAt !== null || !monster || monster.state === 'dead' || monster.state === 'return') continue;
    hitMonster(world, player, monster, now, rng, events);
  }
  for (const monster of world.monsters.values()) {
    if (monster.state !== 'chase' || monster.targetId === null || now < monster.nextAttackAt) continue;
    const target = world.players.get(monster.targetId);
    if (!target || target.respawnAt !== null || tileDistance(monster, target.at) > monster.kind.attackRange) continue;
    monster.nextAttackAt = now + monster.kind.attackCooldownMs;
    hitPlayer(world, monster, target, now, rng, events);
  }
}

function hitMonster(world: CombatWorld, player: CombatPlayer, monster: Monster, now: number, rng: Rng, events: CombatEvent[]): void {
  const damage = Math.min(monster.hp, rollDamage(attackPowerOf(player.class, player.stats), monster.kind.defense, rng));
  monster.hp -= damage;
  monster.lastHitBy = player.id;
  player.lastCombatAt = now;
  events.push({ type: 'hit', attackerId: player.id, attackerKind: 'player', targetId: monster.id, targetKind: 'monster', damage, hp: monster.hp });
  if (monster.hp <= 0) {
    killMonster(world, monster, player, now, rng, events);
    return;
  }
  // A monster struck from beyond its aggro radius (an arrow) turns on its attacker.
  if (monster.state === 'idle') startChase(world, monster, player, now, events);
}

function hitPlayer(world: CombatWorld, monster: Monster, player: CombatPlayer, now: number, rng: Rng, events: CombatEvent[]): void {
  const damage = Math.min(player.hp, rollDamage(monster.kind.attack, player.stats.defense, rng));
  player.hp -= damage;
  player.lastCombatAt = now;
  events.push({ type: 'hit', attackerId: monster.id, attackerKind: 'monster', targetId: player.id, targetKind: 'player', damage, hp: player.hp });
  if (player.hp > 0) return;
  killPlayer(world, player, monster.id, now, events);
  // Its hunter goes home at once instead of standing over the body.
  leash(world, monster, now, events);
}

/**
 * A monster's death: a new death id (instance id + sequence), experience for the killer and the
 * party members near it (recorded once per character in the reward ledger), loot on the ground
 * reserved for the killer and its party in the instance for a while, and a respawn timer.
 */
export function killMonster(world: CombatWorld, monster: Monster, killer: CombatPlayer, now: number, rng: Rng, events: CombatEvent[]): void {
  world.sequence.death += 1;
  const deathId = `${world.instanceId}:${world.sequence.death}`;
  monster.state = 'dead';
  monster.hp = 0;
  monster.targetId = null;
  monster.intent = { kind: 'idle' };
  monster.respawnAt = now + monster.kind.respawnMs;
  events.push({ type: 'monsterDied', monsterId: monster.id, kind: monster.kind.id, killerId: killer.id, deathId, x: monster.x, y: monster.y });
  shareXp(world, killer, monster, deathId, events);
  const owners = new Set(partyInInstance(world, killer).map((player) => player.characterId));
  spawnDrops(world, deathId, rollLoot(monster.kind.loot, rng), monster, owners, now, events);
}
