import { defineRoute, limitByAddress, publicReadHeaders, RateLimiter, type ApiRoute, type Clock } from '@mmo/platform';
import {
  ErrorCode,
  publicCharacterCardSchema,
  publicCharacterParamsSchema,
  publicLeaderboardParamsSchema,
  publicLeaderboardQuerySchema,
  publicLeaderboardSchema,
  publicOnlineSchema,
} from '@mmo/shared';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { PlayerSettings } from '../../config.js';
import { createOnlineCounter, getCharacterCard, getOnlineCounts, getPublicLeaderboard, type PublicDeps } from './public.service.js';

export interface PublicRoutesDeps extends PublicDeps {
  clock: Clock;
  /** Shares the per-address budget across processes; per process without it (embedded mode). */
  redis?: Redis;
  settings: Pick<
    PlayerSettings,
    'PUBLIC_CACHE_SECONDS' | 'PUBLIC_STALE_SECONDS' | 'PUBLIC_RATE_LIMIT_PER_IP' | 'PUBLIC_RATE_WINDOW_SECONDS' | 'PUBLIC_ONLINE_COUNT_SECONDS'
  >;
}

const tag = 'public';

/**
 * `/public/...`: read-only answers that any website may embed. Every route opens CORS to all
 * origins, lets browsers and proxies cache (Express adds the ETag and answers 304 to a
 * matching `If-None-Match`), and counts each request against one budget per address shared
 * by all of them.
 */
export function publicRoutes(deps: PublicRoutesDeps): ApiRoute[] {
  // One set for every public route, so that they share one budget per address.
  let shared: RequestHandler[] | undefined;
  const before = () =>
    (shared ??= [
      publicReadHeaders({ maxAgeSeconds: deps.settings.PUBLIC_CACHE_SECONDS, staleSeconds: deps.settings.PUBLIC_STALE_SECONDS }),
      limitByAddress(
        new RateLimiter({
          name: 'public-read',
          points: deps.settings.PUBLIC_RATE_LIMIT_PER_IP,
          windowSeconds: deps.settings.PUBLIC_RATE_WINDOW_SECONDS,
          ...(deps.redis ? { redis: deps.redis } : {}),
        }),
      ),
    ]);
  let countByArea: ReturnType<typeof createOnlineCounter> | undefined;
  return [
    defineRoute({
      method: 'get', path: '/public/characters/:name', tag, access: 'public', summary: 'The public card of a character that is not hidden, by name in any letter case',
      before, params: publicCharacterParamsSchema, response: publicCharacterCardSchema, errors: [ErrorCode.CHARACTER_NOT_FOUND],
      handle: ({ params }) => getCharacterCard(deps, params.name),
    }),
    defineRoute({
      method: 'get', path: '/public/online', tag, access: 'public', summary: 'How many characters are in game, in all and per map area',
      before, response: publicOnlineSchema,
      handle: () => {
        countByArea ??= createOnlineCounter(deps.online, { reuseSeconds: deps.settings.PUBLIC_ONLINE_COUNT_SECONDS, clock: deps.clock });
        return getOnlineCounts(countByArea);
      },
    }),
    defineRoute({
      method: 'get', path: '/public/leaderboards/:board', tag, access: 'public', summary: 'The top of a leaderboard, overall or of one class',
      before, params: publicLeaderboardParamsSchema, query: publicLeaderboardQuerySchema, response: publicLeaderboardSchema,
      handle: ({ params, query }) => getPublicLeaderboard(deps, params.board, query),
    }),
  ];
}
