import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { EventBus } from '../bus/event-bus.js';
import { LocalEventBus } from '../bus/local-event-bus.js';
import { RedisEventBus } from '../bus/redis-event-bus.js';
import { openDatabase, type Database } from '../db/database.js';
import { normalizeName } from '@mmo/shared';
import { createAuthInfra, type ServiceInfra } from '../infra.js';
import { MemoryLeaderboardStore, type LeaderboardStore } from '../leaderboards/leaderboard-store.js';
import { RedisLeaderboardStore } from '../leaderboards/redis-leaderboard-store.js';
import { MemoryOnlineDirectory, RedisOnlineDirectory, type OnlineDirectory } from '../online/online-directory.js';
import { generateTokenKeyPair, parsePrivateKey, parsePublicKey } from '../keys.js';
import { createSilentLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { AccessTokenSigner } from '../tokens.js';

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
  /** The online directory every "process" of the stack shares. */
  readonly online: OnlineDirectory;
  /** The leaderboards every "process" of the stack shares. */
  readonly leaderboards: LeaderboardStore;
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
    online: new MemoryOnlineDirectory(),
    leaderboards: new MemoryLeaderboardStore(),
    async close() {
      await bus.close();
      await db.close();
    },
  };
}

async function openRealStack(databaseUrl: string, redisUrl: string): Promise<TestStack> {
  const scratch = await createScratchDatabase(databaseUrl, 'mmo_test');
  const db = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 5 }, { migrate: true });
  // Counters live in a database of their own (pub/sub ignores the number), which is emptied so
  // that an earlier run's counts do not leak in, and a development cluster's are never touched.
  const countersUrl = new URL(redisUrl);
  countersUrl.pathname = `/${TEST_REDIS_DB}`;
  const redis = createRedis(countersUrl.toString(), 'test', createSilentLogger());
  await redis.flushdb();
  const connections: Redis[] = [redis];
  const buses: EventBus[] = [];
  return {
    name: 'real',
    db,
    redis,
    online: new RedisOnlineDirectory(redis),
    leaderboards: new RedisLeaderboardStore(redis),
    async createBus() {
      const publisher = createRedis(redisUrl, 'test-bus-pub', createSilentLogger());
      const subscriber = createRedis(redisUrl, 'test-bus-sub', createSilentLogger());
      connections.push(publisher, subscriber);
      const bus = new RedisEventBus(publisher, subscriber, createSilentLogger());
      buses.push(bus);
      return bus;
    },
    async close() {
      await Promise.all(buses.map((bus) => bus.close()));
      await Promise.all(connections.map((connection) => connection.quit()));
      await db.close();
      await scratch.drop();
    },
  };
}

/** The Redis database number that tests keep their counters in. */
const TEST_REDIS_DB = 15;

/**
 * A new, empty PostgreSQL database on the server of `serverUrl`, named `<prefix>_<random>`,
 * and how to drop it.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One JSON call to a running service, as a browser would make it. */
export async function callJson(
  base: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
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

/** A promise and the function that resolves it: a gate a test opens when it chooses. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** The token key pair of test processes, made fresh for each test run. */
export const TEST_TOKEN_KEYS = generateTokenKeyPair();
export const testSigningKey = parsePrivateKey(TEST_TOKEN_KEYS.privateKeyPem);
export const testVerifyingKey = parsePublicKey(TEST_TOKEN_KEYS.publicKeyPem);

/**
 * The infrastructure of one service process in a test: its own bus (its own Redis
 * connections on the real stack), denylist and verifier, following revocations like a
 * real process does. Two calls give two "processes" that share only the database and Redis.
 */
export async function createTestInfra(stack: TestStack): Promise<ServiceInfra & { stop(): Promise<void> }> {
  const bus = await stack.createBus();
  const auth = await createAuthInfra({ bus, prisma: stack.db.prisma, tokenPublicKey: testVerifyingKey, clock: Date.now });
  return {
    prisma: stack.db.prisma,
    bus,
    ...(stack.redis ? { redis: stack.redis } : {}),
    logger: createSilentLogger(),
    clock: Date.now,
    denylist: auth.denylist,
    sanctions: auth.sanctions,
    verifier: auth.verifier,
    tokenPublicKey: testVerifyingKey,
    online: stack.online,
    leaderboards: stack.leaderboards,
    stop: auth.stop,
  };
}

/** Creates an account row directly and signs an access token for it, for services other than the primary. */
export async function createTestPlayer(
  infra: Pick<ServiceInfra, 'prisma'>,
  username = `player${randomBytes(4).toString('hex')}`,
): Promise<{ accountId: string; accessToken: string; sessionId: string }> {
  const account = await infra.prisma.account.create({
    data: { username, usernameKey: normalizeName(username), passwordHash: 'not-a-hash' },
  });
  const session = await infra.prisma.session.create({
    data: { accountId: account.id, deviceLabel: 'test', ip: '127.0.0.1', expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const { token } = await new AccessTokenSigner(testSigningKey, 900).sign({
    accountId: account.id,
    sessionId: session.id,
    role: account.role,
  });
  return { accountId: account.id, accessToken: token, sessionId: session.id };
}

/** Like `createTestPlayer`, for an account of another role (moderator, admin). */
export async function createTestStaff(
  infra: Pick<ServiceInfra, 'prisma'>,
  role: 'moderator' | 'admin',
  username = `${role.slice(0, 3)}${randomBytes(4).toString('hex')}`,
): Promise<{ accountId: string; accessToken: string; sessionId: string }> {
  const player = await createTestPlayer(infra, username);
  await infra.prisma.account.update({ where: { id: player.accountId }, data: { role } });
  const { token } = await new AccessTokenSigner(testSigningKey, 900).sign({ accountId: player.accountId, sessionId: player.sessionId, role });
  return { ...player, accessToken: token };
}
export { checkOpenApiDocument } from './openapi.js';
export { fuzzHttp, seededRandom, type HttpFuzzOptions, type HttpFuzzReport } from './http-fuzz.js';
