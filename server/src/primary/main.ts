// Composition root of the primary server on the real stack (PostgreSQL, Redis).
import { createServer } from 'node:http';
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { createLogger, loadConfigOrExit, openInfra, serveUntilSignalled, isMatchingKeyPair, parsePrivateKey, parsePublicKey } from '@mmo/platform';
import { listMapAreaRooms, reserveSeatInArea } from '../game/placement.js';
import { startStandaloneMatchmaker } from '../game/matchmaker.js';
import { primaryConfigSchema } from './config.js';
import { schedulePruning } from './features/auth/session.service.js';
import { createPrimaryApp, createPrimaryDeps } from './primary.app.js';

const config = loadConfigOrExit(primaryConfigSchema);
const logger = createLogger({ service: 'primary', level: config.LOG_LEVEL });
const signingKey = parsePrivateKey(config.TOKEN_PRIVATE_KEY);
if (!isMatchingKeyPair(signingKey, parsePublicKey(config.TOKEN_PUBLIC_KEY))) {
  process.stderr.write('Invalid configuration: TOKEN_PRIVATE_KEY and TOKEN_PUBLIC_KEY are not one key pair\n');
  process.exit(1);
}
const { infra, close } = await openInfra({
  service: 'primary',
  logger,
  tokenPublicKey: parsePublicKey(config.TOKEN_PUBLIC_KEY),
  database: { kind: 'postgres', url: config.DATABASE_URL },
  redisUrl: config.REDIS_URL,
});
// The primary places characters in rooms through Colyseus's matchmaker on Redis; it hosts none.
const matchmaker = await startStandaloneMatchmaker(new RedisPresence(config.REDIS_URL), new RedisDriver(config.REDIS_URL));
const app = createPrimaryApp(createPrimaryDeps(infra, config, reserveSeatInArea, signingKey, listMapAreaRooms), { trustProxy: config.TRUST_PROXY, corsOrigins: config.CORS_ORIGINS });
const stopPruning = schedulePruning(infra, config.ENDED_SESSION_RETENTION_DAYS);
await serveUntilSignalled(createServer(app), config.PORT, logger, async () => {
  stopPruning();
  await matchmaker.stop();
  await close();
});
