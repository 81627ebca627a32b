import { z } from 'zod';
import { safeText } from '../text.js';
import { CharacterClass, characterNameSchema } from '../characters.js';
import { AREA_IDS } from '../world.js';

/**
 * Text limits of the social features. Rate limits and the size of parties and guilds are per
 * deployment and live in the social API's config.
 */
export const SOCIAL_TEXT = {
  messageMaxLength: 500,
  motdMaxLength: 200,
  guildName: { min: 3, max: 24, pattern: /^[A-Za-z][A-Za-z ]*[A-Za-z]$/ },
  guildTag: { min: 2, max: 5, pattern: /^[A-Za-z0-9]+$/ },
  rankName: { min: 1, max: 24 },
  reasonMaxLength: 500,
} as const;

/**
 * The header that names which of the account's characters acts. Friends, parties, guilds and
 * messages belong to characters, while access tokens belong to accounts.
 */
export const CHARACTER_HEADER = 'x-character-id';
export const actingCharacterHeadersSchema = z.object({ [CHARACTER_HEADER]: z.uuid() });

/** Another character as social answers show it: never its account. */
export const characterRefSchema = z.object({ id: z.uuid(), name: z.string() });
export type CharacterRef = z.infer<typeof characterRefSchema>;

/** Where a character is now, as far as the cluster's online directory knows. */
export const onlineStatusSchema = z.object({ online: z.boolean(), area: z.enum(AREA_IDS).nullable() });
export type OnlineStatus = z.infer<typeof onlineStatusSchema>;

/** A member as party and guild rosters show it. */
export const memberCardSchema = characterRefSchema.extend({
  class: z.enum(CharacterClass),
  level: z.number().int().min(1),
  ...onlineStatusSchema.shape,
});
export type MemberCard = z.infer<typeof memberCardSchema>;

/** `{name}`: a character named by a player, in any letter case. */
export const byNameRequestSchema = z.object({ name: characterNameSchema });
export type ByNameRequest = z.infer<typeof byNameRequestSchema>;

export const characterIdParamSchema = z.object({ characterId: z.uuid() });

/** A paging cursor: the id of the oldest item of the previous page. */
export const pageQuerySchema = z.object({
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A moderator's stated reason, kept in the audit log. */
export const moderationReasonSchema = z.object({ reason: safeText().trim().min(1).max(SOCIAL_TEXT.reasonMaxLength) });
