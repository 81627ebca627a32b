import { defineRoute, type ApiRoute } from '@mmo/platform';
import { leaderboardPageSchema, leaderboardParamsSchema, leaderboardQuerySchema, leaderboardRebuildSchema } from '@mmo/shared';
import { getLeaderboardPage, rebuildLeaderboards, type LeaderboardDeps } from './leaderboard.service.js';

const tag = 'leaderboards';

/**
 * `/leaderboards/:board`: pages of a board for the game client and the site, open to anyone
 * (the entries are public data); `/admin/leaderboards/rebuild` restores every board from the
 * characters table, for moderators.
 */
export function leaderboardRoutes(deps: LeaderboardDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/leaderboards/:board', tag, access: 'player', summary: 'A page of a leaderboard, overall or of one class, with ranks',
      params: leaderboardParamsSchema, query: leaderboardQuerySchema, response: leaderboardPageSchema,
      handle: ({ params, query }) => getLeaderboardPage(deps, params.board, query),
    }),
    defineRoute({
      method: 'post', path: '/admin/leaderboards/rebuild', tag, access: 'moderator', summary: 'Rebuild every leaderboard from the characters table',
      response: leaderboardRebuildSchema,
      audit: { action: 'leaderboards.rebuild', targetType: 'leaderboards' },
      handle: () => rebuildLeaderboards(deps),
    }),
  ];
}
