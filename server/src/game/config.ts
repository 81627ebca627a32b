import { configFields } from '@mmo/platform';
import { z } from 'zod';

export const gameConfigSchema = z.object({
  PORT: configFields.port(2571),
  /**
   * `host:port` at which clients reach this process. Seat reservations carry it, so that a
   * client placed in a room here by another process connects here (see docs/architecture.md).
   */
  PUBLIC_ADDRESS: z.string().regex(/^[\w.-]+(:\d+)?(\/[\w./-]*)?$/, 'must be host:port'),
  LOG_LEVEL: configFields.logLevel,
  DATABASE_URL: configFields.databaseUrl,
  REDIS_URL: configFields.redisUrl,
  JWT_SECRET: configFields.jwtSecret,
});
export type GameConfig = z.infer<typeof gameConfigSchema>;
