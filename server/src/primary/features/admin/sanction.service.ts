import { DomainError, loadActiveSanctions, type AuditTrail, type AuthContext, type Prisma, type PrismaClient, type Sanction, type SanctionList } from '@mmo/platform';
import { ErrorCode, type AccountSanctions, type Role, type SanctionRecord, type SanctionRequest } from '@mmo/shared';
import { revokeSession, type SessionDeps } from '../auth/session.service.js';

export type SanctionDeps = SessionDeps & { sanctions: SanctionList };

type Db = PrismaClient | Prisma.TransactionClient;
type SanctionRow = Sanction & { issuedBy: { username: string } | null; liftedBy: { username: string } | null };

const withNames = { issuedBy: { select: { username: true } }, liftedBy: { select: { username: true } } } as const;

/** A history row as moderators read it. */
export function toSanctionRecord(row: SanctionRow, now: number): SanctionRecord {
  const lasting = row.kind === 'ban' || row.kind === 'mute';
  return {
    id: row.id,
    kind: row.kind,
    reason: row.reason,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    issuedBy: row.issuedBy?.username ?? null,
    liftedBy: row.liftedBy?.username ?? null,
    liftedAt: row.liftedAt?.toISOString() ?? null,
    liftReason: row.liftReason,
    sessionId: row.sessionId,
    active: lasting && row.liftedAt === null && (row.endsAt === null || row.endsAt.getTime() > now),
  };
}

/** The bans and mutes in force on one account, read from the database. */
export async function activeSanctionsOf(prisma: PrismaClient, accountId: string, now: number): Promise<AccountSanctions> {
  const [found] = await loadActiveSanctions(prisma, now, accountId);
  return found ?? { accountId, ban: null, mute: null };
}

/**
 * The target account, checked against the actor: a moderator acts on players only; an admin
 * on anyone.
 */
async function targetOf(db: Db, actor: Pick<AuthContext, 'role'>, accountId: string): Promise<{ id: string; role: Role; username: string }> {
  const account = await db.account.findUnique({ where: { id: accountId }, select: { id: true, role: true, username: true } });
  if (!account) throw new DomainError(ErrorCode.ACCOUNT_NOT_FOUND);
  if (account.role !== 'player' && actor.role !== 'admin') throw new DomainError(ErrorCode.TARGET_PROTECTED);
  return account;
}

/**
 * Tells every process the account's bans and mutes now (this one at once). A failed publish is
 * logged: the database holds the sanction, so other processes enforce it from their next
 * catch-up (a Redis reconnect or a restart), and a ban's revoked sessions are refused anyway.
 */
async function announce(deps: SanctionDeps, accountId: string): Promise<void> {
  const current = await activeSanctionsOf(deps.prisma, accountId, deps.clock());
  deps.sanctions.apply(current);
  try {
    await deps.bus.publish('account.sanctions', current);
  } catch (error) {
    deps.logger.error({ err: error, accountId }, 'could not publish a sanction change');
  }
}

/** Ends every live session of an account through the revocation path. */
async function endAllSessions(deps: SanctionDeps, accountId: string, reason: string): Promise<void> {
  const live = await deps.prisma.session.findMany({ where: { accountId, revokedAt: null }, select: { id: true } });
  for (const session of live) await revokeSession(deps, session.id, reason);
}

/**
 * Bans or mutes an account for `durationSeconds` (null: permanently), replacing the ban or
 * mute in force (which is recorded as lifted by this one). The sanction and its audit row are
 * written in one transaction; then every process is told, and a ban ends every session (so a
 * refresh fails and rooms close the connections).
 */
export async function imposeSanction(
  deps: SanctionDeps,
  actor: AuthContext,
  audit: AuditTrail,
  accountId: string,
  kind: 'ban' | 'mute',
  request: SanctionRequest,
): Promise<SanctionRecord> {
  const now = new Date(deps.clock());
  const row = await deps.prisma.$transaction(async (tx) => {
    await targetOf(tx, actor, accountId);
    await tx.sanction.updateMany({
      where: { accountId, kind, liftedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
      data: { liftedAt: now, liftedById: actor.accountId, liftReason: `replaced by a new ${kind}` },
    });
    const created = await tx.sanction.create({
      data: {
        accountId,
        kind,
        reason: request.reason,
        startsAt: now,
        endsAt: request.durationSeconds === null ? null : new Date(now.getTime() + request.durationSeconds * 1000),
        issuedById: actor.accountId,
      },
      include: withNames,
    });
    await audit.record(tx, { details: { sanctionId: created.id, endsAt: created.endsAt?.toISOString() ?? null } });
    return created;
  });
  await announce(deps, accountId);
  if (kind === 'ban') await endAllSessions(deps, accountId, 'banned');
  return toSanctionRecord(row, deps.clock());
}

/** Lifts the ban or mute in force; `SANCTION_NOT_FOUND` when there is none. */
export async function liftSanction(
  deps: SanctionDeps,
  actor: AuthContext,
  audit: AuditTrail,
  accountId: string,
  kind: 'ban' | 'mute',
  reason: string,
): Promise<SanctionRecord> {
  const now = new Date(deps.clock());
  const row = await deps.prisma.$transaction(async (tx) => {
    await targetOf(tx, actor, accountId);
    const active = await tx.sanction.findFirst({
      where: { accountId, kind, liftedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
      orderBy: { startsAt: 'desc' },
    });
    if (!active) throw new DomainError(ErrorCode.SANCTION_NOT_FOUND);
    const lifted = await tx.sanction.update({
      where: { id: active.id },
      data: { liftedAt: now, liftedById: actor.accountId, liftReason: reason },
      include: withNames,
    });
    await audit.record(tx, { details: { sanctionId: active.id } });
    return lifted;
  });
  await announce(deps, accountId);
  return toSanctionRecord(row, deps.clock());
}

/** Closes every game connection of the account now, without a ban; recorded in its history. */
export async function kickAccount(deps: SanctionDeps, actor: AuthContext, audit: AuditTrail, accountId: string, reason: string): Promise<SanctionRecord> {
  const now = new Date(deps.clock());
  const row = await deps.prisma.$transaction(async (tx) => {
    await targetOf(tx, actor, accountId);
    const created = await tx.sanction.create({
      data: { accountId, kind: 'kick', reason, startsAt: now, endsAt: now, issuedById: actor.accountId },
      include: withNames,
    });
    await audit.record(tx, { details: { sanctionId: created.id } });
    return created;
  });
  await deps.bus.publish('account.kick', { accountId, reason });
  return toSanctionRecord(row, deps.clock());
}

/** Ends one session of the account (the revocation path), recorded in its history. */
export async function endAccountSession(
  deps: SanctionDeps,
  actor: AuthContext,
  audit: AuditTrail,
  accountId: string,
  sessionId: string,
  reason: string,
): Promise<SanctionRecord> {
  const now = new Date(deps.clock());
  const row = await deps.prisma.$transaction(async (tx) => {
    await targetOf(tx, actor, accountId);
    const session = await tx.session.findFirst({ where: { id: sessionId, accountId, revokedAt: null }, select: { id: true } });
    if (!session) throw new DomainError(ErrorCode.SESSION_NOT_FOUND);
    const created = await tx.sanction.create({
      data: { accountId, kind: 'session_end', reason, startsAt: now, endsAt: now, issuedById: actor.accountId, sessionId },
      include: withNames,
    });
    await audit.record(tx, { details: { sanctionId: created.id, sessionId } });
    return created;
  });
  await revokeSession(deps, sessionId, 'ended_by_moderator');
  return toSanctionRecord(row, deps.clock());
}

/**
 * Changes an account's role (admins only, checked by the route). Access tokens carry the role,
 * so every session of the account is ended: its next login carries the new role, and a
 * demoted moderator loses access within the bus's delivery time, not at token expiry.
 */
export async function changeRole(deps: SanctionDeps, audit: AuditTrail, accountId: string, role: Role): Promise<{ role: Role }> {
  const previous = await deps.prisma.$transaction(async (tx) => {
    const account = await tx.account.findUnique({ where: { id: accountId }, select: { role: true } });
    if (!account) throw new DomainError(ErrorCode.ACCOUNT_NOT_FOUND);
    await tx.account.update({ where: { id: accountId }, data: { role } });
    await audit.record(tx, { details: { from: account.role, to: role } });
    return account.role;
  });
  if (previous !== role) await endAllSessions(deps, accountId, 'role_changed');
  return { role };
}

/** The account's history, newest first. */
export async function sanctionHistory(prisma: PrismaClient, accountId: string, now: number): Promise<SanctionRecord[]> {
  const rows = await prisma.sanction.findMany({ where: { accountId }, orderBy: { startsAt: 'desc' }, include: withNames, take: 200 });
  return rows.map((row) => toSanctionRecord(row, now));
}
