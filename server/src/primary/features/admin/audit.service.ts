import { DomainError, type PrismaClient } from '@mmo/platform';
import { ErrorCode, type AdminAuditPage, type AuditQuery } from '@mmo/shared';

function detailsOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The unified audit log (every service's moderator actions), newest first, filtered by actor,
 * target, action (prefix: `account.` matches every account action) and service. `before` is
 * the id of the last entry of the previous page; an unknown one answers `NOT_FOUND`.
 */
export async function listAuditLog(deps: { prisma: PrismaClient }, query: AuditQuery): Promise<AdminAuditPage> {
  let cursor: { createdAt: Date; id: string } | undefined;
  if (query.before) {
    const row = await deps.prisma.auditEntry.findUnique({ where: { id: query.before }, select: { createdAt: true, id: true } });
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'No such audit entry.');
    cursor = row;
  }
  const rows = await deps.prisma.auditEntry.findMany({
    where: {
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.targetId ? { targetId: query.targetId } : {}),
      ...(query.action ? { action: { startsWith: query.action } } : {}),
      ...(query.service ? { service: query.service } : {}),
      ...(cursor
        ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    include: { actor: { select: { username: true } } },
  });
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((row) => ({
      id: row.id,
      service: row.service,
      actorId: row.actorId,
      actorName: row.actor.username,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      reason: row.reason,
      ip: row.ip,
      details: detailsOf(row.details),
      createdAt: row.createdAt.toISOString(),
    })),
    nextBefore: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}
