import { z } from 'zod';
import { CharacterClass } from '../characters.js';
import { ITEM_DEFINITIONS } from './items.data.js';

/** Where equipment is worn. */
export const EQUIPMENT_SLOTS = ['weapon', 'head', 'chest', 'feet', 'ring'] as const;
export type EquipmentSlot = (typeof EQUIPMENT_SLOTS)[number];

/** The attributes of a character sheet; items add to some of them. */
export const STAT_NAMES = ['strength', 'agility', 'intellect', 'vitality', 'attack', 'defense'] as const;
export type StatName = (typeof STAT_NAMES)[number];
export type Stats = Record<StatName, number>;

export const itemDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z_]+$/),
  name: z.string().min(1),
  kind: z.enum(['weapon', 'armor', 'consumable', 'material']),
  /** Equipment only: where it is worn. */
  slot: z.enum(EQUIPMENT_SLOTS).optional(),
  stackLimit: z.number().int().min(1),
  bonuses: z.partialRecord(z.enum(STAT_NAMES), z.number().int()).optional(),
  minLevel: z.number().int().min(1).optional(),
  /** Classes that may equip it; all when absent. */
  classes: z.array(z.enum(CharacterClass)).optional(),
  /** Consumables only: hit points drinking it restores. */
  heal: z.number().int().positive().optional(),
});
export type ItemDefinition = z.infer<typeof itemDefinitionSchema>;

/** Item definitions by id. */
export const ITEMS: ReadonlyMap<string, ItemDefinition> = new Map(ITEM_DEFINITIONS.map((item) => [item.id, item]));

/** Inventory slots every character has. */
export const INVENTORY_CAPACITY = 24;
