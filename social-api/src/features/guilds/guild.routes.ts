import type { ApiRoute } from '@mmo/platform';
import {
  byNameRequestSchema,
  createGuildRequestSchema,
  ErrorCode,
  guildIdParamSchema,
  guildInviteListSchema,
  guildInviteSchema,
  guildMemberParamsSchema,
  guildMemberSchema,
  guildRosterSchema,
  guildSchema,
  inviteIdParamSchema,
  setGuildRanksRequestSchema,
  setMemberRankRequestSchema,
  transferLeadershipRequestSchema,
  updateGuildRequestSchema,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { socialRoute } from '../social-route.js';
import { acceptGuildInvite, declineGuildInvite, inviteToGuild, listGuildInvites } from './guild-invites.service.js';
import { setGuildMemberRank, setGuildRanks, transferGuildLeadership } from './guild-ranks.service.js';
import { createGuild, disbandGuild, getCurrentGuild, getGuildRoster, kickGuildMember, leaveGuild, updateGuildMotd } from './guild.service.js';

const tag = 'guilds';

/**
 * Every route on a guild answers `GUILD_NOT_FOUND` when no such guild exists and
 * `GUILD_PERMISSION_DENIED` when it exists but the actor is not a member or their rank does
 * not allow the action.
 */
const guildAccess = [ErrorCode.GUILD_NOT_FOUND, ErrorCode.GUILD_PERMISSION_DENIED] as const;

/** `/social/guilds`: the actor's guild, its ranks, members and invites. */
export function guildRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    socialRoute(deps, {
      method: 'post', path: '/social/guilds', tag, status: 201, summary: 'Found a guild and lead it',
      body: createGuildRequestSchema, response: guildSchema,
      errors: [ErrorCode.ALREADY_IN_GUILD, ErrorCode.GUILD_NAME_TAKEN, ErrorCode.GUILD_TAG_TAKEN, ErrorCode.NAME_NOT_ALLOWED],
      handle: ({ actor, body }) => createGuild(deps, actor, body),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/guilds/current', tag, summary: 'The guild you are in',
      response: guildSchema, errors: [ErrorCode.NOT_IN_GUILD],
      handle: ({ actor }) => getCurrentGuild(deps, actor),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/guilds/invites', tag, summary: 'Guild invites you received that are still open',
      response: guildInviteListSchema,
      handle: ({ actor }) => listGuildInvites(deps, actor),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/guilds/invites/:inviteId/accept', tag, summary: 'Join a guild you were invited to, at its lowest rank',
      params: inviteIdParamSchema, response: guildSchema,
      errors: [ErrorCode.BLOCKED, ErrorCode.INVITE_NOT_FOUND, ErrorCode.INVITE_EXPIRED, ErrorCode.GUILD_FULL, ErrorCode.ALREADY_IN_GUILD],
      handle: ({ actor, params }) => acceptGuildInvite(deps, actor, params.inviteId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/guilds/invites/:inviteId', tag, summary: 'Decline a guild invite',
      params: inviteIdParamSchema, errors: [ErrorCode.INVITE_NOT_FOUND],
      handle: ({ actor, params }) => declineGuildInvite(deps, actor, params.inviteId),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/guilds/:guildId/roster', tag,
      summary: 'Members with class, level, rank and where they play, highest rank first (members only)',
      params: guildIdParamSchema, response: guildRosterSchema, errors: guildAccess,
      handle: ({ actor, params }) => getGuildRoster(deps, actor, params.guildId),
    }),
    socialRoute(deps, {
      method: 'patch', path: '/social/guilds/:guildId', tag, summary: 'Set the message of the day (rank permission edit_motd)',
      params: guildIdParamSchema, body: updateGuildRequestSchema, response: guildSchema, errors: guildAccess,
      handle: ({ actor, params, body }) => updateGuildMotd(deps, actor, params.guildId, body.motd),
    }),
    socialRoute(deps, {
      method: 'put', path: '/social/guilds/:guildId/ranks', tag,
      summary: 'Replace the ranks, highest first: keep (with id), add (without) or remove (left out) ranks (leader only)',
      params: guildIdParamSchema, body: setGuildRanksRequestSchema, response: guildSchema,
      errors: [...guildAccess, ErrorCode.RANK_NOT_FOUND, ErrorCode.RANK_IN_USE, ErrorCode.NAME_NOT_ALLOWED],
      handle: ({ actor, params, body }) => setGuildRanks(deps, actor, params.guildId, body.ranks),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/guilds/:guildId/invites', tag, status: 201, summary: 'Invite a character by name (rank permission invite)',
      params: guildIdParamSchema, body: byNameRequestSchema, response: guildInviteSchema,
      errors: [...guildAccess, ErrorCode.CANNOT_TARGET_SELF, ErrorCode.BLOCKED, ErrorCode.ALREADY_IN_GUILD, ErrorCode.ALREADY_INVITED, ErrorCode.GUILD_FULL],
      handle: ({ actor, params, body }) => inviteToGuild(deps, actor, params.guildId, body.name),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/guilds/:guildId/leave', tag,
      summary: 'Leave the guild; the leader may leave only as its last member, which disbands it',
      params: guildIdParamSchema, errors: [...guildAccess, ErrorCode.LEADER_CANNOT_LEAVE],
      handle: ({ actor, params }) => leaveGuild(deps, actor, params.guildId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/guilds/:guildId/members/:characterId', tag,
      summary: 'Remove a member of a lower rank (rank permission kick)',
      params: guildMemberParamsSchema,
      errors: [...guildAccess, ErrorCode.CANNOT_TARGET_SELF, ErrorCode.MEMBER_NOT_FOUND, ErrorCode.RANK_NOT_BELOW_YOURS],
      handle: ({ actor, params }) => kickGuildMember(deps, actor, params.guildId, params.characterId),
    }),
    socialRoute(deps, {
      method: 'put', path: '/social/guilds/:guildId/members/:characterId/rank', tag,
      summary: 'Give a member of a lower rank another rank below yours (rank permission promote); answers the member',
      params: guildMemberParamsSchema, body: setMemberRankRequestSchema, response: guildMemberSchema,
      errors: [...guildAccess, ErrorCode.MEMBER_NOT_FOUND, ErrorCode.RANK_NOT_FOUND, ErrorCode.RANK_NOT_BELOW_YOURS],
      handle: ({ actor, params, body }) => setGuildMemberRank(deps, actor, params.guildId, params.characterId, body.rankId),
    }),
    socialRoute(deps, {
      method: 'put', path: '/social/guilds/:guildId/leader', tag,
      summary: 'Hand the leadership to another member; you take the rank just below (leader only)',
      params: guildIdParamSchema, body: transferLeadershipRequestSchema, response: guildSchema,
      errors: [...guildAccess, ErrorCode.CANNOT_TARGET_SELF, ErrorCode.MEMBER_NOT_FOUND],
      handle: ({ actor, params, body }) => transferGuildLeadership(deps, actor, params.guildId, body.characterId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/guilds/:guildId', tag, summary: 'Disband the guild (rank permission disband)',
      params: guildIdParamSchema, errors: guildAccess,
      handle: ({ actor, params }) => disbandGuild(deps, params.guildId, { kind: 'member', actor }),
    }),
  ];
}
