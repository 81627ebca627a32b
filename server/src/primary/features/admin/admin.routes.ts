import { defineRoute, type ApiRoute } from '@mmo/platform';
import {
  accountDetailSchema,
  accountIdParamSchema,
  accountSearchPageSchema,
  accountSearchQuerySchema,
  accountSessionParamSchema,
  adminAuditPageSchema,
  adminReasonSchema,
  announcementRequestSchema,
  auditQuerySchema,
  ErrorCode,
  liveViewSchema,
  roleChangeRequestSchema,
  sanctionRequestSchema,
  sanctionResultSchema,
} from '@mmo/shared';
import { z } from 'zod';
import { accountDetail, searchAccounts, type AccountAdminDeps } from './account-admin.service.js';
import { listAuditLog } from './audit.service.js';
import { announce, liveView, type LiveDeps } from './live.service.js';
import { changeRole, endAccountSession, imposeSanction, kickAccount, liftSanction, type SanctionDeps } from './sanction.service.js';

export type AdminRoutesDeps = SanctionDeps & AccountAdminDeps & LiveDeps;

const tag = 'admin';
const account = { targetType: 'account', targetId: ({ params }: { params: Record<string, unknown> }) => String(params.accountId) };
const sanctionErrors = [ErrorCode.ACCOUNT_NOT_FOUND, ErrorCode.TARGET_PROTECTED];

/**
 * `/admin/...` of the primary: accounts, their sanctions and sessions, roles, the unified audit
 * log, the live view and announcements. Every route writes its audit row through the route
 * table (the changes write it in their own transaction).
 */
export function adminRoutes(deps: AdminRoutesDeps): ApiRoute[] {
  const sanction = (kind: 'ban' | 'mute') =>
    defineRoute({
      method: 'post', path: `/admin/accounts/:accountId/${kind}`, tag, access: 'moderator',
      summary: kind === 'ban'
        ? 'Ban an account (reason, duration or permanent): its sessions end and every service refuses it with ACCOUNT_BANNED within a second'
        : 'Mute an account (reason, duration or permanent): area, party, guild chat and private messages answer MUTED',
      params: accountIdParamSchema, body: sanctionRequestSchema, status: 201, response: sanctionResultSchema, errors: sanctionErrors,
      audit: { action: `account.${kind}`, ...account },
      handle: async ({ auth, audit, params, body }) => ({ sanction: await imposeSanction(deps, auth, audit, params.accountId, kind, body) }),
    });
  const lift = (kind: 'ban' | 'mute') =>
    defineRoute({
      method: 'post', path: `/admin/accounts/:accountId/un${kind}`, tag, access: 'moderator',
      summary: `Lift the ${kind} in force, with a reason`,
      params: accountIdParamSchema, body: adminReasonSchema, response: sanctionResultSchema,
      errors: [...sanctionErrors, ErrorCode.SANCTION_NOT_FOUND],
      audit: { action: `account.un${kind}`, ...account },
      handle: async ({ auth, audit, params, body }) => ({ sanction: await liftSanction(deps, auth, audit, params.accountId, kind, body.reason) }),
    });
  return [
    defineRoute({
      method: 'get', path: '/admin/accounts', tag, access: 'moderator',
      summary: 'Search accounts by username, character name or session address (from its start), a page at a time',
      query: accountSearchQuerySchema, response: accountSearchPageSchema,
      audit: { action: 'account.search', targetType: 'account', targetId: ({ query }) => `${String(query.by)}:${String(query.q)}` },
      handle: ({ query }) => searchAccounts(deps, query),
    }),
    defineRoute({
      method: 'get', path: '/admin/accounts/:accountId', tag, access: 'moderator',
      summary: 'An account: characters (and where they play), sessions, sanction history, reports against it',
      params: accountIdParamSchema, response: accountDetailSchema, errors: [ErrorCode.ACCOUNT_NOT_FOUND],
      audit: { action: 'account.view', ...account },
      handle: ({ params }) => accountDetail(deps, params.accountId),
    }),
    sanction('ban'),
    lift('ban'),
    sanction('mute'),
    lift('mute'),
    defineRoute({
      method: 'post', path: '/admin/accounts/:accountId/kick', tag, access: 'moderator',
      summary: 'Close every game connection of the account now (no ban: it may join again)',
      params: accountIdParamSchema, body: adminReasonSchema, status: 201, response: sanctionResultSchema, errors: sanctionErrors,
      audit: { action: 'account.kick', ...account },
      handle: async ({ auth, audit, params, body }) => ({ sanction: await kickAccount(deps, auth, audit, params.accountId, body.reason) }),
    }),
    defineRoute({
      method: 'post', path: '/admin/accounts/:accountId/sessions/:sessionId/end', tag, access: 'moderator',
      summary: 'End one session of the account (its refresh and access tokens stop working everywhere)',
      params: accountSessionParamSchema, body: adminReasonSchema, status: 201, response: sanctionResultSchema,
      errors: [...sanctionErrors, ErrorCode.SESSION_NOT_FOUND],
      audit: { action: 'account.session_end', ...account },
      handle: async ({ auth, audit, params, body }) => ({ sanction: await endAccountSession(deps, auth, audit, params.accountId, params.sessionId, body.reason) }),
    }),
    defineRoute({
      method: 'put', path: '/admin/accounts/:accountId/role', tag, access: 'admin',
      summary: "Change an account's role (admins only); its sessions end so that new tokens carry the new role",
      params: accountIdParamSchema, body: roleChangeRequestSchema, response: z.object({ role: roleChangeRequestSchema.shape.role }),
      errors: [ErrorCode.ACCOUNT_NOT_FOUND],
      audit: { action: 'account.role', ...account },
      handle: ({ audit, params, body }) => changeRole(deps, audit, params.accountId, body.role),
    }),
    defineRoute({
      method: 'get', path: '/admin/audit', tag, access: 'moderator',
      summary: 'The audit log of every service, newest first, filtered by actor, target, action prefix or service',
      query: auditQuerySchema, response: adminAuditPageSchema, errors: [ErrorCode.NOT_FOUND],
      audit: { action: 'audit.read', targetType: 'audit' },
      handle: ({ query }) => listAuditLog(deps, query),
    }),
    defineRoute({
      method: 'get', path: '/admin/live', tag, access: 'moderator',
      summary: 'Players online by area and instance, and the game processes with their rooms',
      response: liveViewSchema,
      audit: { action: 'live.view', targetType: 'game' },
      handle: () => liveView(deps),
    }),
    defineRoute({
      method: 'post', path: '/admin/announcements', tag, access: 'moderator',
      summary: 'A system line in the game chat, to every area or one',
      body: announcementRequestSchema,
      audit: { action: 'game.announce', targetType: 'area', targetId: ({ body }) => (body as { area: string | null }).area ?? 'all' },
      handle: async ({ audit, body }) => {
        await announce(deps, body);
        await audit.record(deps.prisma, { details: { text: body.text } });
      },
    }),
  ];
}
