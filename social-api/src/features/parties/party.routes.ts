import type { ApiRoute } from '@mmo/platform';
import {
  byNameRequestSchema,
  ErrorCode,
  inviteIdParamSchema,
  partyIdParamSchema,
  partyInviteListSchema,
  partyInviteSchema,
  partyMemberParamsSchema,
  partySchema,
  promoteLeaderRequestSchema,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { socialRoute } from '../social-route.js';
import {
  acceptPartyInvite,
  createParty,
  declinePartyInvite,
  disbandParty,
  getCurrentParty,
  inviteToParty,
  kickFromParty,
  leaveParty,
  listPartyInvites,
  promotePartyLeader,
} from './party.service.js';

const tag = 'parties';

/** `/social/parties`: the actor's party, its invites and its members. */
export function partyRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    socialRoute(deps, {
      method: 'post', path: '/social/parties', tag, status: 201, summary: 'Start a party that you lead',
      response: partySchema, errors: [ErrorCode.ALREADY_IN_PARTY],
      handle: ({ actor }) => createParty(deps, actor),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/parties/current', tag, summary: 'Your party, with members online status and area',
      response: partySchema, errors: [ErrorCode.NOT_IN_PARTY],
      handle: ({ actor }) => getCurrentParty(deps, actor),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/parties/invites', tag, summary: 'Party invites you received that have not expired',
      response: partyInviteListSchema,
      handle: ({ actor }) => listPartyInvites(deps, actor),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/parties/invites/:inviteId/accept', tag, summary: 'Join the party of an invite',
      params: inviteIdParamSchema, response: partySchema,
      errors: [ErrorCode.BLOCKED, ErrorCode.PARTY_NOT_FOUND, ErrorCode.INVITE_NOT_FOUND, ErrorCode.INVITE_EXPIRED, ErrorCode.ALREADY_IN_PARTY, ErrorCode.PARTY_FULL],
      handle: ({ actor, params }) => acceptPartyInvite(deps, actor, params.inviteId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/parties/invites/:inviteId', tag, summary: 'Decline an invite',
      params: inviteIdParamSchema, errors: [ErrorCode.INVITE_NOT_FOUND],
      handle: ({ actor, params }) => declinePartyInvite(deps, actor, params.inviteId),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/parties/:partyId/invites', tag, status: 201, summary: 'Invite a character by name (any member may)',
      params: partyIdParamSchema, body: byNameRequestSchema, response: partyInviteSchema,
      errors: [ErrorCode.PARTY_NOT_FOUND, ErrorCode.CANNOT_TARGET_SELF, ErrorCode.BLOCKED, ErrorCode.ALREADY_IN_PARTY, ErrorCode.PARTY_FULL, ErrorCode.ALREADY_INVITED],
      handle: ({ actor, params, body }) => inviteToParty(deps, actor, params.partyId, body.name),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/parties/:partyId/leave', tag, summary: 'Leave the party (the lead passes on; the last one out ends it)',
      params: partyIdParamSchema, errors: [ErrorCode.PARTY_NOT_FOUND],
      handle: ({ actor, params }) => leaveParty(deps, actor, params.partyId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/parties/:partyId/members/:characterId', tag, summary: 'Kick a member (leader only)',
      params: partyMemberParamsSchema,
      errors: [ErrorCode.PARTY_NOT_FOUND, ErrorCode.NOT_PARTY_LEADER, ErrorCode.MEMBER_NOT_FOUND, ErrorCode.CANNOT_TARGET_SELF],
      handle: ({ actor, params }) => kickFromParty(deps, actor, params.partyId, params.characterId),
    }),
    socialRoute(deps, {
      method: 'put', path: '/social/parties/:partyId/leader', tag, summary: 'Hand the lead to another member (leader only)',
      params: partyIdParamSchema, body: promoteLeaderRequestSchema, response: partySchema,
      errors: [ErrorCode.PARTY_NOT_FOUND, ErrorCode.NOT_PARTY_LEADER, ErrorCode.MEMBER_NOT_FOUND],
      handle: ({ actor, params, body }) => promotePartyLeader(deps, actor, params.partyId, body.characterId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/parties/:partyId', tag, summary: 'Disband the party (leader only)',
      params: partyIdParamSchema, errors: [ErrorCode.PARTY_NOT_FOUND, ErrorCode.NOT_PARTY_LEADER],
      handle: ({ actor, params }) => disbandParty(deps, actor, params.partyId),
    }),
  ];
}
