// Composition root of the player API on the real stack (PostgreSQL, Redis).
import { createServer } from 'node:http';
import { createLogger, loadConfigOrExit, openInfra, serveUntilSignalled, parsePublicKey } from '@mmo/platform';
import { playerConfigSchema } from './config.js';
import { createPlayerApp, createPlayerDeps } from './player.app.js';

const config = loadConfigOrExit(playerConfigSchema);
const logger = createLogger({ service: 'player-api', level: config.LOG_LEVEL });
const { infra, close } = await openInfra({
  service: 'player-api',
  logger,
  tokenPublicKey: parsePublicKey(config.TOKEN_PUBLIC_KEY),
  database: { kind: 'postgres', url: config.DATABASE_URL },
  redisUrl: config.REDIS_URL,
});
const app = createPlayerApp(createPlayerDeps(infra, config), { trustProxy: config.TRUST_PROXY });
await serveUntilSignalled(createServer(app), config.PORT, logger, close);
