// Composition root of the player API on the real stack (PostgreSQL, Redis).
import { createServer } from 'node:http';
import { createLogger, loadConfigOrExit, openInfra, serveUntilSignalled, parsePublicKey } from '@mmo/platform';
import { playerConfigSchema } from './config.js';
import { rebuildLeaderboardsIfEmpty } from './features/leaderboards/leaderboard.service.js';
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
const deps = createPlayerDeps(infra, config);
// Boards in Redis outlive this process; empty ones (a new Redis) are filled from the database.
await rebuildLeaderboardsIfEmpty(deps);
const app = createPlayerApp(deps, { trustProxy: config.TRUST_PROXY, corsOrigins: config.CORS_ORIGINS });
await serveUntilSignalled(createServer(app), config.PORT, logger, close);
