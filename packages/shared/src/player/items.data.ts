import type { ItemDefinition } from './items.js';

/**
 * Every item of the game, as data. A new item is a new entry here; ids never change once
 * characters own them (inventories store the id).
 */
export const ITEM_DEFINITIONS: readonly ItemDefinition[] = [
  { id: 'rusty_sword', name: 'Rusty Sword', kind: 'weapon', slot: 'weapon', stackLimit: 1, bonuses: { attack: 3 } },
  { id: 'iron_sword', name: 'Iron Sword', kind: 'weapon', slot: 'weapon', stackLimit: 1, bonuses: { attack: 7 }, minLevel: 3 },
  { id: 'oak_staff', name: 'Oak Staff', kind: 'weapon', slot: 'weapon', stackLimit: 1, bonuses: { attack: 2, intellect: 4 }, classes: ['mage', 'cleric'] },
  { id: 'short_bow', name: 'Short Bow', kind: 'weapon', slot: 'weapon', stackLimit: 1, bonuses: { attack: 5, agility: 2 }, classes: ['ranger'] },
  { id: 'leather_cap', name: 'Leather Cap', kind: 'armor', slot: 'head', stackLimit: 1, bonuses: { defense: 1 } },
  { id: 'leather_vest', name: 'Leather Vest', kind: 'armor', slot: 'chest', stackLimit: 1, bonuses: { defense: 3 } },
  { id: 'chain_mail', name: 'Chain Mail', kind: 'armor', slot: 'chest', stackLimit: 1, bonuses: { defense: 6, agility: -1 }, minLevel: 4, classes: ['warrior', 'cleric'] },
  { id: 'worn_boots', name: 'Worn Boots', kind: 'armor', slot: 'feet', stackLimit: 1, bonuses: { defense: 1, agility: 1 } },
  { id: 'copper_ring', name: 'Copper Ring', kind: 'armor', slot: 'ring', stackLimit: 1, bonuses: { vitality: 2 } },
  { id: 'health_potion', name: 'Health Potion', kind: 'consumable', stackLimit: 20, heal: 50 },
  { id: 'wolf_pelt', name: 'Wolf Pelt', kind: 'material', stackLimit: 50 },
  { id: 'iron_ore', name: 'Iron Ore', kind: 'material', stackLimit: 50 },
];
