import { configFields, serviceConfigFields } from '@mmo/platform';
import { z } from 'zod';

/** The social API's own settings, shared by its cluster process and the embedded mode. */
export const socialSettingsFields = {
  /** At least 2: a party of one is its leader alone. */
  PARTY_MAX_MEMBERS: z.coerce.number().int().min(2).default(5),
  GUILD_MAX_MEMBERS: z.coerce.number().int().min(2).default(100),
  FRIEND_LIMIT: configFields.count(100),
  /** How long a party or guild invite waits for an answer. */
  INVITE_TTL_SECONDS: configFields.seconds(120),
  /** Private messages one character may send per window. */
  MESSAGE_RATE_LIMIT: configFields.count(10),
  MESSAGE_RATE_WINDOW_SECONDS: configFields.seconds(10),
  /** Friend requests and party or guild invites one character may send per window. */
  INVITE_RATE_LIMIT: configFields.count(20),
  INVITE_RATE_WINDOW_SECONDS: configFields.seconds(60),
  /** Party and guild chat lines one character may send per window. */
  GROUP_CHAT_RATE_LIMIT: configFields.count(5),
  GROUP_CHAT_RATE_WINDOW_SECONDS: configFields.seconds(5),
  /** Words the profanity filter masks besides its English list. */
  PROFANITY_EXTRA_WORDS: configFields.wordList,
} as const;

export const socialSettingsSchema = z.object(socialSettingsFields);
export type SocialSettings = z.infer<typeof socialSettingsSchema>;

export const socialConfigSchema = z.object({
  ...socialSettingsFields,
  ...serviceConfigFields(2570),
});
export type SocialConfig = z.infer<typeof socialConfigSchema>;
