import { defineRoute, type AccessTokenVerifier, type ApiRoute, type RateLimiter } from '@mmo/platform';
import { enterWorldRequestSchema, enterWorldResponseSchema, ErrorCode } from '@mmo/shared';
import { enterWorld, type WorldDeps } from './world.service.js';

export interface WorldRoutesDeps extends WorldDeps {
  verifier: AccessTokenVerifier;
  /** Each enter world holds a seat until it is used or expires: limited per account. */
  enterWorldLimit: RateLimiter;
}

/** `/world/...`: entering the game world. */
export function worldRoutes(deps: WorldRoutesDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/world/enter', tag: 'world', access: 'player',
      summary: "A seat reservation in an instance of the character's area, to consume with @colyseus/sdk",
      body: enterWorldRequestSchema, response: enterWorldResponseSchema, errors: [ErrorCode.CHARACTER_NOT_FOUND],
      handle: async ({ auth, body }) => {
        await deps.enterWorldLimit.consume(auth.accountId);
        return enterWorld(deps, auth, body.characterId);
      },
    }),
  ];
}
