import { configFields } from '@mmo/platform';
import { playerSettingsFields } from '@mmo/player-api';
import { gameSettingsFields } from '@mmo/server/game';
import { primarySettingsFields } from '@mmo/server/primary';
import { socialSettingsFields } from '@mmo/social-api';
import { z } from 'zod';

/**
 * Embedded mode: every service in one process. Nothing is required; without `DATABASE_URL`
 * and `REDIS_URL` it runs on PGlite under `DATA_DIR` and in-process presence and bus.
 */
export const embeddedConfigSchema = z.object({
  ...primarySettingsFields,
  ...gameSettingsFields,
  ...playerSettingsFields,
  ...socialSettingsFields,
  PORT: configFields.port(2567),
  LOG_LEVEL: configFields.logLevel,
  TRUST_PROXY: configFields.trustProxy,
  CORS_ORIGINS: configFields.corsOrigins,
  DATA_DIR: z.string().default('.data'),
  /** The built browser client, served at `/`; `client/dist` of this checkout when unset. */
  CLIENT_DIST: z.string().optional(),
  DATABASE_URL: configFields.databaseUrl.optional(),
  REDIS_URL: configFields.redisUrl.optional(),
  /** Both taken from `DATA_DIR/secrets.json` (generated on first start) when unset. */
  TOKEN_PRIVATE_KEY: configFields.tokenPrivateKey.optional(),
  TOKEN_PUBLIC_KEY: configFields.tokenPublicKey.optional(),
});
export type EmbeddedConfig = z.infer<typeof embeddedConfigSchema>;
