import { RateLimiter, TextFilter, type ServiceInfra } from '@mmo/platform';
import type { SocialSettings } from './config.js';

/** What every social feature receives. */
export interface SocialDeps extends Pick<ServiceInfra, 'prisma' | 'bus' | 'logger' | 'verifier' | 'clock' | 'online' | 'sanctions'> {
  settings: SocialSettings;
  filter: TextFilter;
  limits: {
    messages: RateLimiter;
    invites: RateLimiter;
    groupChat: RateLimiter;
  };
}

export function createSocialDeps(infra: ServiceInfra, settings: SocialSettings): SocialDeps {
  const redis = infra.redis ? { redis: infra.redis } : {};
  return {
    prisma: infra.prisma,
    bus: infra.bus,
    logger: infra.logger,
    verifier: infra.verifier,
    clock: infra.clock,
    online: infra.online,
    sanctions: infra.sanctions,
    settings,
    filter: new TextFilter({ extraWords: settings.PROFANITY_EXTRA_WORDS }),
    limits: {
      messages: new RateLimiter({ name: 'social-messages', points: settings.MESSAGE_RATE_LIMIT, windowSeconds: settings.MESSAGE_RATE_WINDOW_SECONDS, ...redis }),
      invites: new RateLimiter({ name: 'social-invites', points: settings.INVITE_RATE_LIMIT, windowSeconds: settings.INVITE_RATE_WINDOW_SECONDS, ...redis }),
      groupChat: new RateLimiter({ name: 'social-group-chat', points: settings.GROUP_CHAT_RATE_LIMIT, windowSeconds: settings.GROUP_CHAT_RATE_WINDOW_SECONDS, ...redis }),
    },
  };
}
