// Composition root of the primary server on the real stack (PostgreSQL, Redis).
import { createServer } from 'node:http';
import { createLogger, loadConfigOrExit, openInfra, serveUntilSignalled } from '@mmo/platform';
import { primaryConfigSchema } from './config.js';
import { createPrimaryApp, createPrimaryDeps } from './primary.app.js';

const config = loadConfigOrExit(primaryConfigSchema);
const logger = createLogger({ service: 'primary', level: config.LOG_LEVEL });
const { infra, close } = await openInfra({
  service: 'primary',
  logger,
  jwtSecret: config.JWT_SECRET,
  database: { kind: 'postgres', url: config.DATABASE_URL },
  redisUrl: config.REDIS_URL,
});
const app = createPrimaryApp(createPrimaryDeps(infra, config), { trustProxy: config.TRUST_PROXY });
await serveUntilSignalled(createServer(app), config.PORT, logger, close);
