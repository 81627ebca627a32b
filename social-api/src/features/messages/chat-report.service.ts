import { DomainError, type AuditTrail, type Prisma } from '@mmo/platform';
import { ErrorCode, reportedChatLineSchema, type BusEvent, type ChatReport, type ChatReportList, type ReportListQuery } from '@mmo/shared';
import { z } from 'zod';
import type { SocialDeps } from '../../social.deps.js';

type ChatReportDeps = Pick<SocialDeps, 'prisma' | 'clock'>;

/** Keeps a room's report of an area chat line, with its context, for the moderators. */
export async function recordChatReport(deps: ChatReportDeps, event: BusEvent<'game.chat_report'>): Promise<void> {
  await deps.prisma.chatReport.create({
    data: {
      area: event.area,
      roomId: event.roomId,
      reporterId: event.reporterId,
      reporterName: event.reporterName,
      reportedId: event.line.characterId,
      reportedName: event.line.from,
      line: event.line as Prisma.InputJsonValue,
      context: event.context as Prisma.InputJsonValue,
      reason: event.reason,
      createdAt: new Date(deps.clock()),
    },
  });
}

type Row = Awaited<ReturnType<ChatReportDeps['prisma']['chatReport']['findMany']>>[number];

function toChatReport(row: Row): ChatReport {
  return {
    id: row.id,
    area: row.area,
    reporterName: row.reporterName,
    reportedId: row.reportedId,
    reportedName: row.reportedName,
    line: reportedChatLineSchema.parse(row.line),
    context: z.array(reportedChatLineSchema).parse(row.context),
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** Area chat reports, newest first: open ones unless `status` says otherwise. */
export async function listChatReports(deps: ChatReportDeps, status: ReportListQuery['status']): Promise<ChatReportList> {
  const where = status === 'open' ? { resolvedAt: null } : status === 'resolved' ? { resolvedAt: { not: null } } : {};
  const rows = await deps.prisma.chatReport.findMany({ where, orderBy: { createdAt: 'desc' }, take: 100 });
  return { reports: rows.map(toChatReport) };
}

/** Marks a chat report decided; resolving it again changes nothing (`changed: false`). */
export async function resolveChatReport(deps: ChatReportDeps, audit: AuditTrail, reportId: string): Promise<void> {
  await deps.prisma.$transaction(async (tx) => {
    const exists = await tx.chatReport.findUnique({ where: { id: reportId }, select: { reportedId: true } });
    if (!exists) throw new DomainError(ErrorCode.REPORT_NOT_FOUND);
    const { count } = await tx.chatReport.updateMany({ where: { id: reportId, resolvedAt: null }, data: { resolvedAt: new Date(deps.clock()) } });
    await audit.record(tx, { details: { changed: count === 1, reportedId: exists.reportedId } });
  });
}
