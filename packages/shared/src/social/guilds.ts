import { z } from 'zod';
import { safeText } from '../text.js';
import { characterRefSchema, memberCardSchema, SOCIAL_TEXT } from './common.js';

/** What a guild rank may allow. The leader's rank (position 0) always allows all of them. */
export const GuildPermission = {
  invite: 'invite',
  kick: 'kick',
  promote: 'promote',
  edit_motd: 'edit_motd',
  disband: 'disband',
} as const;
export type GuildPermission = (typeof GuildPermission)[keyof typeof GuildPermission];
export const GUILD_PERMISSIONS = Object.values(GuildPermission);

/** The ranks a new guild starts with; the leader renames, adds and reorders them. */
export const DEFAULT_GUILD_RANKS: readonly { name: string; permissions: readonly GuildPermission[] }[] = [
  { name: 'Leader', permissions: GUILD_PERMISSIONS },
  { name: 'Officer', permissions: ['invite', 'kick', 'promote', 'edit_motd'] },
  { name: 'Member', permissions: [] },
];

export const guildNameSchema = safeText()
  .trim()
  .min(SOCIAL_TEXT.guildName.min, `must be at least ${SOCIAL_TEXT.guildName.min} characters`)
  .max(SOCIAL_TEXT.guildName.max, `must be at most ${SOCIAL_TEXT.guildName.max} characters`)
  .regex(SOCIAL_TEXT.guildName.pattern, 'must be letters and single spaces')
  // The pattern alone lets "Iron  Wolves" through, a second name for "Iron Wolves".
  .refine((name) => !name.includes('  '), 'must be letters and single spaces');

export const guildTagSchema = safeText()
  .trim()
  .min(SOCIAL_TEXT.guildTag.min, `must be at least ${SOCIAL_TEXT.guildTag.min} characters`)
  .max(SOCIAL_TEXT.guildTag.max, `must be at most ${SOCIAL_TEXT.guildTag.max} characters`)
  .regex(SOCIAL_TEXT.guildTag.pattern, 'must be letters and digits');

export const guildRankSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int().min(0),
  permissions: z.array(z.enum(GuildPermission)),
});
export type GuildRank = z.infer<typeof guildRankSchema>;

export const guildSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  tag: z.string(),
  motd: z.string(),
  leaderId: z.uuid(),
  memberCount: z.number().int().min(1),
  ranks: z.array(guildRankSchema),
  createdAt: z.iso.datetime(),
});
export type Guild = z.infer<typeof guildSchema>;

export const guildMemberSchema = memberCardSchema.extend({ rankId: z.uuid(), joinedAt: z.iso.datetime() });
export type GuildMember = z.infer<typeof guildMemberSchema>;

export const guildRosterSchema = z.object({ members: z.array(guildMemberSchema) });
export type GuildRoster = z.infer<typeof guildRosterSchema>;

export const guildInviteSchema = z.object({
  id: z.uuid(),
  guild: z.object({ id: z.uuid(), name: z.string(), tag: z.string() }),
  from: characterRefSchema,
  to: characterRefSchema,
  expiresAt: z.iso.datetime(),
});
export type GuildInvite = z.infer<typeof guildInviteSchema>;

export const guildInviteListSchema = z.object({ invites: z.array(guildInviteSchema) });
export type GuildInviteList = z.infer<typeof guildInviteListSchema>;

export const createGuildRequestSchema = z.object({ name: guildNameSchema, tag: guildTagSchema });
export type CreateGuildRequest = z.infer<typeof createGuildRequestSchema>;

export const updateGuildRequestSchema = z.object({ motd: safeText().trim().max(SOCIAL_TEXT.motdMaxLength) });
export type UpdateGuildRequest = z.infer<typeof updateGuildRequestSchema>;

/**
 * `PUT /social/guilds/:guildId/ranks`: the whole rank list, highest first. A rank with an `id`
 * keeps its members; one without is new; a missing one is removed (refused while it has
 * members). The first rank is the leader's and keeps every permission.
 */
export const setGuildRanksRequestSchema = z.object({
  ranks: z
    .array(
      z.object({
        id: z.uuid().optional(),
        name: safeText().trim().min(SOCIAL_TEXT.rankName.min).max(SOCIAL_TEXT.rankName.max),
        permissions: z.array(z.enum(GuildPermission)),
      }),
    )
    .min(2)
    .max(10),
});
export type SetGuildRanksRequest = z.infer<typeof setGuildRanksRequestSchema>;

export const guildIdParamSchema = z.object({ guildId: z.uuid() });
export const guildMemberParamsSchema = z.object({ guildId: z.uuid(), characterId: z.uuid() });
export const setMemberRankRequestSchema = z.object({ rankId: z.uuid() });
export const transferLeadershipRequestSchema = z.object({ characterId: z.uuid() });

/** `PATCH /admin/social/guilds/:guildId`: a moderator renames an abusive guild. */
export const moderateGuildRequestSchema = z
  .object({ name: guildNameSchema.optional(), tag: guildTagSchema.optional(), reason: safeText().trim().min(1).max(SOCIAL_TEXT.reasonMaxLength) })
  .refine((value) => value.name !== undefined || value.tag !== undefined, 'give a new name or tag');
export type ModerateGuildRequest = z.infer<typeof moderateGuildRequestSchema>;
