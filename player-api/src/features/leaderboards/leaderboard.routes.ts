import type { ApiRoute } from '@mmo/platform';
import type { PlayerDeps } from '../../player.deps.js';

export function leaderboardRoutes(_deps: PlayerDeps): ApiRoute[] {
  return [];
}
