import type { ApiRoute } from '@mmo/platform';
import { groupsSchema } from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { socialRoute } from '../social-route.js';
import { currentGroups } from './groups.service.js';

/** `/social/groups`: the groups the actor belongs to, in one answer. */
export function groupRoutes(deps: SocialDeps): ApiRoute[] {
  return [
    socialRoute(deps, {
      method: 'get', path: '/social/groups', tag: 'groups', summary: 'Your party and guild (null for none)',
      response: groupsSchema,
      handle: ({ actor }) => currentGroups(deps, actor),
    }),
  ];
}
