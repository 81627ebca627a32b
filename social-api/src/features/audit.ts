import type { Prisma, PrismaClient } from '@mmo/platform';

type Db = PrismaClient | Prisma.TransactionClient;

/** One moderator action, for the audit log. */
export interface AuditRecord {
  /** The moderator's account. */
  actorId: string;
  /** What was done, as `<target>.<verb>`: `guild.rename`, `message.remove`. */
  action: string;
  targetType: 'guild' | 'message' | 'report' | 'conversation';
  targetId: string;
  /** What a later reader needs: the reason, the old and new values. */
  details: Record<string, unknown>;
}

/**
 * Appends an audit entry. Pass the transaction that makes the change, so that the action and
 * its record land together or not at all.
 */
export async function recordAudit(db: Db, record: AuditRecord): Promise<void> {
  await db.auditEntry.create({ data: { ...record, details: record.details as Prisma.InputJsonValue } });
}
