import { DomainError, type OnlineDirectory, type Prisma, type PrismaClient, type SanctionList } from '@mmo/platform';
import { ErrorCode, normalizeName, type AccountDetail, type AccountSearchPage, type AccountSearchQuery, type AccountSummary } from '@mmo/shared';
import { activeSanctionsOf, sanctionHistory } from './sanction.service.js';

export interface AccountAdminDeps {
  prisma: PrismaClient;
  online: OnlineDirectory;
  sanctions: SanctionList;
  clock: () => number;
}

/** `LIKE` patterns match the typed text literally: `%` and `_` are escaped. */
function containing(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereOf(query: AccountSearchQuery): Prisma.AccountWhereInput {
  const text = containing(query.q.trim());
  switch (query.by) {
    case 'username':
      return { usernameKey: { contains: normalizeName(text) } };
    case 'character':
      return { characters: { some: { nameKey: { contains: normalizeName(text) } } } };
    case 'address':
      // Addresses are matched from their start, so "10.0." finds a whole range.
      return { sessions: { some: { ip: { startsWith: text } } } };
  }
}

/** Accounts matching a username, character name or session address, a page at a time. */
export async function searchAccounts(deps: AccountAdminDeps, query: AccountSearchQuery): Promise<AccountSearchPage> {
  const where = whereOf(query);
  const [total, rows] = await Promise.all([
    deps.prisma.account.count({ where }),
    deps.prisma.account.findMany({
      where,
      orderBy: [{ usernameKey: 'asc' }],
      skip: (query.page - 1) * query.limit,
      take: query.limit,
      include: { characters: { select: { name: true }, orderBy: { name: 'asc' } } },
    }),
  ]);
  const accounts: AccountSummary[] = rows.map((row) => ({
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    characterNames: row.characters.map((c) => c.name),
    banned: deps.sanctions.banOf(row.id) !== null,
    muted: deps.sanctions.muteOf(row.id) !== null,
  }));
  return { accounts, page: query.page, limit: query.limit, total };
}

/**
 * One account for the moderators: its characters (and where they play now), its sessions
 * (live and ended, newest use first), its sanction history and the reports against its
 * characters (the social API's table, read only).
 */
export async function accountDetail(deps: AccountAdminDeps, accountId: string): Promise<AccountDetail> {
  const now = deps.clock();
  const account = await deps.prisma.account.findUnique({
    where: { id: accountId },
    include: {
      characters: { orderBy: { createdAt: 'asc' } },
      sessions: { orderBy: { lastUsedAt: 'desc' }, take: 50 },
    },
  });
  if (!account) throw new DomainError(ErrorCode.ACCOUNT_NOT_FOUND);
  const characterIds = account.characters.map((c) => c.id);
  const [online, sanctions, history, reports, chatReports] = await Promise.all([
    deps.online.get(characterIds),
    activeSanctionsOf(deps.prisma, accountId, now),
    sanctionHistory(deps.prisma, accountId, now),
    deps.prisma.messageReport.findMany({ where: { reportedId: { in: characterIds } }, orderBy: { createdAt: 'desc' }, take: 50 }),
    deps.prisma.chatReport.findMany({ where: { reportedId: { in: characterIds } }, orderBy: { createdAt: 'desc' }, take: 50 }),
  ]);
  return {
    id: account.id,
    username: account.username,
    role: account.role,
    createdAt: account.createdAt.toISOString(),
    lastLoginAt: account.lastLoginAt?.toISOString() ?? null,
    characterNames: account.characters.map((c) => c.name),
    banned: sanctions.ban !== null,
    muted: sanctions.mute !== null,
    ban: sanctions.ban,
    mute: sanctions.mute,
    characters: account.characters.map((c) => {
      const entry = online.get(c.id);
      return {
        id: c.id,
        name: c.name,
        class: c.class,
        level: c.level,
        area: c.area,
        lastSeenAt: c.lastSeenAt?.toISOString() ?? null,
        online: entry ? { area: entry.area, roomId: entry.roomId } : null,
      };
    }),
    sessions: account.sessions.map((s) => ({
      id: s.id,
      ip: s.ip,
      deviceLabel: s.deviceLabel,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      revokedAt: s.revokedAt?.toISOString() ?? null,
      revokedReason: s.revokedReason,
    })),
    sanctions: history,
    reports: [
      ...reports.map((r) => ({ id: r.id, kind: 'message' as const, reporterName: r.reporterName, reportedName: r.reportedName, text: r.text, reason: r.reason, createdAt: r.createdAt, resolvedAt: r.resolvedAt })),
      ...chatReports.map((r) => ({
        id: r.id,
        kind: 'area_chat' as const,
        reporterName: r.reporterName,
        reportedName: r.reportedName,
        text: (r.line as { text?: string }).text ?? '',
        reason: r.reason,
        createdAt: r.createdAt,
        resolvedAt: r.resolvedAt,
      })),
    ]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), resolvedAt: r.resolvedAt?.toISOString() ?? null })),
  };
}
