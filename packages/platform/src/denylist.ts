import type { EventBus } from './bus/event-bus.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Clock } from './tokens.js';

/**
 * Revoked session ids, each kept until the last access token of that session has expired.
 * Every service holds one, fed by `auth.session_revoked` events, so that a revoked token is
 * refused everywhere without a database or network call per request.
 */
export class SessionDenylist {
  private readonly until = new Map<string, number>();

  constructor(private readonly clock: Clock = Date.now) {}

  add(sessionId: string, until: number): void {
    const previous = this.until.get(sessionId) ?? 0;
    if (until > previous) this.until.set(sessionId, until);
  }

  has(sessionId: string): boolean {
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until > this.clock()) return true;
    this.until.delete(sessionId);
    return false;
  }

  /** Forgets entries whose tokens have expired; call periodically to bound memory. */
  prune(): void {
    const now = this.clock();
    for (const [sessionId, until] of this.until) if (until <= now) this.until.delete(sessionId);
  }

  get size(): number {
    return this.until.size;
  }
}

/**
 * Keeps a denylist current from the bus and prunes it every minute. Returns a function that
 * stops both.
 */
export async function followRevocations(bus: EventBus, denylist: SessionDenylist): Promise<() => Promise<void>> {
  const unsubscribe = await bus.subscribe('auth.session_revoked', (event) => {
    denylist.add(event.sessionId, event.until);
  });
  const timer = setInterval(() => denylist.prune(), 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await unsubscribe();
  };
}

/**
 * The longest access-token lifetime any primary may be configured with. A session revoked
 * longer ago than this has no live access token left, so no service needs to remember it.
 */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 3600;

/**
 * Fills a new process's denylist with the sessions revoked while it was not listening, so a
 * service that (re)starts does not accept their tokens until they expire. Call after
 * `followRevocations`, so that nothing revoked in between is missed.
 */
export async function loadRecentRevocations(prisma: PrismaClient, denylist: SessionDenylist, clock: Clock): Promise<number> {
  const windowMs = MAX_ACCESS_TOKEN_TTL_SECONDS * 1000;
  const revoked = await prisma.session.findMany({
    where: { revokedAt: { gt: new Date(clock() - windowMs) } },
    select: { id: true, revokedAt: true },
  });
  for (const session of revoked) denylist.add(session.id, session.revokedAt!.getTime() + windowMs);
  return revoked.length;
}
