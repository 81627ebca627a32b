import type { Client } from '@colyseus/core';
import { isWalkable, MOVE_SPEED, type Area } from '@mmo/shared';
import type { CharacterRecord } from '../character.store.js';
import type { SeatHolder } from '../placement.js';
import type { StoredProgress } from '../progress.store.js';
import { addCombatPlayer, type CombatPlayer, type CombatWorld } from '../world/combat-world.js';
import { addPlayer, type AreaSimulation, type SimPlayer } from '../world/simulation.js';
import { PlayerState } from './map-area.state.js';

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

/** What a join loads besides the character row. */
export interface LoadedProgress {
  stored: StoredProgress;
  equipped: string[];
  partyId: string | null;
}

/** What a newcomer is placed in. */
export interface WorldOfRoom {
  readonly area: Area;
  readonly sim: AreaSimulation;
  readonly combat: CombatWorld;
  now(): number;
}

/** A claimed and loaded character joining on a connection. */
export interface Arrival {
  client: Client;
  holder: SeatHolder;
  generation: number;
  character: CharacterRecord;
  loaded: LoadedProgress;
}

/**
 * Places an arriving character in the room's simulation and combat (at the area's spawn when
 * where it was saved is no longer walkable) and answers its occupant, playing, with the synced
 * view the room's state is to hold.
 */
export function placeInWorld(world: WorldOfRoom, { client, holder, generation, character, loaded }: Arrival): Occupant {
  const { stored, equipped, partyId } = loaded;
  if (!isWalkable(world.area, character.x, character.y)) Object.assign(character, world.area.spawn);
  const sim = addPlayer(world.sim, { id: client.sessionId, x: character.x, y: character.y, speed: MOVE_SPEED[character.class], now: world.now() });
  const fighter = addCombatPlayer(world.combat, {
    id: client.sessionId,
    characterId: character.id,
    class: character.class,
    level: stored.level,
    xp: stored.xp,
    ...(stored.hp !== null ? { hp: stored.hp } : {}),
    equipped,
    partyId,
    monstersDefeated: stored.monstersDefeated,
    at: sim,
    now: world.now(),
  });
  character.level = fighter.level;
  const view = new PlayerState({ name: character.name, class: character.class, level: fighter.level, hp: fighter.hp, x: character.x, y: character.y });
  return { client, holder, generation, character, view, sim, fighter, dirty: false, phase: 'playing', moveTimes: [], chatTimes: [], storeTimes: [] };
}
