import { TextFilter, type ServiceInfra } from '@mmo/platform';
import { loadWorld, type World } from '@mmo/shared';
import { DEFAULT_SAVE_RETRY, PrismaCharacterStore } from './character.store.js';
import type { GameSettings } from './config.js';
import { PrismaProgressStore } from './progress.store.js';
import { LocalInstances, reserveSeatInArea } from './placement.js';
import type { GameMetrics, MapAreaDeps } from './rooms/map-area.deps.js';
import { cycleForBeat, TickScheduler } from './tick-scheduler.js';
import { STEP_BEAT_MS } from './world/movement.js';

/** Builds what the map-area rooms need from a process's infrastructure, settings and world. */
export function createGameDeps(
  infra: ServiceInfra,
  settings: GameSettings,
  options: { world?: World; metrics?: GameMetrics } = {},
): MapAreaDeps {
  const localInstances = new LocalInstances();
  return {
    world: options.world ?? loadWorld(),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    characters: new PrismaCharacterStore(infra.prisma, infra.logger, DEFAULT_SAVE_RETRY, infra.leaderboards),
    progress: new PrismaProgressStore(infra.prisma, infra.logger, infra.leaderboards),
    bus: infra.bus,
    denylist: infra.denylist,
    sanctions: infra.sanctions,
    online: infra.online,
    filter: new TextFilter({ extraWords: settings.PROFANITY_EXTRA_WORDS }),
    logger: infra.logger,
    settings,
    reserveSeat: (area, holder) => reserveSeatInArea(area, holder, localInstances),
    localInstances,
    ticks: new TickScheduler(1000 / settings.TICK_RATE, { cycleMs: cycleForBeat(1000 / settings.TICK_RATE, STEP_BEAT_MS) }),
  };
}
