import { authOf, parseInput, requireAuth, type AccessTokenVerifier } from '@mmo/platform';
import { enterWorldRequestSchema } from '@mmo/shared';
import { Router } from 'express';
import { enterWorld, type WorldDeps } from './world.service.js';

export interface WorldRoutesDeps extends WorldDeps {
  verifier: AccessTokenVerifier;
}

/** `/world/...`: entering the game world. */
export function createWorldRouter(deps: WorldRoutesDeps): Router {
  const router = Router();
  router.post('/enter', requireAuth(deps.verifier), async (req, res) => {
    const { characterId } = parseInput(enterWorldRequestSchema, req.body);
    res.json(await enterWorld(deps, authOf(res), characterId));
  });
  return router;
}
