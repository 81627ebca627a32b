import { z } from 'zod';
import { safeText } from './text.js';
import { AREA_IDS } from './world.js';

/** Playable classes. Stats per class arrive with the character sheet. */
export const CharacterClass = {
  warrior: 'warrior',
  mage: 'mage',
  ranger: 'ranger',
  cleric: 'cleric',
} as const;
export type CharacterClass = (typeof CharacterClass)[keyof typeof CharacterClass];

/** The class a stored value names, or undefined for one the game no longer has. */
export function characterClassOf(value: unknown): CharacterClass | undefined {
  return Object.values(CharacterClass).find((c) => c === value);
}

/** Character names are shown above heads in game: letters only, one capital first by convention. */
export const CHARACTER_NAME_RULES = { min: 3, max: 16, pattern: /^[A-Za-z]+$/ } as const;

export const characterNameSchema = safeText()
  .min(CHARACTER_NAME_RULES.min, `must be at least ${CHARACTER_NAME_RULES.min} characters`)
  .max(CHARACTER_NAME_RULES.max, `must be at most ${CHARACTER_NAME_RULES.max} characters`)
  .regex(CHARACTER_NAME_RULES.pattern, 'must contain only letters');

export const createCharacterRequestSchema = z.object({
  name: characterNameSchema,
  class: z.enum(CharacterClass),
});
export type CreateCharacterRequest = z.infer<typeof createCharacterRequestSchema>;

export const characterSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  class: z.enum(CharacterClass),
  level: z.number().int().min(1),
  xp: z.number().int().min(0),
  area: z.enum(AREA_IDS),
  x: z.number().int(),
  y: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type Character = z.infer<typeof characterSchema>;

export const characterListSchema = z.object({ characters: z.array(characterSchema) });
export type CharacterList = z.infer<typeof characterListSchema>;

export const characterIdParamsSchema = z.object({ id: z.uuid() });

/** Hit points at level 1 and gained per level, by class. */
const HIT_POINTS: Record<CharacterClass, { base: number; perLevel: number }> = {
  warrior: { base: 120, perLevel: 12 },
  mage: { base: 70, perLevel: 6 },
  ranger: { base: 90, perLevel: 8 },
  cleric: { base: 90, perLevel: 9 },
};

/** A character's maximum hit points. */
export function maxHitPoints(characterClass: CharacterClass, level: number): number {
  const { base, perLevel } = HIT_POINTS[characterClass];
  return base + perLevel * (level - 1);
}
