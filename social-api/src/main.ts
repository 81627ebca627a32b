// Composition root of the social API on the real stack (PostgreSQL, Redis).
import { createServer } from 'node:http';
import { createLogger, loadConfigOrExit, openInfra, serveUntilSignalled, parsePublicKey } from '@mmo/platform';
import { socialConfigSchema } from './config.js';
import { createSocialApp } from './social.app.js';
import { createSocialDeps } from './social.deps.js';
import { startSocialListeners } from './social.listeners.js';

const config = loadConfigOrExit(socialConfigSchema);
const logger = createLogger({ service: 'social-api', level: config.LOG_LEVEL });
const { infra, close } = await openInfra({
  service: 'social-api',
  logger,
  tokenPublicKey: parsePublicKey(config.TOKEN_PUBLIC_KEY),
  database: { kind: 'postgres', url: config.DATABASE_URL },
  redisUrl: config.REDIS_URL,
});
const deps = createSocialDeps(infra, config);
const stopListening = await startSocialListeners(deps);
const app = createSocialApp(deps, { trustProxy: config.TRUST_PROXY, corsOrigins: config.CORS_ORIGINS });
await serveUntilSignalled(createServer(app), config.PORT, logger, async () => {
  await stopListening();
  await close();
});
