import { configFields, serviceConfigFields } from '@mmo/platform';
import { z } from 'zod';

/** The player API's own settings, shared by its cluster process and the embedded mode. */
export const playerSettingsFields = {
  MAX_CHARACTERS_PER_ACCOUNT: configFields.count(5),
  /** Public widget answers: how long browsers and proxies may reuse one, then serve it stale while refetching. */
  PUBLIC_CACHE_SECONDS: configFields.seconds(30),
  PUBLIC_STALE_SECONDS: configFields.seconds(300),
  /** Public widget requests one address (IPv6: one /64) may make per window, over every public route. */
  PUBLIC_RATE_LIMIT_PER_IP: configFields.count(120),
  PUBLIC_RATE_WINDOW_SECONDS: configFields.seconds(60),
  /** How long one count of the online directory answers `GET /public/online` before it is taken again. */
  PUBLIC_ONLINE_COUNT_SECONDS: configFields.seconds(5),
} as const;

export const playerSettingsSchema = z.object(playerSettingsFields);
export type PlayerSettings = z.infer<typeof playerSettingsSchema>;

export const playerConfigSchema = z.object({
  ...playerSettingsFields,
  ...serviceConfigFields(2569),
});
export type PlayerConfig = z.infer<typeof playerConfigSchema>;
