import type { Client } from '@colyseus/core';
import type { CharacterRecord } from '../character.store.js';
import type { SeatHolder } from '../placement.js';
import type { SimPlayer } from '../world/simulation.js';
import type { PlayerState } from './map-area.state.js';

/** A connected character in this instance. */
export interface Occupant {
  client: Client;
  holder: SeatHolder;
  generation: number;
  character: CharacterRecord;
  view: PlayerState;
  sim: SimPlayer;
  /** Progress changed since the last save. */
  dirty: boolean;
  /** Going through a portal: the transfer alone saves this character until it ends. */
  transferring: boolean;
  /** Handed on or dropped for good (transfer done, takeover, revocation): never saved again here. */
  released: boolean;
  moveTimes: number[];
  chatTimes: number[];
}
