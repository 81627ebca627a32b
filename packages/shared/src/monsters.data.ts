import type { MonsterKind } from './monsters.js';

/**
 * Every monster kind of the game, as data (checked by `validateMonsterKinds`). Ids never change
 * once a spawn zone names them. Field monsters sit around levels 1 to 4, the cellars above.
 */
export const MONSTER_KIND_DATA: readonly MonsterKind[] = [
  {
    id: 'field_rat', name: 'Field Rat', level: 1, maxHp: 30, attack: 4, defense: 1, speed: 3,
    aggroRadius: 3, leashRadius: 10, attackRange: 1, attackCooldownMs: 1500, respawnMs: 15_000, xp: 12,
    loot: { gold: { min: 1, max: 4 }, items: [{ itemId: 'health_potion', chance: 0.1, min: 1, max: 1 }] },
  },
  {
    id: 'wolf', name: 'Grey Wolf', level: 3, maxHp: 70, attack: 9, defense: 3, speed: 4,
    aggroRadius: 5, leashRadius: 12, attackRange: 1, attackCooldownMs: 1400, respawnMs: 20_000, xp: 35,
    loot: {
      gold: { min: 3, max: 9 },
      items: [
        { itemId: 'wolf_pelt', chance: 0.5, min: 1, max: 2 },
        { itemId: 'health_potion', chance: 0.15, min: 1, max: 1 },
        { itemId: 'leather_cap', chance: 0.05, min: 1, max: 1 },
      ],
    },
  },
  {
    id: 'bandit', name: 'Road Bandit', level: 4, maxHp: 95, attack: 12, defense: 5, speed: 3.5,
    aggroRadius: 5, leashRadius: 12, attackRange: 1, attackCooldownMs: 1600, respawnMs: 25_000, xp: 55,
    loot: {
      gold: { min: 8, max: 20 },
      items: [
        { itemId: 'worn_boots', chance: 0.08, min: 1, max: 1 },
        { itemId: 'leather_vest', chance: 0.05, min: 1, max: 1 },
        { itemId: 'health_potion', chance: 0.2, min: 1, max: 2 },
      ],
    },
  },
  {
    id: 'cellar_skeleton', name: 'Cellar Skeleton', level: 6, maxHp: 150, attack: 18, defense: 9, speed: 3,
    aggroRadius: 3, leashRadius: 10, attackRange: 1, attackCooldownMs: 1500, respawnMs: 30_000, xp: 110,
    loot: {
      gold: { min: 15, max: 35 },
      items: [
        { itemId: 'iron_ore', chance: 0.4, min: 1, max: 3 },
        { itemId: 'iron_sword', chance: 0.06, min: 1, max: 1 },
        { itemId: 'health_potion', chance: 0.25, min: 1, max: 2 },
      ],
    },
  },
  {
    id: 'cave_spider', name: 'Cave Spider', level: 5, maxHp: 110, attack: 15, defense: 6, speed: 4.5,
    aggroRadius: 5, leashRadius: 10, attackRange: 1, attackCooldownMs: 1100, respawnMs: 25_000, xp: 85,
    loot: {
      gold: { min: 5, max: 15 },
      items: [
        { itemId: 'copper_ring', chance: 0.05, min: 1, max: 1 },
        { itemId: 'health_potion', chance: 0.2, min: 1, max: 1 },
      ],
    },
  },
  {
    id: 'cellar_king', name: 'The Cellar King', level: 10, maxHp: 900, attack: 30, defense: 14, speed: 3,
    aggroRadius: 4, leashRadius: 9, attackRange: 2, attackCooldownMs: 2000, respawnMs: 180_000, xp: 800, boss: true,
    loot: {
      gold: { min: 120, max: 250 },
      items: [
        { itemId: 'chain_mail', chance: 0.5, min: 1, max: 1 },
        { itemId: 'iron_sword', chance: 0.5, min: 1, max: 1 },
        { itemId: 'health_potion', chance: 1, min: 2, max: 4 },
      ],
    },
  },
];
