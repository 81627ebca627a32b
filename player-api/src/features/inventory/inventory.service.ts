import { DomainError, lockKey, type Character as CharacterRow, type KeyedTurns, type Prisma, type PrismaClient } from '@mmo/platform';
import {
  ErrorCode,
  INVENTORY_CAPACITY,
  ITEMS,
  type CharacterClass,
  type CharacterSheet,
  type EquipmentSlot,
  type MoveItemRequest,
} from '@mmo/shared';
import { sheetOf } from './sheet.service.js';

export interface InventoryDeps {
  prisma: PrismaClient;
  /** One change of a character at a time in this process, before it takes a connection. */
  inventoryTurns: KeyedTurns;
}

type Tx = Prisma.TransactionClient;

/** The weapon each class starts with, worn from the first login. */
export const STARTER_WEAPONS: Record<CharacterClass, string> = {
  warrior: 'rusty_sword',
  mage: 'oak_staff',
  ranger: 'short_bow',
  cleric: 'oak_staff',
};

/** What a new character carries besides its weapon: potions in the first slot. */
export const STARTER_POTIONS = { itemId: 'health_potion', quantity: 3, slot: 0 } as const;

/**
 * Gives a character created in `tx` its starter items: the class weapon, worn, and a few
 * potions. Running in the creation's transaction, a character never exists without them.
 */
export async function giveStarterItems(tx: Tx, characterId: string, characterClass: CharacterClass): Promise<void> {
  await tx.equippedItem.create({ data: { characterId, slot: 'weapon', itemId: STARTER_WEAPONS[characterClass] } });
  await tx.inventorySlot.create({ data: { characterId, ...STARTER_POTIONS } });
}

/**
 * Runs `change` in one transaction holding the character's inventory lock and answers the sheet
 * it leaves behind. Every writer of a character's inventory and equipment takes this lock
 * first, so each reads the slots as the previous one left them: two requests can never both
 * move the same stack. A refusal rolls the whole change back. Another account's character is
 * `CHARACTER_NOT_FOUND`, as if absent.
 */
async function withInventoryLock(
  deps: InventoryDeps,
  accountId: string,
  characterId: string,
  change: (tx: Tx, character: CharacterRow) => Promise<void>,
  /** Asked when the turn comes: a request whose client has gone is dropped, not run. */
  isGone?: () => boolean,
): Promise<CharacterSheet> {
  // The turn comes first: a burst on one character waits in memory rather than each request
  // holding a pooled connection while it waits for the lock below. Keyed by the caller too, so
  // that requests naming someone else's character (refused below) never delay its owner's.
  return deps.inventoryTurns.run(`${accountId}/${characterId}`, () => deps.prisma.$transaction(async (tx) => {
    await lockKey(tx, `inventory:${characterId}`);
    // FOR SHARE holds off a deletion of the character until this change commits, so a slot row
    // is never written for a character that no longer exists.
    const owned = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM characters WHERE id = ${characterId}::uuid AND account_id = ${accountId}::uuid FOR SHARE`;
    const character = owned.length > 0 ? await tx.character.findUnique({ where: { id: characterId } }) : null;
    if (!character) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND);
    await change(tx, character);
    return sheetOf(tx, character);
  }), isGone);
}

/**
 * The sheet of one of the account's characters. It is read under the inventory lock so that an
 * item being moved shows in exactly one place, never in both or neither.
 */
export function getCharacterSheet(deps: InventoryDeps, accountId: string, characterId: string, isGone?: () => boolean): Promise<CharacterSheet> {
  return withInventoryLock(deps, accountId, characterId, async () => {}, isGone);
}

function stackLimitOf(itemId: string): number {
  // An item removed from the data no longer stacks with anything beyond what it holds.
  return ITEMS.get(itemId)?.stackLimit ?? 1;
}

async function slotAt(tx: Tx, characterId: string, slot: number) {
  return tx.inventorySlot.findUnique({ where: { characterId_slot: { characterId, slot } } });
}

async function requireSlot(tx: Tx, characterId: string, slot: number) {
  const row = await slotAt(tx, characterId, slot);
  if (!row) throw new DomainError(ErrorCode.INVENTORY_SLOT_EMPTY, `Inventory slot ${slot} is empty.`);
  return row;
}

/** `quantity` of a stack of `available`, the whole stack when absent; anything else is `INVALID_QUANTITY`. */
function takenQuantity(quantity: number | undefined, available: number): number {
  const taken = quantity ?? available;
  if (taken < 1 || taken > available) {
    throw new DomainError(ErrorCode.INVALID_QUANTITY, `The quantity must be between 1 and ${available}.`);
  }
  return taken;
}

/** Takes `quantity` off a stack, removing the slot when nothing is left. */
async function takeFromSlot(tx: Tx, characterId: string, slot: number, quantity: number, available: number): Promise<void> {
  const where = { characterId_slot: { characterId, slot } };
  if (quantity === available) await tx.inventorySlot.delete({ where });
  else await tx.inventorySlot.update({ where, data: { quantity: available - quantity } });
}

async function firstFreeSlot(tx: Tx, characterId: string): Promise<number | undefined> {
  const used = new Set((await tx.inventorySlot.findMany({ where: { characterId }, select: { slot: true } })).map((row) => row.slot));
  return Array.from({ length: INVENTORY_CAPACITY }, (_, slot) => slot).find((slot) => !used.has(slot));
}

/**
 * Moves the stack in `from`, or `quantity` of it, to `to`. Into an empty slot it moves or
 * splits; onto the same item it merges up to the stack limit and the rest stays in `from`;
 * onto a different item the two whole stacks swap places (a part of a stack cannot swap, as it
 * would leave the remainder nowhere: `INVALID_QUANTITY`).
 */
export function moveItem(deps: InventoryDeps, accountId: string, characterId: string, move: MoveItemRequest, isGone?: () => boolean): Promise<CharacterSheet> {
  return withInventoryLock(deps, accountId, characterId, async (tx) => {
    const source = await requireSlot(tx, characterId, move.from);
    const quantity = takenQuantity(move.quantity, source.quantity);
    const target = await slotAt(tx, characterId, move.to);
    if (!target) {
      await takeFromSlot(tx, characterId, move.from, quantity, source.quantity);
      await tx.inventorySlot.create({ data: { characterId, slot: move.to, itemId: source.itemId, quantity } });
      return;
    }
    if (target.itemId === source.itemId) {
      const merged = Math.min(quantity, Math.max(0, stackLimitOf(target.itemId) - target.quantity));
      // A full stack takes nothing: the move changes nothing rather than failing, as a drag
      // onto a full stack does in the game client.
      if (merged === 0) return;
      await takeFromSlot(tx, characterId, move.from, merged, source.quantity);
      await tx.inventorySlot.update({ where: { characterId_slot: { characterId, slot: move.to } }, data: { quantity: target.quantity + merged } });
      return;
    }
    if (quantity !== source.quantity) {
      throw new DomainError(ErrorCode.INVALID_QUANTITY, 'A part of a stack can only go to an empty slot or onto the same item.');
    }
    await tx.inventorySlot.update({ where: { characterId_slot: { characterId, slot: move.from } }, data: { itemId: target.itemId, quantity: target.quantity } });
    await tx.inventorySlot.update({ where: { characterId_slot: { characterId, slot: move.to } }, data: { itemId: source.itemId, quantity: source.quantity } });
  }, isGone);
}

/**
 * Wears one item of inventory slot `from` in equipment slot `slot`. The item must be made for
 * that slot (`ITEM_NOT_EQUIPPABLE`) and allow the character's class and level
 * (`ITEM_REQUIREMENTS_NOT_MET`). Whatever was worn there takes the item's place in `from`; if
 * `from` still holds more of the stack, it goes to the first free slot instead (`INVENTORY_FULL`
 * when there is none, and nothing changes).
 */
export function equipItem(deps: InventoryDeps, accountId: string, characterId: string, slot: EquipmentSlot, from: number, isGone?: () => boolean): Promise<CharacterSheet> {
  return withInventoryLock(deps, accountId, characterId, async (tx, character) => {
    const source = await requireSlot(tx, characterId, from);
    const item = ITEMS.get(source.itemId);
    if (item?.slot !== slot) throw new DomainError(ErrorCode.ITEM_NOT_EQUIPPABLE, `${item?.name ?? source.itemId} cannot be worn as ${slot}.`);
    const classAllowed = !item.classes || (item.classes as readonly string[]).includes(character.class);
    if (!classAllowed || character.level < (item.minLevel ?? 1)) {
      throw new DomainError(ErrorCode.ITEM_REQUIREMENTS_NOT_MET, `${item.name} needs ${describeRequirements(item.classes, item.minLevel)}.`);
    }
    const worn = await tx.equippedItem.findUnique({ where: { characterId_slot: { characterId, slot } } });
    await takeFromSlot(tx, characterId, from, 1, source.quantity);
    if (worn) {
      const freed = source.quantity === 1 ? from : await firstFreeSlot(tx, characterId);
      if (freed === undefined) throw new DomainError(ErrorCode.INVENTORY_FULL, 'There is no free slot for what is worn now.');
      await tx.inventorySlot.create({ data: { characterId, slot: freed, itemId: worn.itemId, quantity: 1 } });
    }
    await tx.equippedItem.upsert({
      where: { characterId_slot: { characterId, slot } },
      create: { characterId, slot, itemId: source.itemId },
      update: { itemId: source.itemId },
    });
  }, isGone);
}

function describeRequirements(classes: readonly string[] | undefined, minLevel: number | undefined): string {
  const parts = [...(classes ? [`class ${classes.join(' or ')}`] : []), ...(minLevel ? [`level ${minLevel}`] : [])];
  return parts.join(' and ');
}

/** Takes off what is worn in `slot` into the first free inventory slot. */
export function unequipItem(deps: InventoryDeps, accountId: string, characterId: string, slot: EquipmentSlot, isGone?: () => boolean): Promise<CharacterSheet> {
  return withInventoryLock(deps, accountId, characterId, async (tx) => {
    const worn = await tx.equippedItem.findUnique({ where: { characterId_slot: { characterId, slot } } });
    if (!worn) throw new DomainError(ErrorCode.EQUIPMENT_SLOT_EMPTY, `Nothing is worn as ${slot}.`);
    const free = await firstFreeSlot(tx, characterId);
    if (free === undefined) throw new DomainError(ErrorCode.INVENTORY_FULL);
    await tx.equippedItem.delete({ where: { characterId_slot: { characterId, slot } } });
    await tx.inventorySlot.create({ data: { characterId, slot: free, itemId: worn.itemId, quantity: 1 } });
  }, isGone);
}

/** Destroys `quantity` items of the stack in `slot`, the whole stack when absent. */
export function discardItem(deps: InventoryDeps, accountId: string, characterId: string, slot: number, quantity: number | undefined, isGone?: () => boolean): Promise<CharacterSheet> {
  return withInventoryLock(deps, accountId, characterId, async (tx) => {
    const stack = await requireSlot(tx, characterId, slot);
    await takeFromSlot(tx, characterId, slot, takenQuantity(quantity, stack.quantity), stack.quantity);
  }, isGone);
}
