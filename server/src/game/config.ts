import { configFields, serviceConfigFields } from '@mmo/platform';
import { z } from 'zod';

/** Simulation settings of every game process, shared with embedded mode. */
export const gameSettingsFields = {
  TICK_RATE: z.coerce.number().int().min(5).max(60).default(20),
  /** How often changed character progress is written while playing: each occupant once per interval, a slice of the room each second. */
  SAVE_INTERVAL_SECONDS: configFields.seconds(15),
  /** How long a dropped player's character waits in the world for the connection to return. */
  RECONNECT_SECONDS: configFields.seconds(20),
  AOI_ENABLED: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /**
   * Side of a cell of interest, in tiles: a player sees its own cell and the eight around it,
   * so others appear between one and two cells away. Bytes per player in a crowd grow with its
   * square: 6 keeps 1,000 players in a 96×96 area under 3 KB/s each; 8 costs about 1.5× that.
   */
  AOI_CELL_SIZE: z.coerce.number().int().min(4).max(64).default(6),
  /** Words masked in area chat besides the profanity filter's English list (as in the social API). */
  PROFANITY_EXTRA_WORDS: configFields.wordList,
} as const;

export const gameSettingsSchema = z.object(gameSettingsFields);
export type GameSettings = z.infer<typeof gameSettingsSchema>;

/**
 * V8 flags of a game process (`npm start`, `npm run cluster`, docker-compose, the benchmark).
 * A young generation of 32 MB: a crowded room allocates fast, and with the default most of it
 * survived a scavenge, was promoted and cost 30–70 ms major collections, which are late ticks
 * (1,000 players in one instance: 8 major collections in 70 s instead of one a second or two).
 * An old generation that starts at 256 MB before its first major collection: with ~50 MB live,
 * V8's own limit set a major collection every 6–9 s with 500 players in one instance, each an
 * atomic pause of 10–25 ms plus incremental steps of up to 25 ms on top of a 30 ms patch, and
 * those were the late ticks left (2–5 per 20 s window; none with this flag). Both spaces grow
 * only as they are used: idle memory does not change, and memory measured after a full
 * collection neither; a busy process holds up to about 200 MB more garbage between collections.
 * No memory reducer: it starts full collections to shrink the heap whenever V8 judges the
 * allocation rate low, as when a crowd has just finished joining; one such collection (28 ms)
 * and the scavenges after it (29, 14, 17 ms) made a 158 ms gap in a window of 1,250 players in
 * one instance. A game process at steady load gains nothing from it: major collections still
 * come as the old generation fills.
 */
export const GAME_NODE_FLAGS = ['--max-semi-space-size=32', '--initial-old-space-size=256', '--no-memory-reducer'] as const;

export const gameConfigSchema = z.object({
  ...gameSettingsFields,
  ...serviceConfigFields(2571),
  /**
   * `host:port` at which clients reach this process. Seat reservations carry it, so that a
   * client placed in a room here by another process connects here (see docs/architecture.md).
   */
  PUBLIC_ADDRESS: z.string().regex(/^[\w.-]+(:\d+)?(\/[\w./-]*)?$/, 'must be host:port'),
});
export type GameConfig = z.infer<typeof gameConfigSchema>;
