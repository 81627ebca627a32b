import type { EventBus, Logger, OnlineDirectory, SanctionList, SessionDenylist, TextFilter } from '@mmo/platform';
import type { AreaId, SeatReservation, World } from '@mmo/shared';
import type { CharacterStore } from '../character.store.js';
import type { GameSettings } from '../config.js';
import type { ProgressStore } from '../progress.store.js';
import type { LocalInstances, SeatHolder } from '../placement.js';
import type { TickScheduler } from '../tick-scheduler.js';

/**
 * Receives each simulation tick and each state patch of every room: when it started
 * (`performance.now()`, so gaps between starts show a slipping loop) and how long it took, in
 * milliseconds.
 */
export interface GameMetrics {
  recordTick(roomId: string, startedAt: number, ms: number): void;
  recordPatch(roomId: string, startedAt: number, ms: number): void;
}

export interface MapAreaDeps {
  world: World;
  metrics?: GameMetrics;
  characters: CharacterStore;
  /** Progress (level, experience, hit points, kills) with its reward ledger, pickups and potions. */
  progress: ProgressStore;
  bus: EventBus;
  denylist: SessionDenylist;
  /** Bans and mutes in force (moderation). */
  sanctions: SanctionList;
  online: OnlineDirectory;
  /** Masks profanity in area chat. */
  filter: TextFilter;
  logger: Logger;
  settings: GameSettings;
  reserveSeat(area: AreaId, holder: SeatHolder): Promise<SeatReservation>;
  /** The instances this process hosts, which each room joins on creation and leaves on disposal (transfers reserve in them first). */
  localInstances?: LocalInstances;
  /** The process's tick phases: every room of the process steps at a phase of its own. */
  ticks: TickScheduler;
}
