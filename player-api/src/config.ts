import { configFields, serviceConfigFields } from '@mmo/platform';
import { z } from 'zod';

/** The player API's own settings, shared by its cluster process and the embedded mode. */
export const playerSettingsFields = {
  MAX_CHARACTERS_PER_ACCOUNT: configFields.count(5),
} as const;

export const playerSettingsSchema = z.object(playerSettingsFields);
export type PlayerSettings = z.infer<typeof playerSettingsSchema>;

export const playerConfigSchema = z.object({
  ...playerSettingsFields,
  ...serviceConfigFields(2569),
});
export type PlayerConfig = z.infer<typeof playerConfigSchema>;
