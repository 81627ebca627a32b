import { serviceConfigFields } from '@mmo/platform';
import { z } from 'zod';

export const socialConfigSchema = z.object({
  ...serviceConfigFields(2570),
});
export type SocialConfig = z.infer<typeof socialConfigSchema>;
