import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { EventBus } from '../bus/event-bus.js';
import { LocalEventBus } from '../bus/local-event-bus.js';
import { RedisEventBus } from '../bus/redis-event-bus.js';
import { openDatabase, type Database } from '../db/database.js';
import { followRevocations, loadRecentRevocations, SessionDenylist } from '../denylist.js';
import type { ServiceInfra } from '../infra.js';
import { createSilentLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { AccessTokenSigner, AccessTokenVerifier } from '../tokens.js';

/**
 * The infrastructure one test suite runs on: the embedded defaults (PGlite in memory, the
 * in-process bus) or the real stack (a fresh PostgreSQL database, Redis). Suites loop over
 * `testStacks()` so that the same assertions hold on both, the way Colyseus runs one
 * Presence suite over its Local and Redis implementations.
 */
export interface TestStack {
  readonly name: 'embedded' | 'real';
  readonly db: Database;
  /** Redis for shared counters (rate limits); absent on the embedded stack. */
  readonly redis?: Redis;
  /** A bus as another process would hold it: on the real stack, its own Redis connections. */
  createBus(): Promise<EventBus>;
  close(): Promise<void>;
}

export interface TestStackKind {
  name: TestStack['name'];
  open(): Promise<TestStack>;
}

/** The embedded stack always; the real one too when `DATABASE_URL` and `REDIS_URL` are set. */
export function testStacks(env: Record<string, string | undefined> = process.env): TestStackKind[] {
  const kinds: TestStackKind[] = [{ name: 'embedded', open: openEmbeddedStack }];
  const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = env;
  if (databaseUrl && redisUrl) kinds.push({ name: 'real', open: () => openRealStack(databaseUrl, redisUrl) });
  return kinds;
}

async function openEmbeddedStack(): Promise<TestStack> {
  const db = await openDatabase({ kind: 'pglite' }, { migrate: true });
  const bus = new LocalEventBus(createSilentLogger());
  return {
    name: 'embedded',
    db,
    // One process: every "service" shares the same in-process bus.
    createBus: async () => bus,
    async close() {
      await bus.close();
      await db.close();
    },
  };
}

async function openRealStack(databaseUrl: string, redisUrl: string): Promise<TestStack> {
  const dbName = `mmo_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(databaseUrl, `CREATE DATABASE ${dbName}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 }, { migrate: true });
  const redis = createRedis(redisUrl, 'test');
  // Rate-limit counters of an earlier run must not leak into this one.
  const stale = await redis.keys('mmo:rl:*');
  if (stale.length > 0) await redis.del(...stale);
  const connections: Redis[] = [redis];
  const buses: EventBus[] = [];
  return {
    name: 'real',
    db,
    redis,
    async createBus() {
      const publisher = createRedis(redisUrl, 'test-bus-pub');
      const subscriber = createRedis(redisUrl, 'test-bus-sub');
      connections.push(publisher, subscriber);
      const bus = new RedisEventBus(publisher, subscriber, createSilentLogger());
      buses.push(bus);
      return bus;
    },
    async close() {
      await Promise.all(buses.map((bus) => bus.close()));
      await Promise.all(connections.map((connection) => connection.quit()));
      await db.close();
      await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Polls `probe` until it returns true or `timeoutMs` passes; resolves with the time it took. */
export async function waitUntil(probe: () => Promise<boolean> | boolean, timeoutMs: number, stepMs = 20): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** The signing secret of test processes; never used outside tests. */
export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * The infrastructure of one service process in a test: its own bus (its own Redis
 * connections on the real stack), denylist and verifier, following revocations like a
 * real process does. Two calls give two "processes" that share only the database and Redis.
 */
export async function createTestInfra(stack: TestStack): Promise<ServiceInfra & { stop(): Promise<void> }> {
  const bus = await stack.createBus();
  const denylist = new SessionDenylist();
  const stop = await followRevocations(bus, denylist);
  await loadRecentRevocations(stack.db.prisma, denylist, Date.now);
  return {
    prisma: stack.db.prisma,
    bus,
    ...(stack.redis ? { redis: stack.redis } : {}),
    logger: createSilentLogger(),
    clock: Date.now,
    denylist,
    verifier: new AccessTokenVerifier(TEST_JWT_SECRET, denylist),
    jwtSecret: TEST_JWT_SECRET,
    stop,
  };
}

/** Creates an account row directly and signs an access token for it, for services other than the primary. */
export async function createTestPlayer(
  infra: Pick<ServiceInfra, 'prisma' | 'jwtSecret'>,
  username = `player${randomBytes(4).toString('hex')}`,
): Promise<{ accountId: string; accessToken: string; sessionId: string }> {
  const account = await infra.prisma.account.create({
    data: { username, usernameKey: username.toLowerCase(), passwordHash: 'not-a-hash' },
  });
  const session = await infra.prisma.session.create({
    data: { accountId: account.id, deviceLabel: 'test', ip: '127.0.0.1', expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const { token } = await new AccessTokenSigner(infra.jwtSecret, 900).sign({
    accountId: account.id,
    sessionId: session.id,
    role: account.role,
  });
  return { accountId: account.id, accessToken: token, sessionId: session.id };
}
