import type { Character as CharacterRow, Prisma } from '@mmo/platform';
import {
  characterSheetSchema,
  deriveStats,
  EQUIPMENT_SLOTS,
  INVENTORY_CAPACITY,
  ITEMS,
  maxHitPoints,
  xpToNextLevel,
  type CharacterSheet,
  type EquipmentSlot,
} from '@mmo/shared';

/** What reading a sheet needs: an open transaction (or the client itself). */
export type SheetDb = Prisma.TransactionClient;

/** An item as the sheet shows it; an id no longer in the item data shows as its own name. */
function itemRef(itemId: string): { id: string; name: string } {
  return { id: itemId, name: ITEMS.get(itemId)?.name ?? itemId };
}

/**
 * The sheet of a character row, with its inventory and equipment as `db` sees them. Called
 * inside an inventory transaction, it answers the state that transaction leaves behind.
 */
export async function sheetOf(db: SheetDb, row: CharacterRow): Promise<CharacterSheet> {
  // Sequential on purpose: a transaction client runs one query at a time anyway.
  const slots = await db.inventorySlot.findMany({ where: { characterId: row.id }, orderBy: { slot: 'asc' } });
  const worn = await db.equippedItem.findMany({ where: { characterId: row.id } });
  const characterClass = characterSheetSchema.shape.class.parse(row.class);
  const wornBySlot = new Map(worn.map((item) => [item.slot, item.itemId]));
  const equipment = Object.fromEntries(
    EQUIPMENT_SLOTS.map((slot) => {
      const itemId = wornBySlot.get(slot);
      return [slot, itemId === undefined ? null : itemRef(itemId)];
    }),
  ) as Record<EquipmentSlot, { id: string; name: string } | null>;
  return characterSheetSchema.parse({
    id: row.id,
    name: row.name,
    class: characterClass,
    level: row.level,
    xp: Number(row.xp),
    xpToNextLevel: xpToNextLevel(row.level, Number(row.xp)),
    gold: Number(row.gold),
    area: row.area,
    x: row.x,
    y: row.y,
    createdAt: row.createdAt.toISOString(),
    maxHp: maxHitPoints(characterClass, row.level),
    // Only what sits in a known equipment slot counts, the same items the sheet shows.
    stats: deriveStats(characterClass, row.level, EQUIPMENT_SLOTS.flatMap((slot) => wornBySlot.get(slot) ?? [])),
    equipment,
    inventory: {
      capacity: INVENTORY_CAPACITY,
      slots: slots.map((slot) => ({ slot: slot.slot, item: itemRef(slot.itemId), quantity: slot.quantity })),
    },
    monstersDefeated: row.monstersDefeated,
    hidden: row.hidden,
  });
}
