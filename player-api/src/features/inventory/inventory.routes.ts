import type { ApiRoute } from '@mmo/platform';
import type { PlayerDeps } from '../../player.deps.js';

export function inventoryRoutes(_deps: PlayerDeps): ApiRoute[] {
  return [];
}
