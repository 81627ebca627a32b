import { COMBAT_RULES, ErrorCode, INVENTORY_CAPACITY, ITEMS, type LootTable } from '@mmo/shared';
import type { CombatEvent, CombatWorld, Drop } from './combat-world.js';
import { refuse, tileDistance, type ActionResult } from './combat.js';
import type { Point } from './pathfinding.js';
import { chance, nextInt, type Rng } from './rng.js';

/** What one roll of a loot table gives: gold (maybe 0) and item stacks. */
export interface Loot {
  gold: number;
  items: Array<{ itemId: string; quantity: number }>;
}

/** Rolls a loot table: gold uniform in its range, each item independently with its chance. */
export function rollLoot(table: LootTable, rng: Rng): Loot {
  const gold = nextInt(rng, table.gold.min, table.gold.max);
  const items: Loot['items'] = [];
  for (const entry of table.items) {
    if (chance(rng, entry.chance)) items.push({ itemId: entry.itemId, quantity: nextInt(rng, entry.min, entry.max) });
  }
  return { gold, items };
}

/**
 * Puts loot on the ground at `at`: one drop per item stack and one for the gold, all reserved
 * for `owners` (character ids) for `dropOwnerMs`, then free to anyone, gone after `dropExpireMs`.
 */
export function spawnDrops(world: CombatWorld, deathId: string, loot: Loot, at: Point, owners: ReadonlySet<string>, now: number, events: CombatEvent[]): Drop[] {
  const stacks: Array<{ itemId: string | null; quantity: number }> = [...loot.items];
  if (loot.gold > 0) stacks.push({ itemId: null, quantity: loot.gold });
  return stacks.map((stack) => {
    world.sequence.drop += 1;
    const drop: Drop = {
      id: `d${world.sequence.drop}`,
      deathId,
      itemId: stack.itemId,
      quantity: stack.quantity,
      x: at.x,
      y: at.y,
      owners,
      freeAt: now + COMBAT_RULES.dropOwnerMs,
      expiresAt: now + COMBAT_RULES.dropExpireMs,
    };
    world.drops.set(drop.id, drop);
    events.push({ type: 'dropSpawned', dropId: drop.id, itemId: drop.itemId, quantity: drop.quantity, x: drop.x, y: drop.y });
    return drop;
  });
}

/**
 * Checks `pickup {dropId}` without taking anything: the player must be alive, the drop there
 * (`DROP_NOT_FOUND`), on the player's tile or next to it (`DROP_OUT_OF_RANGE`), and either free
 * or reserved for this character (`DROP_NOT_YOURS`). The caller then puts the drop into the
 * inventory or purse (saving it) and calls `takeDrop`; if the inventory is full, it leaves the
 * drop where it is.
 */
export function checkPickup(world: CombatWorld, playerId: string, dropId: string, now: number): ActionResult<{ drop: Drop }> {
  const player = world.players.get(playerId);
  if (!player) return refuse(ErrorCode.DROP_NOT_FOUND, 'You are not in this area.');
  if (player.respawnAt !== null) return refuse(ErrorCode.PLAYER_DEAD, 'You are dead; wait to come back.');
  const drop = world.drops.get(dropId);
  if (!drop || now >= drop.expiresAt) return refuse(ErrorCode.DROP_NOT_FOUND, 'There is nothing to pick up there.');
  if (tileDistance(player.at, drop) > COMBAT_RULES.pickupRange) return refuse(ErrorCode.DROP_OUT_OF_RANGE, 'Stand on or next to the loot to pick it up.');
  if (now < drop.freeAt && !drop.owners.has(player.characterId)) return refuse(ErrorCode.DROP_NOT_YOURS, 'That loot belongs to someone else for now.');
  return { ok: true, drop };
}

/** Removes a drop that a player has taken; the next tick reports `dropTaken`. False if already gone. */
export function takeDrop(world: CombatWorld, dropId: string, playerId: string): boolean {
  if (!world.drops.delete(dropId)) return false;
  world.pending.push({ type: 'dropTaken', dropId, playerId });
  return true;
}

/** Removes the drops whose time is up. */
export function expireDrops(world: CombatWorld, now: number, events: CombatEvent[]): void {
  for (const drop of world.drops.values()) {
    if (now < drop.expiresAt) continue;
    world.drops.delete(drop.id);
    events.push({ type: 'dropExpired', dropId: drop.id });
  }
}

/** One occupied inventory slot. */
export interface InventoryStack {
  slot: number;
  itemId: string;
  quantity: number;
}

/**
 * Where `quantity` of `itemId` goes in an inventory: first onto stacks of the same item up to
 * its stack limit, then into the lowest free slots. All or nothing: `INVENTORY_FULL` when it
 * does not fit whole. Returns the slots as they would be after (a new array; `slots` is untouched).
 */
export function addToInventory(slots: readonly InventoryStack[], itemId: string, quantity: number, capacity = INVENTORY_CAPACITY): ActionResult<{ slots: InventoryStack[] }> {
  const limit = ITEMS.get(itemId)?.stackLimit ?? 1;
  const next = slots.map((stack) => ({ ...stack }));
  let left = quantity;
  for (const stack of next) {
    if (left === 0) break;
    if (stack.itemId !== itemId || stack.quantity >= limit) continue;
    const moved = Math.min(left, limit - stack.quantity);
    stack.quantity += moved;
    left -= moved;
  }
  const used = new Set(next.map((stack) => stack.slot));
  for (let slot = 0; slot < capacity && left > 0; slot += 1) {
    if (used.has(slot)) continue;
    const moved = Math.min(left, limit);
    next.push({ slot, itemId, quantity: moved });
    left -= moved;
  }
  if (left > 0) return refuse(ErrorCode.INVENTORY_FULL, 'The inventory has no room for that.');
  next.sort((a, b) => a.slot - b.slot);
  return { ok: true, slots: next };
}
