import { z } from 'zod';
import { CharacterClass } from '../characters.js';

/**
 * The leaderboards: each ranks every visible character, and again within each class.
 * - `level`: by level, then experience within the level;
 * - `gold`: by gold carried;
 * - `monsters`: by monsters defeated.
 */
export const LEADERBOARDS = {
  level: 'level',
  gold: 'gold',
  monsters: 'monsters',
} as const;
export type Leaderboard = (typeof LEADERBOARDS)[keyof typeof LEADERBOARDS];

/** How many entries one page holds when the query does not say, and at most. */
export const LEADERBOARD_PAGE = { defaultLimit: 20, maxLimit: 100, maxOffset: 100_000 } as const;

/** One level on the `level` board is worth this much score; experience fills the rest. */
export const LEVEL_SCORE_STEP = 1_000_000_000;

/**
 * The score a character has on a board; higher ranks first. On `level` it is
 * `level × 10⁹ + xp` (experience capped just below 10⁹), so that one number orders by level,
 * then by experience; gold is capped at the largest exact integer of a double.
 */
export function leaderboardScore(board: Leaderboard, character: { level: number; xp: number; gold: number; monstersDefeated: number }): number {
  switch (board) {
    case 'level':
      return character.level * LEVEL_SCORE_STEP + Math.min(Math.max(character.xp, 0), LEVEL_SCORE_STEP - 1);
    case 'gold':
      return Math.min(Math.max(character.gold, 0), Number.MAX_SAFE_INTEGER);
    case 'monsters':
      return Math.max(character.monstersDefeated, 0);
  }
}

/** `GET /leaderboards/:board`: the board's path parameter. */
export const leaderboardParamsSchema = z.object({ board: z.enum(LEADERBOARDS) });

/** `GET /leaderboards/:board`: one class's board or the overall one, and which page of it. */
export const leaderboardQuerySchema = z.object({
  class: z.enum(CharacterClass).optional(),
  offset: z.coerce.number().int().min(0).max(LEADERBOARD_PAGE.maxOffset).default(0),
  limit: z.coerce.number().int().min(1).max(LEADERBOARD_PAGE.maxLimit).default(LEADERBOARD_PAGE.defaultLimit),
});
export type LeaderboardQuery = z.infer<typeof leaderboardQuerySchema>;

export const leaderboardEntrySchema = z.object({
  /** 1 for the top of the board (of the class's board when a class was asked for). */
  rank: z.number().int().min(1),
  characterId: z.uuid(),
  name: z.string(),
  class: z.enum(CharacterClass),
  level: z.number().int().min(1),
  /** What the board ranks by; see `leaderboardScore` for `level`. */
  score: z.number().min(0),
});
export type LeaderboardEntry = z.infer<typeof leaderboardEntrySchema>;

/** One page of a board, best first; `total` counts the whole board. */
export const leaderboardPageSchema = z.object({
  board: z.enum(LEADERBOARDS),
  class: z.enum(CharacterClass).nullable(),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1),
  total: z.number().int().min(0),
  entries: z.array(leaderboardEntrySchema),
});
export type LeaderboardPage = z.infer<typeof leaderboardPageSchema>;

/** `POST /admin/leaderboards/rebuild`: how many characters the rebuilt boards hold. */
export const leaderboardRebuildSchema = z.object({ characters: z.number().int().min(0) });
export type LeaderboardRebuild = z.infer<typeof leaderboardRebuildSchema>;
