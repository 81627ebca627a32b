import { authOf, parseInput, requireAuth, type AccessTokenVerifier, type RateLimiter } from '@mmo/platform';
import { enterWorldRequestSchema } from '@mmo/shared';
import { Router } from 'express';
import { enterWorld, type WorldDeps } from './world.service.js';

export interface WorldRoutesDeps extends WorldDeps {
  verifier: AccessTokenVerifier;
  /** Each enter world holds a seat until it is used or expires: limited per account. */
  enterWorldLimit: RateLimiter;
}

/** `/world/...`: entering the game world. */
export function createWorldRouter(deps: WorldRoutesDeps): Router {
  const router = Router();
  router.post('/enter', requireAuth(deps.verifier), async (req, res) => {
    const { characterId } = parseInput(enterWorldRequestSchema, req.body);
    const auth = authOf(res);
    await deps.enterWorldLimit.consume(auth.accountId);
    res.json(await enterWorld(deps, auth, characterId));
  });
  return router;
}
