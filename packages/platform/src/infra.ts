import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus } from './bus/event-bus.js';
import { LocalEventBus } from './bus/local-event-bus.js';
import { RedisEventBus } from './bus/redis-event-bus.js';
import { openDatabase, type Database, type DatabaseTarget } from './db/database.js';
import { followRevocations, loadRecentRevocations, SessionDenylist } from './denylist.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createRedis } from './redis.js';
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
  verifier: AccessTokenVerifier;
  jwtSecret: string;
}

export interface OpenInfraOptions {
  service: string;
  logger: Logger;
  jwtSecret: string;
  database: DatabaseTarget;
  /** Apply pending migrations at start (embedded mode). */
  migrate?: boolean;
  /** Redis for the bus and shared counters; the in-process bus without it. */
  redisUrl?: string;
}

/**
 * Opens the database, the bus and the token verification of one process, and follows session
 * revocations. Composition roots call it once and `close` it on shutdown.
 */
export async function openInfra(options: OpenInfraOptions): Promise<{ infra: ServiceInfra; close(): Promise<void> }> {
  const { logger } = options;
  const db: Database = await openDatabase(options.database, {
    migrate: options.migrate ?? false,
    onMigrationApplied: (name) => logger.info({ migration: name }, 'applied migration'),
  });
  const connections: Redis[] = [];
  let bus: EventBus;
  let redis: Redis | undefined;
  if (options.redisUrl) {
    redis = createRedis(options.redisUrl, `${options.service}`);
    const subscriber = createRedis(options.redisUrl, `${options.service}-bus`);
    connections.push(redis, subscriber);
    bus = new RedisEventBus(redis, subscriber, logger);
  } else {
    bus = new LocalEventBus(logger);
  }
  const clock: Clock = Date.now;
  const denylist = new SessionDenylist(clock);
  const stopFollowing = await followRevocations(bus, denylist);
  await loadRecentRevocations(db.prisma, denylist, clock);
  const infra: ServiceInfra = {
    prisma: db.prisma,
    bus,
    ...(redis ? { redis } : {}),
    logger,
    clock,
    denylist,
    verifier: new AccessTokenVerifier(options.jwtSecret, denylist, clock),
    jwtSecret: options.jwtSecret,
  };
  return {
    infra,
    async close() {
      await stopFollowing();
      await bus.close();
      await Promise.all(connections.map((connection) => connection.quit()));
      await db.close();
    },
  };
}

/**
 * Listens on `port` and shuts down cleanly on SIGTERM or SIGINT: stop accepting connections,
 * let requests in flight finish, run `onClose`, exit 0. A second signal exits at once.
 */
export function serveUntilSignalled(http: Server, port: number, logger: Logger, onClose: () => Promise<void>): Promise<Server> {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    http.close();
    http.closeIdleConnections();
    onClose().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, () => {
      const address = http.address();
      logger.info({ port: typeof address === 'object' && address ? address.port : port }, 'listening');
      resolve(http);
    });
  });
}
