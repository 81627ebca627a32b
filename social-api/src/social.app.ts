import { createHttpApp, finishHttpApp, type ServiceInfra } from '@mmo/platform';
import type { Health } from '@mmo/shared';
import { Router, type Express } from 'express';

/** Friends, parties, guilds and messages arrive with their own issue; the service already runs. */
export type SocialDeps = Pick<ServiceInfra, 'prisma' | 'bus' | 'logger' | 'verifier' | 'clock'>;

export function createSocialDeps(infra: ServiceInfra): SocialDeps {
  return infra;
}

/** Every route of the social API, for mounting at the root of an app. */
export function createSocialRouter(_deps: SocialDeps): Router {
  return Router();
}

export function createSocialApp(deps: SocialDeps, options: { trustProxy: string }): Express {
  const app = createHttpApp(options);
  app.get('/health', (_req, res) => {
    const body: Health = { service: 'social-api', status: 'ok' };
    res.json(body);
  });
  app.use(createSocialRouter(deps));
  return finishHttpApp(app, deps.logger);
}
