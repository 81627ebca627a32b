import type { ApiRoute } from '@mmo/platform';
import type { SocialDeps } from '../../social.deps.js';

export function messageRoutes(_deps: SocialDeps): ApiRoute[] {
  return [];
}
