// Composition root of embedded mode: `npm start` on a machine with nothing but Node.
import { createLogger, loadConfigOrExit, onShutdownSignals } from '@mmo/platform';
import { embeddedConfigSchema } from './config.js';
import { startEmbedded } from './embedded.js';

const config = loadConfigOrExit(embeddedConfigSchema);
const logger = createLogger({ service: 'embedded', level: config.LOG_LEVEL });
const running = await startEmbedded(config, logger);
logger.info(
  { url: `http://localhost:${running.port}`, database: config.DATABASE_URL ? 'postgresql' : 'pglite', dataDir: config.DATA_DIR },
  'all services listening on one port',
);

onShutdownSignals(logger, () => running.close());
