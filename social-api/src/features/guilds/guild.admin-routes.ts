import { defineRoute, type ApiRoute } from '@mmo/platform';
import { ErrorCode, guildIdParamSchema, guildSchema, moderateGuildRequestSchema, moderationReasonSchema } from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { disbandGuild, renameGuild } from './guild.service.js';

const tag = 'admin';

/** `/admin/social/guilds`: moderators act on abusive guilds; every action is audited. */
export function guildAdminRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'patch', path: '/admin/social/guilds/:guildId', tag, access: 'moderator',
      summary: 'Rename an abusive guild (name, tag or both), with a reason for the audit log',
      params: guildIdParamSchema, body: moderateGuildRequestSchema, response: guildSchema,
      errors: [ErrorCode.GUILD_NOT_FOUND, ErrorCode.GUILD_NAME_TAKEN, ErrorCode.GUILD_TAG_TAKEN],
      audit: { action: 'guild.rename', targetType: 'guild', targetId: ({ params }) => String(params.guildId) },
      handle: ({ audit, params, body }) => renameGuild(deps, audit, params.guildId, body),
    }),
    defineRoute({
      method: 'post', path: '/admin/social/guilds/:guildId/disband', tag, access: 'moderator',
      summary: 'Disband an abusive guild, with a reason for the audit log',
      params: guildIdParamSchema, body: moderationReasonSchema,
      errors: [ErrorCode.GUILD_NOT_FOUND],
      audit: { action: 'guild.disband', targetType: 'guild', targetId: ({ params }) => String(params.guildId) },
      handle: ({ audit, params }) => disbandGuild(deps, params.guildId, { kind: 'moderator', audit }),
    }),
  ];
}
