import { configFields } from '@mmo/platform';
import { z } from 'zod';

export const socialConfigSchema = z.object({
  PORT: configFields.port(2570),
  LOG_LEVEL: configFields.logLevel,
  TRUST_PROXY: configFields.trustProxy,
  DATABASE_URL: configFields.databaseUrl,
  REDIS_URL: configFields.redisUrl,
  TOKEN_PUBLIC_KEY: configFields.tokenPublicKey,
});
export type SocialConfig = z.infer<typeof socialConfigSchema>;
