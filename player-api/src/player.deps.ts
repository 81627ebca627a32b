import type { ServiceInfra } from '@mmo/platform';
import type { PlayerSettings } from './config.js';

/** What every player API feature receives. */
export interface PlayerDeps extends Pick<ServiceInfra, 'prisma' | 'bus' | 'logger' | 'verifier' | 'clock' | 'online' | 'redis' | 'leaderboards'> {
  settings: PlayerSettings;
  maxCharactersPerAccount: number;
}

export function createPlayerDeps(infra: ServiceInfra, settings: PlayerSettings): PlayerDeps {
  return {
    prisma: infra.prisma,
    bus: infra.bus,
    logger: infra.logger,
    verifier: infra.verifier,
    clock: infra.clock,
    online: infra.online,
    leaderboards: infra.leaderboards,
    ...(infra.redis ? { redis: infra.redis } : {}),
    settings,
    maxCharactersPerAccount: settings.MAX_CHARACTERS_PER_ACCOUNT,
  };
}
