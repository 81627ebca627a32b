// Composition root of the gateway: one public port in front of the cluster's HTTP services.
import { createLogger, loadConfigOrExit, serveUntilSignalled } from '@mmo/platform';
import { gatewayConfigSchema } from './config.js';
import { createGateway } from './gateway.js';

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
const gateway = createGateway({
  routes: { primary: config.PRIMARY_URL, player: config.PLAYER_API_URL, social: config.SOCIAL_API_URL },
  logger,
  ...(config.CLIENT_DIST ? { clientDist: config.CLIENT_DIST } : {}),
});
await serveUntilSignalled(gateway, config.PORT, logger, async () => {});
