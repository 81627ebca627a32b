import type { Delivery, Notification } from '@mmo/shared';
import type { SocialDeps } from '../social.deps.js';

/**
 * Publishes something for the game clients of some characters; the rooms holding them send
 * it. Called after the change is committed: a failure to publish is logged and does not undo
 * or fail the request, since the change is readable over REST either way.
 */
export async function deliver(deps: Pick<SocialDeps, 'bus' | 'logger'>, characterIds: readonly string[], delivery: Delivery): Promise<void> {
  const unique = [...new Set(characterIds)];
  if (unique.length === 0) return;
  try {
    for (let i = 0; i < unique.length; i += 1000) {
      await deps.bus.publish('social.deliver', { characterIds: unique.slice(i, i + 1000), delivery });
    }
  } catch (error) {
    deps.logger.warn({ err: error, kind: delivery.kind }, 'could not publish a social delivery');
  }
}

export function notify(deps: Pick<SocialDeps, 'bus' | 'logger'>, characterIds: readonly string[], notification: Notification): Promise<void> {
  return deliver(deps, characterIds, { kind: 'notify', notification });
}
