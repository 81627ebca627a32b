import { type ServiceHttpOptions, buildOpenApiDocument, createHttpApp, docsRouter, documentationOnly, finishHttpApp, mountRoutes, type ApiRoute } from '@mmo/platform';
import type { Health } from '@mmo/shared';
import type { Express, Router } from 'express';
import { characterRoutes } from './features/characters/character.routes.js';
import { inventoryRoutes } from './features/inventory/inventory.routes.js';
import { leaderboardRoutes } from './features/leaderboards/leaderboard.routes.js';
import { publicRoutes } from './features/public/public.routes.js';
import type { PlayerDeps } from './player.deps.js';

export { createPlayerDeps, type PlayerDeps } from './player.deps.js';

/** Every operation of the player API, in the order the OpenAPI document lists them. */
export function playerRoutes(deps: PlayerDeps): ApiRoute[] {
  return [...characterRoutes(deps), ...inventoryRoutes(deps), ...leaderboardRoutes(deps), ...publicRoutes(deps)];
}

/** The OpenAPI document of the player API, generated from its routes (`player-api/openapi.json`). */
export function playerOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    {
      title: 'Player API',
      version: '1.0.0',
      description: 'Characters, character sheets and inventories for their owners; leaderboards; public read-only endpoints for website widgets.',
    },
    playerRoutes(documentationOnly<PlayerDeps>()),
  );
}

/** Every route of the player API, for mounting at the root of an app. */
export function createPlayerRouter(deps: PlayerDeps): Router {
  return mountRoutes(playerRoutes(deps), deps.verifier, { service: 'player', prisma: deps.prisma });
}

/** The player API as its own app (cluster mode and tests); `main.ts` listens. */
export function createPlayerApp(deps: PlayerDeps, options: ServiceHttpOptions): Express {
  const app = createHttpApp({ ...options, logger: deps.logger });
  app.get('/health', (_req, res) => {
    const body: Health = { service: 'player-api', status: 'ok' };
    res.json(body);
  });
  app.use(docsRouter('Player API', [{ name: 'player', document: playerOpenApiDocument() }]));
  app.use(createPlayerRouter(deps));
  return finishHttpApp(app, deps.logger);
}
