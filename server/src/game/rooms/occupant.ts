import type { Client } from '@colyseus/core';
import type { CharacterRecord } from '../character.store.js';
import type { SeatHolder } from '../placement.js';
import type { CombatPlayer } from '../world/combat-world.js';
import type { SimPlayer } from '../world/simulation.js';
import type { PlayerState } from './map-area.state.js';

/**
 * Where an occupant stands in its stay here:
 * - `playing`: in the world; save rounds, leaves and shutdowns save it;
 * - `transferring`: going through a portal; the transfer alone saves it until it ends (back to
 *   `playing` if the way is blocked, else `released`);
 * - `released`: handed on or dropped for good (transfer done, takeover, revocation, deletion);
 *   never saved again here, receives nothing more.
 */
export type OccupantPhase = 'playing' | 'transferring' | 'released';

/** A connected character in this instance. */
export interface Occupant {
  client: Client;
  holder: SeatHolder;
  generation: number;
  character: CharacterRecord;
  view: PlayerState;
  sim: SimPlayer;
  /** The same player as combat sees it (its `at` is `sim`). */
  fighter: CombatPlayer;
  /** Progress changed since the last save. */
  dirty: boolean;
  phase: OccupantPhase;
  moveTimes: number[];
  chatTimes: number[];
  /** `pickup` and `use` requests, each a database transaction: throttled. */
  storeTimes: number[];
}

/**
 * Whether the occupant was released. A function rather than a comparison in place: the phase
 * changes across awaits (a takeover while a transfer saves), which TypeScript's narrowing of a
 * property just assigned does not see.
 */
export function isReleased(occupant: Occupant): boolean {
  return occupant.phase === 'released';
}
