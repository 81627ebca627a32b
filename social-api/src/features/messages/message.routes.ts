import type { ApiRoute } from '@mmo/platform';
import {
  characterIdParamSchema,
  conversationListSchema,
  ErrorCode,
  markReadRequestSchema,
  messageIdParamSchema,
  messagePageSchema,
  messageReportSchema,
  pageQuerySchema,
  privateMessageSchema,
  reportMessageRequestSchema,
  sendMessageRequestSchema,
  unreadCountSchema,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { socialRoute } from '../social-route.js';
import { conversationWith, listConversations, markRead, reportMessage, sendMessage, unreadCount } from './message.service.js';

const tag = 'messages';

/** `/social/messages`: private messages between characters, kept while the recipient is away. */
export function messageRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    socialRoute(deps, {
      method: 'post', path: '/social/messages', tag, status: 201,
      summary: 'Send a private message to a character by name (profanity is masked)',
      body: sendMessageRequestSchema, response: privateMessageSchema,
      errors: [ErrorCode.CANNOT_TARGET_SELF, ErrorCode.BLOCKED, ErrorCode.MUTED],
      handle: ({ actor, body }) => {
        // A moderator's mute (primary) silences private messages too, with its reason and end.
        deps.sanctions.assertNotMuted(actor.accountId);
        return sendMessage(deps, actor, body.to, body.text);
      },
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/messages', tag, summary: 'Your conversations, newest first, with the last message and the unread count of each',
      response: conversationListSchema,
      handle: ({ actor }) => listConversations(deps, actor),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/messages/unread-count', tag, summary: 'How many received messages you have not read, over all conversations',
      response: unreadCountSchema,
      handle: ({ actor }) => unreadCount(deps, actor),
    }),
    socialRoute(deps, {
      method: 'get', path: '/social/messages/with/:characterId', tag,
      summary: 'A page of your conversation with a character, newest first; pass nextBefore as before for older messages',
      params: characterIdParamSchema, query: pageQuerySchema, response: messagePageSchema,
      errors: [ErrorCode.MESSAGE_NOT_FOUND],
      handle: ({ actor, params, query }) => conversationWith(deps, actor, params.characterId, query),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/messages/with/:characterId/read', tag,
      summary: 'Mark the messages this character sent you, up to and including one, as read; answers your remaining unread count',
      params: characterIdParamSchema, body: markReadRequestSchema, response: unreadCountSchema,
      errors: [ErrorCode.MESSAGE_NOT_FOUND],
      handle: ({ actor, params, body }) => markRead(deps, actor, params.characterId, body.upTo),
    }),
    socialRoute(deps, {
      method: 'post', path: '/social/messages/:messageId/report', tag, status: 201,
      summary: 'Report a message you received; moderators may then read that conversation',
      params: messageIdParamSchema, body: reportMessageRequestSchema, response: messageReportSchema,
      errors: [ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.ALREADY_REPORTED],
      handle: ({ actor, params, body }) => reportMessage(deps, actor, params.messageId, body.reason),
    }),
  ];
}
