import { z } from 'zod';
import { CharacterClass, characterNameSchema } from '../characters.js';
import type { AreaId } from '../world.js';
import { LEADERBOARDS } from './leaderboards.js';

// The answers of the public widget endpoints. Anyone on any website reads them, so each is a
// strict object listing every field it may carry: a field added to a handler's result without
// being added here fails the answer (500) instead of leaking a private column.

/** `GET /public/characters/:name`: the name in any letter case. */
export const publicCharacterParamsSchema = z.object({ name: characterNameSchema });

/** The guild a character belongs to, as a public page shows it. */
export const publicGuildSchema = z.strictObject({
  name: z.string(),
  tag: z.string(),
});

/**
 * `GET /public/characters/:name`: what a website may show of a character that is not hidden.
 * `lastSeen` is when it last left the game (or was last saved while playing); it is null while
 * the character is online (the answer stays the same, and cacheable, for the whole stay) and
 * for a character that never played.
 */
export const publicCharacterCardSchema = z.strictObject({
  name: z.string(),
  class: z.enum(CharacterClass),
  level: z.number().int().min(1),
  guild: publicGuildSchema.nullable(),
  online: z.boolean(),
  lastSeen: z.iso.datetime().nullable(),
});
export type PublicCharacterCard = z.infer<typeof publicCharacterCardSchema>;

const playerCount = z.number().int().min(0);

/** `GET /public/online`: how many characters are in game, in all and per map area. */
export const publicOnlineSchema = z.strictObject({
  total: playerCount,
  areas: z.strictObject({
    town: playerCount,
    field: playerCount,
    dungeon: playerCount,
  } satisfies Record<AreaId, z.ZodNumber>),
});
export type PublicOnline = z.infer<typeof publicOnlineSchema>;

/** How many entries a public leaderboard answer holds when the query does not say, and at most. */
export const PUBLIC_LEADERBOARD_LIMIT = { defaultLimit: 10, maxLimit: 50 } as const;

/** `GET /public/leaderboards/:board`: the board's path parameter. */
export const publicLeaderboardParamsSchema = z.object({ board: z.enum(LEADERBOARDS) });

/** `GET /public/leaderboards/:board`: the top of one class's board or of the overall one. */
export const publicLeaderboardQuerySchema = z.object({
  class: z.enum(CharacterClass).optional(),
  limit: z.coerce.number().int().min(1).max(PUBLIC_LEADERBOARD_LIMIT.maxLimit).default(PUBLIC_LEADERBOARD_LIMIT.defaultLimit),
});
export type PublicLeaderboardQuery = z.infer<typeof publicLeaderboardQuerySchema>;

/** One line of a public board: no character id, nothing a website has no need to show. */
export const publicLeaderboardEntrySchema = z.strictObject({
  /** 1 for the top of the board (of the class's board when a class was asked for). */
  rank: z.number().int().min(1),
  name: z.string(),
  class: z.enum(CharacterClass),
  level: z.number().int().min(1),
  /** What the board ranks by; see `leaderboardScore`. */
  score: z.number().min(0),
});
export type PublicLeaderboardEntry = z.infer<typeof publicLeaderboardEntrySchema>;

/** `GET /public/leaderboards/:board`: the top of a board, best first. */
export const publicLeaderboardSchema = z.strictObject({
  board: z.enum(LEADERBOARDS),
  class: z.enum(CharacterClass).nullable(),
  entries: z.array(publicLeaderboardEntrySchema),
});
export type PublicLeaderboard = z.infer<typeof publicLeaderboardSchema>;
