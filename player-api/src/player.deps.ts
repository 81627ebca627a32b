import { KeyedTurns, type ServiceInfra } from '@mmo/platform';
import type { PlayerSettings } from './config.js';

/** What every player API feature receives. */
export interface PlayerDeps extends Pick<ServiceInfra, 'prisma' | 'bus' | 'logger' | 'verifier' | 'clock' | 'online' | 'redis' | 'leaderboards'> {
  settings: PlayerSettings;
  maxCharactersPerAccount: number;
  /** Inventory changes of one character wait their turn here before taking a connection. */
  inventoryTurns: KeyedTurns;
}

/**
 * Inventory requests of one character waiting in this process at most; past it a request is
 * answered 503 with Retry-After. A player's client sends one at a time; 32 is a burst of scripts.
 */
const INVENTORY_CHANGES_WAITING_PER_CHARACTER = 32;

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
    inventoryTurns: new KeyedTurns({ maxWaiting: INVENTORY_CHANGES_WAITING_PER_CHARACTER }),
  };
}
