// Composition root of one game process on the real stack (see game.process.ts).
import { createLogger, loadConfigOrExit, onShutdownSignals } from '@mmo/platform';
import { gameConfigSchema } from './config.js';
import { startGameProcess } from './game.process.js';

const config = loadConfigOrExit(gameConfigSchema);
const logger = createLogger({ service: 'game', level: config.LOG_LEVEL });
const game = await startGameProcess(config, logger);

// Colyseus stops matchmaking here and disconnects every client, whose rooms save their
// characters as they leave; the process is removed from Redis.
onShutdownSignals(logger, () => game.stop());
