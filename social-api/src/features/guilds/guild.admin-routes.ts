import type { ApiRoute } from '@mmo/platform';
import type { SocialDeps } from '../../social.deps.js';

export function guildAdminRoutes(_deps: SocialDeps): ApiRoute[] {
  return [];
}
