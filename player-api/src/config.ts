import { configFields } from '@mmo/platform';
import { z } from 'zod';

/** The player API's own settings, shared by its cluster process and the embedded mode. */
export const playerSettingsFields = {
  MAX_CHARACTERS_PER_ACCOUNT: configFields.count(5),
} as const;

export const playerSettingsSchema = z.object(playerSettingsFields);
export type PlayerSettings = z.infer<typeof playerSettingsSchema>;

export const playerConfigSchema = z.object({
  ...playerSettingsFields,
  PORT: configFields.port(2569),
  LOG_LEVEL: configFields.logLevel,
  TRUST_PROXY: configFields.trustProxy,
  DATABASE_URL: configFields.databaseUrl,
  REDIS_URL: configFields.redisUrl,
  TOKEN_PUBLIC_KEY: configFields.tokenPublicKey,
});
export type PlayerConfig = z.infer<typeof playerConfigSchema>;
