import type { CombatEventView, DropView, MonsterView } from '@mmo/shared';
import type { CombatEvent, CombatPlayer, Drop, Monster } from './combat-world.js';
import type { Progress } from './rewards.js';

/** What a client sees of a monster (`MonsterView`), as plain data for the room's schema. */
export function monsterView(monster: Monster): MonsterView {
  return { kind: monster.kind.id, hp: monster.hp, maxHp: monster.kind.maxHp, x: monster.x, y: monster.y };
}

/** What a client sees of a drop (`DropView`): gold has an empty item id. */
export function dropView(drop: Drop): DropView {
  return { itemId: drop.itemId ?? '', quantity: drop.quantity, x: drop.x, y: drop.y };
}

/** What a player's character saves of combat: its progress and hit points (full if dead). */
export function progressOf(player: CombatPlayer): Progress & { hp: number } {
  return { level: player.level, xp: player.xp, monstersDefeated: player.monstersDefeated, hp: player.respawnAt === null ? player.hp : player.maxHp };
}

/**
 * How one event reaches clients: as an entry of a `combat` message (`wire`), seen by whoever
 * sees the entity `about` (a player's own experience, loot and respawn go to that player
 * alone: `onlyTo`), or not as a message at all (`wire: null`: movements, aggro, spawns and
 * drops on the ground travel as state changes of `monsters` and `drops`). Exhaustive: a new
 * event that is not handled here does not compile.
 */
export function combatEventView(event: CombatEvent): { wire: CombatEventView | null; about: string; onlyTo?: string } {
  switch (event.type) {
    case 'hit':
      return { wire: { type: 'hit', attackerId: event.attackerId, targetId: event.targetId, targetKind: event.targetKind, damage: event.damage }, about: event.targetId };
    case 'monsterDied':
      return { wire: { type: 'death', id: event.monsterId, kind: 'monster', killerId: event.killerId }, about: event.monsterId };
    case 'playerDied':
      return { wire: { type: 'death', id: event.playerId, kind: 'player', killerId: event.killerId }, about: event.playerId };
    case 'xp':
      return { wire: { type: 'xp', playerId: event.playerId, amount: event.amount, xp: event.xp, level: event.level }, about: event.playerId, onlyTo: event.playerId };
    case 'levelUp':
      return { wire: { ...event }, about: event.playerId };
    case 'healed':
      return { wire: { type: 'heal', playerId: event.playerId, amount: event.amount, hp: event.hp }, about: event.playerId };
    case 'playerRespawned':
      return { wire: { type: 'respawn', playerId: event.playerId, x: event.x, y: event.y, hp: event.hp }, about: event.playerId, onlyTo: event.playerId };
    case 'monsterMoved':
    case 'aggro':
    case 'leash':
    case 'monsterSpawned':
      return { wire: null, about: event.monsterId };
    case 'dropSpawned':
    case 'dropExpired':
      return { wire: null, about: event.dropId };
    case 'dropTaken':
      return { wire: null, about: event.dropId, onlyTo: event.playerId };
    default:
      return assertNever(event);
  }
}

/** The loot message of a pickup, for the player who took it (the room sends it once saved). */
export function lootView(playerId: string, drop: Drop): CombatEventView {
  return { type: 'loot', playerId, itemId: drop.itemId, quantity: drop.quantity };
}

function assertNever(value: never): never {
  throw new Error(`Unhandled combat event ${JSON.stringify(value)}`);
}
