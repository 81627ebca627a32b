import { configFields } from '@mmo/platform';
import { z } from 'zod';

const upstream = z.url({ protocol: /^https?$/, error: 'must be an http:// URL' });

export const gatewayConfigSchema = z.object({
  PORT: configFields.port(2567),
  LOG_LEVEL: configFields.logLevel,
  PRIMARY_URL: upstream,
  PLAYER_API_URL: upstream,
  SOCIAL_API_URL: upstream,
  /** The built browser client; served at `/` when present. */
  CLIENT_DIST: z.string().optional(),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
