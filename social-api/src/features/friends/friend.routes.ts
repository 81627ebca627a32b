import type { ApiRoute } from '@mmo/platform';
import {
  blockListSchema,
  byNameRequestSchema,
  characterIdParamSchema,
  ErrorCode,
  friendListSchema,
  friendSchema,
  muteListSchema,
  relationSchema,
  sendFriendRequestResponseSchema,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { blockCharacter, listBlocks, listMutes, muteCharacter, unblockCharacter, unmuteCharacter } from '../relations/relation.service.js';
import { socialRoute } from '../social-route.js';
import { acceptFriendRequest, deleteFriendRequest, listFriends, removeFriend, sendFriendRequest } from './friend.service.js';

const tag = 'friends';

/** `/social/friends`, `/social/blocks`, `/social/mutes`. */
export function friendRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    socialRoute(deps, {
      method: 'get', path: '/social/friends', tag, summary: 'Friends with online status and area, and pending requests',
      response: friendListSchema,
      handle: ({ actor }) => listFriends(deps, actor),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/friends/requests', tag, status: 201,
      summary: 'Ask a character to be friends (accepted at once if they had asked you)',
      body: byNameRequestSchema, response: sendFriendRequestResponseSchema,
      errors: [ErrorCode.CANNOT_TARGET_SELF, ErrorCode.BLOCKED, ErrorCode.ALREADY_FRIENDS, ErrorCode.FRIEND_REQUEST_PENDING, ErrorCode.FRIEND_REQUEST_NOT_FOUND, ErrorCode.FRIEND_LIMIT_REACHED],
      handle: ({ actor, body }) => sendFriendRequest(deps, actor, body.name),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/friends/requests/:characterId/accept', tag, summary: 'Accept the request this character sent you',
      params: characterIdParamSchema, response: friendSchema,
      errors: [ErrorCode.BLOCKED, ErrorCode.FRIEND_REQUEST_NOT_FOUND, ErrorCode.FRIEND_LIMIT_REACHED],
      handle: ({ actor, params }) => acceptFriendRequest(deps, actor, params.characterId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/friends/requests/:characterId', tag, summary: 'Decline a received request or withdraw a sent one',
      params: characterIdParamSchema, errors: [ErrorCode.FRIEND_REQUEST_NOT_FOUND],
      handle: ({ actor, params }) => deleteFriendRequest(deps, actor, params.characterId),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/friends/:characterId', tag, summary: 'End a friendship',
      params: characterIdParamSchema, errors: [ErrorCode.FRIEND_NOT_FOUND],
      handle: ({ actor, params }) => removeFriend(deps, actor, params.characterId),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/blocks', tag, summary: 'Characters you have blocked',
      response: blockListSchema,
      handle: ({ actor }) => listBlocks(deps, actor),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/blocks', tag, status: 201,
      summary: 'Block a character: ends your friendship and refuses their requests, invites and messages',
      body: byNameRequestSchema, response: relationSchema, errors: [ErrorCode.CANNOT_TARGET_SELF],
      handle: ({ actor, body }) => blockCharacter(deps, actor, body.name),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/blocks/:characterId', tag, summary: 'Unblock a character',
      params: characterIdParamSchema, errors: [ErrorCode.NOT_FOUND],
      handle: ({ actor, params }) => unblockCharacter(deps, actor, params.characterId),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/mutes', tag, summary: 'Characters you have muted',
      response: muteListSchema,
      handle: ({ actor }) => listMutes(deps, actor),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/mutes', tag, status: 201,
      summary: 'Mute a character: their messages arrive without live notice and their group chat is hidden',
      body: byNameRequestSchema, response: relationSchema, errors: [ErrorCode.CANNOT_TARGET_SELF],
      handle: ({ actor, body }) => muteCharacter(deps, actor, body.name),
    }),
    socialRoute(deps, {
      method: 'delete', path: '/social/mutes/:characterId', tag, summary: 'Unmute a character',
      params: characterIdParamSchema, errors: [ErrorCode.NOT_FOUND],
      handle: ({ actor, params }) => unmuteCharacter(deps, actor, params.characterId),
    }),
  ];
}
