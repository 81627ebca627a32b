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
  /** Tiles within which others appear... */
  AOI_ENTER_RADIUS: z.coerce.number().positive().default(12),
  /** ...and beyond which they vanish; larger, so that nobody flickers at the edge. */
  AOI_LEAVE_RADIUS: z.coerce.number().positive().default(16),
  /** Words masked in area chat besides the profanity filter's English list (as in the social API). */
  PROFANITY_EXTRA_WORDS: configFields.wordList,
} as const;

/** Adds the cross-field check of the interest radii to a schema that has `gameSettingsFields`. */
export function withAoiCheck<S extends z.ZodType<{ AOI_ENTER_RADIUS: number; AOI_LEAVE_RADIUS: number }>>(schema: S) {
  return schema.refine((s) => s.AOI_LEAVE_RADIUS > s.AOI_ENTER_RADIUS, {
    message: 'must exceed AOI_ENTER_RADIUS',
    path: ['AOI_LEAVE_RADIUS'],
  });
}

export const gameSettingsSchema = withAoiCheck(z.object(gameSettingsFields));
export type GameSettings = z.infer<typeof gameSettingsSchema>;

export const gameConfigSchema = withAoiCheck(
  z.object({
    ...gameSettingsFields,
    ...serviceConfigFields(2571),
    /**
     * `host:port` at which clients reach this process. Seat reservations carry it, so that a
     * client placed in a room here by another process connects here (see docs/architecture.md).
     */
    PUBLIC_ADDRESS: z.string().regex(/^[\w.-]+(:\d+)?(\/[\w./-]*)?$/, 'must be host:port'),
  }),
);
export type GameConfig = z.infer<typeof gameConfigSchema>;
