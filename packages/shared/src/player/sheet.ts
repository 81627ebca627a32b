import { z } from 'zod';
import type { CharacterClass} from '../characters.js';
import { characterSchema } from '../characters.js';
import { EQUIPMENT_SLOTS, INVENTORY_CAPACITY, ITEMS, STAT_NAMES, type EquipmentSlot, type Stats } from './items.js';

/** The highest level a character can reach. */
export const MAX_LEVEL = 50;

/**
 * Experience a level takes, from reaching it to reaching the next (none at the cap). A
 * character's `xp` counts within its current level and starts again at 0 on a level up.
 */
export function xpForLevel(level: number): number {
  if (level >= MAX_LEVEL) return 0;
  return Math.round(100 * level ** 1.5);
}

/** Experience still needed for the next level, given the experience earned within this one. */
export function xpToNextLevel(level: number, xp: number): number {
  return Math.max(0, xpForLevel(level) - xp);
}

/** Attributes at level 1 and gained per level, by class. */
const CLASS_STATS: Record<CharacterClass, { base: Stats; perLevel: Stats }> = {
  warrior: { base: { strength: 12, agility: 8, intellect: 4, vitality: 12, attack: 6, defense: 5 }, perLevel: { strength: 3, agility: 1, intellect: 0, vitality: 3, attack: 2, defense: 2 } },
  mage: { base: { strength: 4, agility: 7, intellect: 14, vitality: 7, attack: 3, defense: 2 }, perLevel: { strength: 0, agility: 1, intellect: 3, vitality: 1, attack: 1, defense: 1 } },
  ranger: { base: { strength: 8, agility: 13, intellect: 6, vitality: 9, attack: 5, defense: 3 }, perLevel: { strength: 1, agility: 3, intellect: 1, vitality: 2, attack: 2, defense: 1 } },
  cleric: { base: { strength: 7, agility: 6, intellect: 11, vitality: 11, attack: 4, defense: 4 }, perLevel: { strength: 1, agility: 1, intellect: 2, vitality: 2, attack: 1, defense: 2 } },
};

/**
 * A character's attributes: its class's base, what it gained per level, and the bonuses of
 * what it wears. Unknown item ids (removed from the data) add nothing.
 */
export function deriveStats(characterClass: CharacterClass, level: number, equipped: Iterable<string>): Stats {
  const { base, perLevel } = CLASS_STATS[characterClass];
  const stats = Object.fromEntries(STAT_NAMES.map((name) => [name, base[name] + perLevel[name] * (level - 1)])) as Stats;
  for (const itemId of equipped) {
    for (const [name, bonus] of Object.entries(ITEMS.get(itemId)?.bonuses ?? {})) stats[name as keyof Stats] += bonus;
  }
  return stats;
}

const itemRefSchema = z.object({ id: z.string(), name: z.string() });

export const inventorySlotSchema = z.object({
  slot: z.number().int().min(0).max(INVENTORY_CAPACITY - 1),
  item: itemRefSchema,
  quantity: z.number().int().min(1),
});
export type InventorySlotView = z.infer<typeof inventorySlotSchema>;

export const inventorySchema = z.object({ capacity: z.number().int(), slots: z.array(inventorySlotSchema) });
export type Inventory = z.infer<typeof inventorySchema>;

/** `GET /characters/:id`: everything a character is and owns, for its owner (a `Character` and more). */
export const characterSheetSchema = characterSchema.extend({
  xpToNextLevel: z.number().int().min(0),
  gold: z.number().int().min(0),
  maxHp: z.number().int(),
  stats: z.object(Object.fromEntries(STAT_NAMES.map((name) => [name, z.number().int()])) as Record<(typeof STAT_NAMES)[number], z.ZodNumber>),
  equipment: z.object(Object.fromEntries(EQUIPMENT_SLOTS.map((slot) => [slot, itemRefSchema.nullable()])) as Record<EquipmentSlot, z.ZodNullable<typeof itemRefSchema>>),
  inventory: inventorySchema,
  monstersDefeated: z.number().int().min(0),
  hidden: z.boolean(),
});
export type CharacterSheet = z.infer<typeof characterSheetSchema>;

