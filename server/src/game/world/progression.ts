import { COMBAT_RULES, deriveStats, ErrorCode, ITEMS, maxHitPoints, xpForLevel } from '@mmo/shared';
import type { CombatEvent, CombatPlayer, CombatWorld, Monster } from './combat-world.js';
import { refuse, tileDistance, type ActionResult } from './combat.js';
import { addXp, recordGrant, rewardKey } from './rewards.js';

/** The player and the members of its party that are in this instance (the player first). */
export function partyInInstance(world: CombatWorld, player: CombatPlayer): CombatPlayer[] {
  if (player.partyId === null) return [player];
  const members = [player];
  for (const other of world.players.values()) {
    if (other !== player && other.partyId === player.partyId) members.push(other);
  }
  return members;
}

/**
 * Splits a dead monster's experience between the killer and the living party members in this
 * instance within `xpShareRadius` of the body. Each extra member adds `partyXpBonus` to the pot,
 * which is split evenly (rounded down, at least 1 each when the monster is worth anything).
 * Every share is recorded in the reward ledger under `deathId/characterId` before it is applied,
 * so it is given once. Returns who received a share.
 */
export function shareXp(world: CombatWorld, killer: CombatPlayer, monster: Monster, deathId: string, events: CombatEvent[]): CombatPlayer[] {
  const recipients = partyInInstance(world, killer).filter(
    (member) => member === killer || (member.respawnAt === null && tileDistance(member.at, monster) <= COMBAT_RULES.xpShareRadius),
  );
  const pot = Math.round(monster.kind.xp * (1 + COMBAT_RULES.partyXpBonus * (recipients.length - 1)));
  const share = monster.kind.xp === 0 ? 0 : Math.max(1, Math.floor(pot / recipients.length));
  for (const member of recipients) {
    const kills = member === killer ? 1 : 0;
    const grant = { key: rewardKey(deathId, member.characterId), deathId, characterId: member.characterId, xp: share, kills };
    if (!recordGrant(world.rewards, grant)) continue;
    member.monstersDefeated += kills;
    gainXp(member, share, deathId, events);
  }
  return recipients;
}

/**
 * Adds experience to a player along the shared curve; each level reached raises its maximum
 * hit points and attributes and fills its hit points.
 */
export function gainXp(player: CombatPlayer, amount: number, deathId: string, events: CombatEvent[]): void {
  const { xp, levelsReached } = addXp(player.level, player.xp, amount);
  player.xp = xp;
  for (const reached of levelsReached) {
    player.level = reached;
    player.maxHp = maxHitPoints(player.class, reached);
    player.hp = player.maxHp;
    events.push({ type: 'levelUp', playerId: player.id, level: reached, maxHp: player.maxHp });
  }
  if (levelsReached.length > 0) player.stats = deriveStats(player.class, player.level, player.equipped);
  events.push({ type: 'xp', playerId: player.id, amount, xp: player.xp, level: player.level, deathId });
}

/**
 * The experience a death costs: `deathXpLoss` of what the current level takes, but never more
 * than the player has within it, so a death never costs a level.
 */
export function deathXpLoss(level: number, xp: number): number {
  return Math.min(xp, Math.floor(xpForLevel(level) * COMBAT_RULES.deathXpLoss));
}

/** A player's death: the experience loss, no more attacks queued, back in `playerRespawnMs`. */
export function killPlayer(world: CombatWorld, player: CombatPlayer, killerId: string | null, now: number, events: CombatEvent[]): void {
  const xpLost = deathXpLoss(player.level, player.xp);
  player.xp -= xpLost;
  player.hp = 0;
  player.respawnAt = now + COMBAT_RULES.playerRespawnMs;
  world.playerGrid.remove(player.id);
  for (let i = world.attacks.length - 1; i >= 0; i -= 1) if (world.attacks[i]!.playerId === player.id) world.attacks.splice(i, 1);
  events.push({ type: 'playerDied', playerId: player.id, killerId, xpLost, respawnAt: player.respawnAt });
}

/**
 * Brings back the dead players whose time has come, with full hit points. The event names the
 * area's spawn: the room moves the player there through the movement simulation, which owns
 * positions.
 */
export function respawnPlayers(world: CombatWorld, now: number, events: CombatEvent[]): void {
  for (const player of world.players.values()) {
    if (player.respawnAt === null || now < player.respawnAt) continue;
    player.respawnAt = null;
    player.hp = player.maxHp;
    player.lastCombatAt = Number.NEGATIVE_INFINITY;
    player.nextRegenAt = now;
    events.push({ type: 'playerRespawned', playerId: player.id, x: world.area.spawn.x, y: world.area.spawn.y, hp: player.hp });
  }
}

/**
 * Out of combat (no damage dealt or taken for `outOfCombatMs`), living players regain
 * `regenShare` of their maximum hit points (at least 1) every `regenIntervalMs`.
 */
export function regenerate(world: CombatWorld, now: number, events: CombatEvent[]): void {
  for (const player of world.players.values()) {
    if (player.respawnAt !== null || player.hp >= player.maxHp) continue;
    if (now - player.lastCombatAt < COMBAT_RULES.outOfCombatMs || now < player.nextRegenAt) continue;
    player.nextRegenAt = now + COMBAT_RULES.regenIntervalMs;
    const amount = Math.min(player.maxHp - player.hp, Math.max(1, Math.round(player.maxHp * COMBAT_RULES.regenShare)));
    player.hp += amount;
    events.push({ type: 'healed', playerId: player.id, amount, hp: player.hp, source: 'regen' });
  }
}

/**
 * Drinks a potion (`use {slot}`, the caller having read `itemId` from the slot): heals by the
 * item's `heal` up to the maximum. Refused for a dead player (`PLAYER_DEAD`), an item that heals
 * nothing (`ITEM_NOT_USABLE`) or within `potionCooldownMs` of the last (`ITEM_ON_COOLDOWN`). On
 * success the caller takes one from the slot; the next tick reports `healed`.
 */
export function drinkPotion(world: CombatWorld, playerId: string, itemId: string, now: number): ActionResult<{ healed: number }> {
  const player = world.players.get(playerId);
  if (!player) return refuse(ErrorCode.ITEM_NOT_USABLE, 'You are not in this area.');
  if (player.respawnAt !== null) return refuse(ErrorCode.PLAYER_DEAD, 'You are dead; wait to come back.');
  const item = ITEMS.get(itemId);
  if (!item || item.kind !== 'consumable' || item.heal === undefined) return refuse(ErrorCode.ITEM_NOT_USABLE, 'That item cannot be used.');
  if (now < player.nextPotionAt) return refuse(ErrorCode.ITEM_ON_COOLDOWN, 'You cannot use that again yet.');
  player.nextPotionAt = now + COMBAT_RULES.potionCooldownMs;
  const healed = Math.min(item.heal, player.maxHp - player.hp);
  player.hp += healed;
  world.pending.push({ type: 'healed', playerId, amount: healed, hp: player.hp, source: 'potion' });
  return { ok: true, healed };
}
