// Composition root of one game process on the real stack: Colyseus with RedisPresence and
// RedisDriver, so that several processes share rooms and seat reservations.
import { createServer } from 'node:http';
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { createLogger, loadConfigOrExit, onShutdownSignals, openInfra, parsePublicKey } from '@mmo/platform';
import { gameConfigSchema } from './config.js';
import { createGameDeps } from './game.deps.js';
import { createGameServer } from './game.server.js';

const config = loadConfigOrExit(gameConfigSchema);
const logger = createLogger({ service: 'game', level: config.LOG_LEVEL });
const { infra, close } = await openInfra({
  service: 'game',
  logger,
  tokenPublicKey: parsePublicKey(config.TOKEN_PUBLIC_KEY),
  database: { kind: 'postgres', url: config.DATABASE_URL },
  redisUrl: config.REDIS_URL,
});
const http = createServer();
const game = createGameServer({
  http,
  logger,
  presence: new RedisPresence(config.REDIS_URL),
  driver: new RedisDriver(config.REDIS_URL),
  publicAddress: config.PUBLIC_ADDRESS,
  httpOptions: { trustProxy: config.TRUST_PROXY, corsOrigins: config.CORS_ORIGINS },
  mapArea: createGameDeps(infra, config),
});
await game.listen(config.PORT);
logger.info({ port: config.PORT, publicAddress: config.PUBLIC_ADDRESS }, 'game process listening');

// Colyseus stops matchmaking here and disconnects every client, whose rooms save their
// characters as they leave; the process is removed from Redis.
onShutdownSignals(logger, async () => {
  await game.gracefullyShutdown(false);
  await close();
});
