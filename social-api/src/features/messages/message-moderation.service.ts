import { DomainError, type AuditTrail, type Prisma } from '@mmo/platform';
import {
  ErrorCode,
  type AuditEntry,
  type AuditLog,
  type MessageReportList,
  type ModeratedConversation,
  type PageQuery,
  type ReportListQuery,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { pageOfConversation, toPrivateMessage, toReport, type ReportRow } from './message.service.js';

type ModerationDeps = Pick<SocialDeps, 'prisma' | 'clock'>;

const statusFilter: Record<ReportListQuery['status'], Prisma.MessageReportWhereInput> = {
  open: { resolvedAt: null },
  resolved: { resolvedAt: { not: null } },
  all: {},
};

/** Message reports, newest first: open ones by default, resolved ones or all on request. */
export async function listReports(deps: Pick<SocialDeps, 'prisma'>, status: ReportListQuery['status']): Promise<MessageReportList> {
  const rows = await deps.prisma.messageReport.findMany({
    where: statusFilter[status],
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return { reports: rows.map(toReport) };
}

async function findReport(deps: Pick<SocialDeps, 'prisma'>, reportId: string): Promise<ReportRow> {
  const row = await deps.prisma.messageReport.findUnique({ where: { id: reportId } });
  if (!row) throw new DomainError(ErrorCode.REPORT_NOT_FOUND);
  return row;
}

/**
 * A page of the conversation a report points at, with removed messages' text: moderators read
 * private conversations only through a report. Every read is written to the audit log before
 * the page is answered, so a read that could not be recorded is not answered either.
 */
export async function readReportedConversation(deps: ModerationDeps, audit: AuditTrail, reportId: string, page: PageQuery): Promise<ModeratedConversation> {
  const report = await findReport(deps, reportId);
  // What is left of the conversation: a deleted character's messages are gone, the report's copy is not.
  const { conversationKey } = report;
  const { rows, nextBefore } = await pageOfConversation(deps.prisma, conversationKey, page);
  await audit.record(deps.prisma, { targetType: 'conversation', targetId: conversationKey, details: { reportId } });
  return {
    report: toReport(report),
    messages: rows.map((row) => ({ ...toPrivateMessage(row), text: row.body, removedAt: row.removedAt?.toISOString() ?? null })),
    nextBefore,
  };
}

/**
 * Removes a message: players then see it without text, moderators still read it. Removal and
 * its audit entry are written together. Removing an already removed message changes nothing;
 * its audit row (written by the route) says `changed: false`, so the log still names the one
 * moderator who removed it, and when.
 */
export async function removeMessage(deps: ModerationDeps, audit: AuditTrail, messageId: string): Promise<void> {
  await deps.prisma.$transaction(async (tx) => {
    const exists = await tx.message.findUnique({ where: { id: messageId }, select: { conversationKey: true } });
    if (!exists) throw new DomainError(ErrorCode.MESSAGE_NOT_FOUND);
    // The condition on removedAt makes two concurrent removals record one entry between them.
    const { count } = await tx.message.updateMany({ where: { id: messageId, removedAt: null }, data: { removedAt: new Date(deps.clock()) } });
    await audit.record(tx, { details: { changed: count === 1, conversationKey: exists.conversationKey } });
  });
}

/**
 * Marks a report decided, with the moderator's reason in the audit log. Like removal, resolving
 * a resolved report changes nothing (`changed: false` in its row).
 */
export async function resolveReport(deps: ModerationDeps, audit: AuditTrail, reportId: string): Promise<void> {
  await deps.prisma.$transaction(async (tx) => {
    const exists = await tx.messageReport.findUnique({ where: { id: reportId }, select: { messageId: true } });
    if (!exists) throw new DomainError(ErrorCode.REPORT_NOT_FOUND);
    const { count } = await tx.messageReport.updateMany({ where: { id: reportId, resolvedAt: null }, data: { resolvedAt: new Date(deps.clock()) } });
    await audit.record(tx, { details: { changed: count === 1, messageId: exists.messageId } });
  });
}

function detailsOf(value: Prisma.JsonValue): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/**
 * The audit log of every service, newest first, paged like conversations: `before` is the id
 * of the oldest entry of the previous page (NOT_FOUND when no such entry exists).
 */
export async function listAudit(deps: Pick<SocialDeps, 'prisma'>, page: PageQuery): Promise<AuditLog> {
  let cursor: Prisma.AuditEntryWhereInput = {};
  if (page.before) {
    const before = await deps.prisma.auditEntry.findUnique({ where: { id: page.before }, select: { id: true, createdAt: true } });
    if (!before) throw new DomainError(ErrorCode.NOT_FOUND, 'No audit entry has that id.');
    cursor = { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] };
  }
  const rows = await deps.prisma.auditEntry.findMany({ where: cursor, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: page.limit + 1 });
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const entries: AuditEntry[] = shown.map((row) => ({
    id: row.id,
    actorId: row.actorId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    reason: row.reason,
    details: detailsOf(row.details),
    createdAt: row.createdAt.toISOString(),
  }));
  return { entries, nextBefore: more ? shown[shown.length - 1]!.id : null };
}
