import { createHttpApp, finishHttpApp, type ServiceInfra } from '@mmo/platform';
import type { Health } from '@mmo/shared';
import { Router, type Express } from 'express';
import type { PlayerSettings } from './config.js';
import { createCharacterRouter, type CharacterRoutesDeps } from './features/characters/character.routes.js';

export interface PlayerDeps extends CharacterRoutesDeps {
  logger: ServiceInfra['logger'];
}

export function createPlayerDeps(infra: ServiceInfra, settings: PlayerSettings): PlayerDeps {
  return { ...infra, maxCharactersPerAccount: settings.MAX_CHARACTERS_PER_ACCOUNT };
}

/** Every route of the player API, for mounting at the root of an app. */
export function createPlayerRouter(deps: PlayerDeps): Router {
  const router = Router();
  router.use('/characters', createCharacterRouter(deps));
  return router;
}

/** The player API as its own app (cluster mode and tests); `main.ts` listens. */
export function createPlayerApp(deps: PlayerDeps, options: { trustProxy: string }): Express {
  const app = createHttpApp(options);
  app.get('/health', (_req, res) => {
    const body: Health = { service: 'player-api', status: 'ok' };
    res.json(body);
  });
  app.use(createPlayerRouter(deps));
  return finishHttpApp(app, deps.logger);
}
