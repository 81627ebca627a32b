import type { Prisma, PrismaClient } from './generated/prisma/client.js';

/** The database or the transaction an audit row is written in. */
export type AuditDb = PrismaClient | Prisma.TransactionClient;

/** What a moderator route declares about its audit row; the route table writes the row. */
export interface RouteAuditSpec {
  /** What was done, as `<target>.<verb>`: `account.ban`, `guild.rename`, `audit.read`. */
  action: string;
  /** What kind of thing was acted on: `account`, `session`, `guild`, `report`... */
  targetType: string;
  /** The id of the target, from the parsed request; `-` when the route acts on no one thing. */
  targetId?(input: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown }): string;
}

/** The parts of an audit row a handler may set when it writes the row itself. */
export interface AuditOverrides {
  action?: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/**
 * The audit row of one moderator request. A handler may write it inside the transaction that
 * makes the change (`record(tx, ...)`), so that the change and its record land together; if it
 * did not, the route table writes it once the handler has succeeded. Either way every
 * successful moderator request leaves exactly one row.
 */
export interface AuditTrail {
  record(db: AuditDb, overrides?: AuditOverrides): Promise<void>;
  readonly recorded: boolean;
}

/** Who acted, from where, on what: everything of a row but what the handler adds. */
export interface AuditBase {
  service: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Appends one row to `audit_entries` (the table is append-only: nothing updates or deletes it). */
export async function writeAuditRow(db: AuditDb, row: AuditBase): Promise<void> {
  await db.auditEntry.create({ data: { ...row, details: row.details as Prisma.InputJsonValue } });
}

/** A trail for one request; `record` writes at most once. */
export function createAuditTrail(base: AuditBase): AuditTrail & { flush(db: AuditDb): Promise<void> } {
  let recorded = false;
  const trail = {
    get recorded() {
      return recorded;
    },
    async record(db: AuditDb, overrides: AuditOverrides = {}) {
      if (recorded) return;
      await writeAuditRow(db, { ...base, ...overrides, details: overrides.details ?? base.details });
      recorded = true;
    },
    async flush(db: AuditDb) {
      if (!recorded) await trail.record(db);
    },
  };
  return trail;
}
