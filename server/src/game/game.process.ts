// One game process on the real stack: Colyseus with RedisPresence and RedisDriver, so that
// several processes share rooms and seat reservations. `main.ts` runs it from the environment;
// the game benchmark runs this same composition with its arena world and a metrics sink.
import { createServer } from 'node:http';
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { openInfra, parsePublicKey, type Logger } from '@mmo/platform';
import type { World } from '@mmo/shared';
import type { GameConfig } from './config.js';
import { createGameDeps } from './game.deps.js';
import { createGameServer, listenGameServer } from './game.server.js';
import { quietPm2Agent } from './pm2-agent.js';
import type { GameMetrics } from './rooms/map-area.deps.js';

export interface RunningGameProcess {
  /** Stops matchmaking, disconnects every client (whose rooms save as they leave), closes the infrastructure. */
  stop(): Promise<void>;
}

/** Starts a game process listening on `config.PORT`; `world` and `metrics` are for the benchmark. */
export async function startGameProcess(
  config: GameConfig,
  logger: Logger,
  options: { world?: World; metrics?: GameMetrics } = {},
): Promise<RunningGameProcess> {
  await quietPm2Agent();
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
    mapArea: createGameDeps(infra, config, options),
  });
  await listenGameServer(game, config.PORT);
  logger.info({ port: config.PORT, publicAddress: config.PUBLIC_ADDRESS }, 'game process listening');
  return {
    async stop() {
      await game.gracefullyShutdown(false);
      await close();
    },
  };
}
