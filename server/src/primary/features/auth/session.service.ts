import { createHash, randomBytes } from 'node:crypto';
import {
  DomainError,
  type AccessTokenSigner,
  type Account,
  type Clock,
  type EventBus,
  type Logger,
  type PrismaClient,
  type SessionDenylist,
} from '@mmo/platform';
import { ErrorCode, type SessionView, type TokenPair } from '@mmo/shared';
import { assertNotBanned } from './account.service.js';

export interface SessionDeps {
  prisma: PrismaClient;
  bus: EventBus;
  denylist: SessionDenylist;
  signer: AccessTokenSigner;
  clock: Clock;
  logger: Logger;
  /** Lifetime of a session (a refresh-token family), however often it rotates. */
  refreshTokenTtlSeconds: number;
}

/** Where a request came from, as shown in the player's session list. */
export interface ClientInfo {
  deviceLabel: string;
  ip: string;
}

function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/** Refresh tokens are 256 random bits, so a fast hash suffices: nothing to brute-force. */
function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

async function issueAccessToken(
  deps: SessionDeps,
  account: Pick<Account, 'id' | 'role'>,
  sessionId: string,
  refreshToken: string,
): Promise<TokenPair> {
  const access = await deps.signer.sign({ accountId: account.id, sessionId, role: account.role });
  return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
}

/** Opens a session for an account that just proved its password. */
export async function startSession(deps: SessionDeps, account: Account, client: ClientInfo): Promise<TokenPair> {
  const now = new Date(deps.clock());
  const refresh = newRefreshToken();
  const session = await deps.prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: account.id }, data: { lastLoginAt: now } });
    return tx.session.create({
      data: {
        accountId: account.id,
        deviceLabel: client.deviceLabel,
        ip: client.ip,
        createdAt: now,
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + deps.refreshTokenTtlSeconds * 1000),
        refreshTokens: { create: { tokenHash: refresh.hash, createdAt: now } },
      },
      select: { id: true },
    });
  });
  return issueAccessToken(deps, account, session.id, refresh.token);
}

/**
 * Trades a refresh token for a new pair. Each refresh token works once: presenting one that
 * was already rotated means a copy exists elsewhere, so the whole session is revoked and
 * both holders must log in again (refresh-token reuse detection).
 */
export async function refreshSession(deps: SessionDeps, refreshToken: string, ip: string): Promise<TokenPair> {
  const now = deps.clock();
  const stored = await deps.prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(refreshToken) },
    include: { session: { include: { account: true } } },
  });
  if (!stored) throw new DomainError(ErrorCode.INVALID_REFRESH_TOKEN);
  const { session } = stored;
  // A ban first: it also revoked the session, and the player should learn why, and until when.
  try {
    await assertNotBanned(deps.prisma, session.accountId, now);
  } catch (error) {
    if (error instanceof DomainError && !session.revokedAt) await revokeSession(deps, session.id, 'banned');
    throw error;
  }
  if (session.revokedAt) throw new DomainError(ErrorCode.SESSION_REVOKED);
  if (stored.rotatedAt) {
    await revokeSession(deps, session.id, 'refresh_token_reused');
    throw new DomainError(ErrorCode.REFRESH_TOKEN_REUSED);
  }
  if (session.expiresAt.getTime() <= now) throw new DomainError(ErrorCode.INVALID_REFRESH_TOKEN, 'The session has expired; log in again.');
  const next = newRefreshToken();
  const rotated = await deps.prisma.$transaction(async (tx) => {
    // The conditional update is the lock: of two concurrent refreshes with one token, only
    // one sees count 1; the other is treated as reuse below.
    const claimed = await tx.refreshToken.updateMany({
      where: { id: stored.id, rotatedAt: null },
      data: { rotatedAt: new Date(now) },
    });
    if (claimed.count !== 1) return false;
    // A logout may have landed since the read above; its revocation wins and nothing rotates.
    const live = await tx.session.updateMany({
      where: { id: session.id, revokedAt: null },
      data: { lastUsedAt: new Date(now), ip },
    });
    if (live.count !== 1) throw new DomainError(ErrorCode.SESSION_REVOKED);
    await tx.refreshToken.create({ data: { sessionId: session.id, tokenHash: next.hash, createdAt: new Date(now) } });
    return true;
  });
  if (!rotated) {
    await revokeSession(deps, session.id, 'refresh_token_reused');
    throw new DomainError(ErrorCode.REFRESH_TOKEN_REUSED);
  }
  return issueAccessToken(deps, session.account, session.id, next.token);
}

/**
 * Ends a session: its refresh tokens stop working at once (database), and its access tokens
 * are refused by every service within the bus's delivery time (denylist). Returns false when
 * the session had already ended.
 *
 * If publishing fails, the revocation still holds in the database and in this process; other
 * services accept the session's access tokens until they expire (at most the access-token
 * lifetime). That is logged as an error rather than failing the player's logout.
 */
export async function revokeSession(deps: SessionDeps, sessionId: string, reason: string): Promise<boolean> {
  const now = deps.clock();
  const session = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { accountId: true } });
  if (!session) return false;
  const ended = await deps.prisma.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: new Date(now), revokedReason: reason },
  });
  const until = now + deps.signer.ttlSeconds * 1000;
  deps.denylist.add(sessionId, until);
  try {
    await deps.bus.publish('auth.session_revoked', { sessionId, accountId: session.accountId, until });
  } catch (error) {
    deps.logger.error({ err: error, sessionId }, 'could not publish a session revocation');
  }
  return ended.count === 1;
}

/** The account's live sessions, newest use first. */
export async function listSessions(
  deps: Pick<SessionDeps, 'prisma' | 'clock'>,
  accountId: string,
  currentSessionId: string,
): Promise<SessionView[]> {
  const sessions = await deps.prisma.session.findMany({
    where: { accountId, revokedAt: null, expiresAt: { gt: new Date(deps.clock()) } },
    orderBy: { lastUsedAt: 'desc' },
  });
  return sessions.map((session) => ({
    id: session.id,
    deviceLabel: session.deviceLabel,
    ip: session.ip,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    current: session.id === currentSessionId,
  }));
}

/** Ends one of the account's own sessions; another account's session is `SESSION_NOT_FOUND`. */
export async function endOwnSession(deps: SessionDeps, accountId: string, sessionId: string): Promise<void> {
  const session = await deps.prisma.session.findFirst({
    where: { id: sessionId, accountId, revokedAt: null },
    select: { id: true },
  });
  if (!session) throw new DomainError(ErrorCode.SESSION_NOT_FOUND);
  await revokeSession(deps, sessionId, 'ended_by_player');
}

/**
 * Deletes sessions that ended (revoked or expired) more than `keepDays` ago, with their refresh
 * tokens. Live sessions keep every rotated token, which is what detects reuse. Returns how many
 * sessions were deleted.
 */
export async function pruneEndedSessions(deps: Pick<SessionDeps, 'prisma' | 'clock'>, keepDays: number): Promise<number> {
  const before = new Date(deps.clock() - keepDays * 24 * 3600 * 1000);
  const { count } = await deps.prisma.session.deleteMany({
    where: { OR: [{ revokedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  return count;
}

/** Runs `pruneEndedSessions` every hour; failures are logged and tried again. Returns a stop function. */
export function schedulePruning(deps: Pick<SessionDeps, 'prisma' | 'clock' | 'logger'>, keepDays: number): () => void {
  const timer = setInterval(() => {
    pruneEndedSessions(deps, keepDays).then(
      (deleted) => deleted > 0 && deps.logger.info({ deleted }, 'pruned ended sessions'),
      (error: unknown) => deps.logger.error({ err: error }, 'could not prune ended sessions'),
    );
  }, 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}
