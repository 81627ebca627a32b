import { z } from 'zod';
import type { CharacterClass } from './characters.js';
import type { StatName } from './player/items.js';
import { safeText } from './text.js';

/**
 * One entry of a loot table: the item drops with probability `chance` (0 to 1), in a stack of
 * `min` to `max`. Entries roll independently, so a death can drop several items or none.
 */
export const lootEntrySchema = z
  .object({
    itemId: z.string().regex(/^[a-z_]+$/),
    chance: z.number().min(0).max(1),
    min: z.number().int().min(1),
    max: z.number().int().min(1),
  })
  .refine((entry) => entry.min <= entry.max, { message: 'min must not exceed max', path: ['max'] });
export type LootEntry = z.infer<typeof lootEntrySchema>;

/** What a monster kind leaves: gold uniformly in `gold.min..gold.max` (0 for none) and items. */
export const lootTableSchema = z.object({
  gold: z
    .object({ min: z.number().int().min(0), max: z.number().int().min(0) })
    .refine((gold) => gold.min <= gold.max, { message: 'min must not exceed max', path: ['max'] }),
  items: z.array(lootEntrySchema),
});
export type LootTable = z.infer<typeof lootTableSchema>;

/**
 * A kind of monster, as data. Distances are in tiles, measured as the number of king moves
 * (the larger of the two axis distances), the way entities walk the grid.
 */
export const monsterKindSchema = z
  .object({
    id: z.string().regex(/^[a-z_]+$/),
    name: z.string().min(1),
    level: z.number().int().min(1),
    maxHp: z.number().int().positive(),
    attack: z.number().int().min(0),
    defense: z.number().int().min(0),
    /** Tiles per second. */
    speed: z.number().positive().max(10),
    /** A player this close to an idle monster draws it. */
    aggroRadius: z.number().int().min(0),
    /** The monster gives up when its target is farther than this from the monster's home. */
    leashRadius: z.number().int().positive(),
    /** How close it must stand to hit (1 = next to the target). */
    attackRange: z.number().int().min(1),
    attackCooldownMs: z.number().int().positive(),
    respawnMs: z.number().int().positive(),
    /** Experience its death is worth, before sharing. */
    xp: z.number().int().min(0),
    loot: lootTableSchema,
    boss: z.boolean().optional(),
  })
  .refine((kind) => kind.leashRadius >= kind.aggroRadius, { message: 'must be at least aggroRadius', path: ['leashRadius'] });
export type MonsterKind = z.infer<typeof monsterKindSchema>;

/**
 * How each class fights: melee classes must stand next to the target, ranged ones may stand
 * off; half of `stat` adds to the attack attribute. (Keys are written out, not taken from `CharacterClass`, as this module is loaded while
 * `characters.ts` may still be evaluating: the two import each other through `world.ts`.)
 */
export const CLASS_ATTACK: Record<CharacterClass, { style: 'melee' | 'ranged'; range: number; cooldownMs: number; stat: StatName }> = {
  warrior: { style: 'melee', range: 1, cooldownMs: 1000, stat: 'strength' },
  cleric: { style: 'melee', range: 1, cooldownMs: 1200, stat: 'intellect' },
  ranger: { style: 'ranged', range: 6, cooldownMs: 1200, stat: 'agility' },
  mage: { style: 'ranged', range: 5, cooldownMs: 1500, stat: 'intellect' },
};

/** Timings and sizes of combat that are the same for everyone. */
export const COMBAT_RULES = {
  /** A dead player comes back at the area's spawn after this long. */
  playerRespawnMs: 5000,
  /** Share of the current level's requirement a death costs; never below 0, so never a level. */
  deathXpLoss: 0.1,
  /** Hit points come back only after this long without dealing or taking damage... */
  outOfCombatMs: 5000,
  /** ...this often... */
  regenIntervalMs: 1000,
  /** ...by this share of the maximum (at least 1). */
  regenShare: 0.02,
  /** Party members farther than this from the dying monster get no share of its experience. */
  xpShareRadius: 20,
  /** Each party member beyond the first adds this share to the experience being split. */
  partyXpBonus: 0.1,
  /** Only the killer (or its party) may pick a drop up for this long... */
  dropOwnerMs: 30_000,
  /** ...and it disappears after this long. */
  dropExpireMs: 120_000,
  /** A pickup reaches the tile the player stands on and the 8 around it. */
  pickupRange: 1,
  /** Between two potions. */
  potionCooldownMs: 1000,
  /** Damage is multiplied by a random factor in `1 ± damageVariance`. */
  damageVariance: 0.15,
} as const;

/** `attack`: hit a monster once (each message is one swing; cooldown and range by class). */
export const attackMessageSchema = z.object({ targetId: safeText().min(1).max(64) }).strict();
export type AttackMessage = z.infer<typeof attackMessageSchema>;

/** `pickup`: take a drop from the tile the player stands on or one next to it. */
export const pickupMessageSchema = z.object({ dropId: safeText().min(1).max(64) }).strict();
export type PickupMessage = z.infer<typeof pickupMessageSchema>;

/** `use`: use the item in an inventory slot (drink a potion). */
export const useItemMessageSchema = z.object({ slot: z.number().int().min(0).max(1023) }).strict();
export type UseItemMessage = z.infer<typeof useItemMessageSchema>;

const entityKind = z.enum(['player', 'monster']);

/**
 * One thing that happened in a fight, as the clients that see it are told. Players are named
 * by session id (the key of `players`), monsters and drops by their ids in `monsters`/`drops`.
 */
export const combatEventSchema = z.discriminatedUnion('type', [
  // Every client that sees a fight receives its hits, so a hit carries only what the state does
  // not: who struck and how hard (the target's hit points are in `players`/`monsters`).
  z.object({
    type: z.literal('hit'),
    attackerId: z.string(),
    targetId: z.string(),
    targetKind: entityKind,
    damage: z.number().int().min(0),
  }),
  z.object({ type: z.literal('death'), id: z.string(), kind: entityKind, killerId: z.string().nullable() }),
  z.object({ type: z.literal('xp'), playerId: z.string(), amount: z.number().int(), xp: z.number().int().min(0), level: z.number().int().min(1) }),
  z.object({ type: z.literal('levelUp'), playerId: z.string(), level: z.number().int().min(1), maxHp: z.number().int() }),
  z.object({ type: z.literal('loot'), playerId: z.string(), itemId: z.string().nullable(), quantity: z.number().int().min(1) }),
  z.object({ type: z.literal('heal'), playerId: z.string(), amount: z.number().int().min(0), hp: z.number().int().min(0) }),
  z.object({ type: z.literal('respawn'), playerId: z.string(), x: z.number().int(), y: z.number().int(), hp: z.number().int() }),
]);
export type CombatEventView = z.infer<typeof combatEventSchema>;

/** `combat` to a client: what happened in one tick among the entities it sees. */
export const combatMessageSchema = z.object({ events: z.array(combatEventSchema).min(1) });
export type CombatMessage = z.infer<typeof combatMessageSchema>;
