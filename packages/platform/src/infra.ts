import type { KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus } from './bus/event-bus.js';
import { LocalEventBus } from './bus/local-event-bus.js';
import { RedisEventBus } from './bus/redis-event-bus.js';
import { openDatabase, type DatabaseTarget } from './db/database.js';
import { followRevocations, loadRecentRevocations, SessionDenylist } from './denylist.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { MemoryLeaderboardStore, type LeaderboardStore } from './leaderboards/leaderboard-store.js';
import { RedisLeaderboardStore } from './leaderboards/redis-leaderboard-store.js';
import { MemoryOnlineDirectory, RedisOnlineDirectory, type OnlineDirectory } from './online/online-directory.js';
import { createRedis } from './redis.js';
import { followSanctions, SanctionList } from './sanctions.js';
import { AccessTokenVerifier, type Clock } from './tokens.js';

/** What every service receives from its composition root. */
export interface ServiceInfra {
  prisma: PrismaClient;
  bus: EventBus;
  /** Shared counters (rate limits) across processes; absent in embedded mode. */
  redis?: Redis;
  logger: Logger;
  clock: Clock;
  denylist: SessionDenylist;
  /** Bans and mutes in force, by account, kept current like the denylist. */
  sanctions: SanctionList;
  verifier: AccessTokenVerifier;
  /** The primary's public key; only the primary also receives the private one. */
  tokenPublicKey: KeyObject;
  /** Which characters are in game and where (Redis in the cluster, in-process when embedded). */
  online: OnlineDirectory;
  /** The leaderboards, derived from the characters table (Redis in the cluster, in-process when embedded). */
  leaderboards: LeaderboardStore;
}

/** Token verification of one process: its denylist, kept current from the bus and the database. */
export interface AuthInfra {
  denylist: SessionDenylist;
  sanctions: SanctionList;
  verifier: AccessTokenVerifier;
  /** Reloads revocations and sanctions from the database, for when bus events may have been missed. */
  catchUp(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Subscribes to revocations and sanctions first, then loads the recent revocations and the
 * sanctions in force from the database, so that nothing issued before or during start-up is
 * missed.
 */
export async function createAuthInfra(options: {
  bus: EventBus;
  prisma: PrismaClient;
  tokenPublicKey: KeyObject;
  clock: Clock;
}): Promise<AuthInfra> {
  const denylist = new SessionDenylist(options.clock);
  const sanctions = new SanctionList(options.clock);
  const stopRevocations = await followRevocations(options.bus, denylist);
  const sanctionFeed = await followSanctions(options.bus, options.prisma, sanctions, options.clock);
  const catchUp = async () => {
    const [revoked, sanctioned] = await Promise.all([loadRecentRevocations(options.prisma, denylist, options.clock), sanctionFeed.catchUp()]);
    return revoked + sanctioned;
  };
  await loadRecentRevocations(options.prisma, denylist, options.clock);
  return {
    denylist,
    sanctions,
    verifier: new AccessTokenVerifier(options.tokenPublicKey, denylist, options.clock, sanctions),
    catchUp,
    async stop() {
      await sanctionFeed.stop();
      await stopRevocations();
    },
  };
}

export interface OpenInfraOptions {
  service: string;
  logger: Logger;
  tokenPublicKey: KeyObject;
  database: DatabaseTarget;
  /** Apply pending migrations at start (embedded mode). */
  migrate?: boolean;
  /** Redis for the bus and shared counters; the in-process bus without it. */
  redisUrl?: string;
}

/**
 * Opens the database, the bus and the token verification of one process. Composition roots
 * call it once and `close` it on shutdown.
 */
export async function openInfra(options: OpenInfraOptions): Promise<{ infra: ServiceInfra; close(): Promise<void> }> {
  const { logger } = options;
  const db = await openDatabase(options.database, {
    migrate: options.migrate ?? false,
    onMigrationApplied: (name) => logger.info({ migration: name }, 'applied migration'),
    onMigrationWarning: (message) => logger.warn(message),
  });
  const connections: Redis[] = [];
  let bus: EventBus;
  let redis: Redis | undefined;
  let subscriber: Redis | undefined;
  if (options.redisUrl) {
    redis = createRedis(options.redisUrl, options.service, logger);
    subscriber = createRedis(options.redisUrl, `${options.service}-bus`, logger);
    connections.push(redis, subscriber);
    bus = new RedisEventBus(redis, subscriber, logger);
  } else {
    bus = new LocalEventBus(logger);
  }
  const clock: Clock = Date.now;
  const auth = await createAuthInfra({ bus, prisma: db.prisma, tokenPublicKey: options.tokenPublicKey, clock });
  // Pub/sub delivers at most once: revocations and sanctions published while this process was
  // cut off from Redis are lost, so they are read back from the database whenever the
  // connection returns. Every 'ready' reloads: the first one has usually fired already while the
  // start-up load ran (skipping "the first" would then skip the first real reconnect), and a
  // reload more is cheap.
  subscriber?.on('ready', () => {
    auth.catchUp().catch((error: unknown) => logger.error({ err: error }, 'could not reload revocations and sanctions'));
  });
  const infra: ServiceInfra = {
    prisma: db.prisma,
    bus,
    ...(redis ? { redis } : {}),
    logger,
    clock,
    denylist: auth.denylist,
    sanctions: auth.sanctions,
    verifier: auth.verifier,
    tokenPublicKey: options.tokenPublicKey,
    online: redis ? new RedisOnlineDirectory(redis) : new MemoryOnlineDirectory(clock),
    leaderboards: redis ? new RedisLeaderboardStore(redis) : new MemoryLeaderboardStore(),
  };
  return {
    infra,
    async close() {
      await auth.stop();
      await bus.close();
      await Promise.all(connections.map((connection) => connection.quit()));
      await db.close();
    },
  };
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT, then exits 0 (1 if `stop` failed). A second
 * signal exits at once, for an operator who does not want to wait.
 */
export function onShutdownSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/** Stops accepting connections and resolves once requests in flight have finished (or after `graceMs`). */
export function closeHttpServer(http: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => http.closeAllConnections(), graceMs);
    timer.unref();
    http.close(() => {
      clearTimeout(timer);
      resolve();
    });
    http.closeIdleConnections();
  });
}

/**
 * Listens on `port` and, on SIGTERM or SIGINT, stops accepting connections, lets requests in
 * flight finish, then runs `onClose` (closing the database and Redis) and exits.
 */
export function serveUntilSignalled(http: Server, port: number, logger: Logger, onClose: () => Promise<void>): Promise<Server> {
  onShutdownSignals(logger, async () => {
    await closeHttpServer(http);
    await onClose();
  });
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, () => {
      const address = http.address();
      logger.info({ port: typeof address === 'object' && address ? address.port : port }, 'listening');
      resolve(http);
    });
  });
}
