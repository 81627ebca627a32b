import { defineRoute, type ApiRoute } from '@mmo/platform';
import {
  auditLogSchema,
  chatReportIdParamSchema,
  chatReportListSchema,
  ErrorCode,
  messageIdParamSchema,
  messageReportListSchema,
  moderatedConversationSchema,
  moderationReasonSchema,
  pageQuerySchema,
  reportIdParamSchema,
  reportListQuerySchema,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { listChatReports, resolveChatReport } from './chat-report.service.js';
import { listAudit, listReports, readReportedConversation, removeMessage, resolveReport } from './message-moderation.service.js';

const tag = 'moderation';

/** `/admin/social/...`: message reports, reported conversations, removals and the audit log. */
export function messageAdminRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/admin/social/reports', tag, access: 'moderator',
      summary: 'Message reports, newest first: open ones unless status says otherwise',
      query: reportListQuerySchema, response: messageReportListSchema,
      audit: { action: 'report.list', targetType: 'report' },
      handle: ({ query }) => listReports(deps, query.status),
    }),
    defineRoute({
      method: 'get', path: '/admin/social/reports/:reportId/conversation', tag, access: 'moderator',
      summary: 'A page of the reported conversation, removed messages included; each read is written to the audit log',
      params: reportIdParamSchema, query: pageQuerySchema, response: moderatedConversationSchema,
      errors: [ErrorCode.REPORT_NOT_FOUND, ErrorCode.MESSAGE_NOT_FOUND],
      audit: { action: 'conversation.read', targetType: 'conversation', targetId: ({ params }) => String(params.reportId) },
      handle: ({ audit, params, query }) => readReportedConversation(deps, audit, params.reportId, query),
    }),
    defineRoute({
      method: 'post', path: '/admin/social/messages/:messageId/remove', tag, access: 'moderator',
      summary: 'Remove a message: players see it without text from then on (again: no change)',
      params: messageIdParamSchema, body: moderationReasonSchema,
      errors: [ErrorCode.MESSAGE_NOT_FOUND],
      audit: { action: 'message.remove', targetType: 'message', targetId: ({ params }) => String(params.messageId) },
      handle: ({ audit, params }) => removeMessage(deps, audit, params.messageId),
    }),
    defineRoute({
      method: 'post', path: '/admin/social/reports/:reportId/resolve', tag, access: 'moderator',
      summary: 'Mark a report decided (again: no change)',
      params: reportIdParamSchema, body: moderationReasonSchema,
      errors: [ErrorCode.REPORT_NOT_FOUND],
      audit: { action: 'report.resolve', targetType: 'report', targetId: ({ params }) => String(params.reportId) },
      handle: ({ audit, params }) => resolveReport(deps, audit, params.reportId),
    }),
    defineRoute({
      method: 'get', path: '/admin/social/chat-reports', tag, access: 'moderator',
      summary: 'Reports of area chat lines, each with the lines around it, newest first: open ones unless status says otherwise',
      query: reportListQuerySchema, response: chatReportListSchema,
      audit: { action: 'chat_report.list', targetType: 'chat_report' },
      handle: ({ query }) => listChatReports(deps, query.status),
    }),
    defineRoute({
      method: 'post', path: '/admin/social/chat-reports/:reportId/resolve', tag, access: 'moderator',
      summary: 'Mark an area chat report decided (again: no change)',
      params: chatReportIdParamSchema, body: moderationReasonSchema,
      errors: [ErrorCode.REPORT_NOT_FOUND],
      audit: { action: 'chat_report.resolve', targetType: 'chat_report', targetId: ({ params }) => String(params.reportId) },
      handle: ({ audit, params }) => resolveChatReport(deps, audit, params.reportId),
    }),
    defineRoute({
      method: 'get', path: '/admin/social/audit', tag, access: 'moderator',
      summary: 'The audit log of moderator actions, newest first; pass nextBefore as before for older entries',
      query: pageQuerySchema, response: auditLogSchema,
      errors: [ErrorCode.NOT_FOUND],
      audit: { action: 'audit.read', targetType: 'audit' },
      handle: ({ query }) => listAudit(deps, query),
    }),
  ];
}
