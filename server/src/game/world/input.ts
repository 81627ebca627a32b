import type { MoveMessage } from '@mmo/shared';
import { takePortalStep, type AreaSimulation, type SimEvent } from './simulation.js';

/*
 * The room's only way into the simulation: what a player asked for is queued here and applied
 * by the next tick's `applyInputs`. The room never writes a simulation field itself. Each call
 * on a player who is not (or no longer) in the simulation does nothing.
 */

/** Queues a move intent; the latest one before a tick stands. */
export function queueIntent(sim: AreaSimulation, playerId: string, intent: MoveMessage): void {
  const player = sim.players.get(playerId);
  if (player) player.pendingIntent = intent;
}

/**
 * A move intent as it arrives, `now` being the room clock (the last tick's time): a step onto a
 * portal that is already earned is taken at once (`takePortalStep`) and its events returned for
 * the room to apply as it applies a tick's; any other intent is queued for the next tick and
 * nothing is returned.
 */
export function submitIntent(sim: AreaSimulation, playerId: string, intent: MoveMessage, now: number): readonly SimEvent[] {
  const events = takePortalStep(sim, playerId, intent, now);
  if (events) return events;
  queueIntent(sim, playerId, intent);
  return NO_EVENTS;
}

/** What a queued intent returns: shared, since nearly every intent is queued. */
const NO_EVENTS: readonly SimEvent[] = [];

/** Asks to take the portal the player stands on (answered by a `portal` or `notOnPortal` event). */
export function requestPortal(sim: AreaSimulation, playerId: string): void {
  const player = sim.players.get(playerId);
  if (player) player.wantsPortal = true;
}

/** Stops the player where it stands and drops any queued intent (a dropped connection). */
export function haltPlayer(sim: AreaSimulation, playerId: string): void {
  const player = sim.players.get(playerId);
  if (!player) return;
  player.intent = { kind: 'idle' };
  player.pendingIntent = null;
}

/** A portal taken that could not be followed (no save, no seat): the player walks on here. */
export function cancelPortal(sim: AreaSimulation, playerId: string): void {
  const player = sim.players.get(playerId);
  if (player) player.leaving = false;
}

/**
 * Puts a player on a tile at once (a respawn), standing still with nothing queued; the room
 * moves it between cells of interest as it does after a step.
 */
export function teleportPlayer(sim: AreaSimulation, playerId: string, x: number, y: number): void {
  const player = sim.players.get(playerId);
  if (!player) return;
  player.x = x;
  player.y = y;
  player.intent = { kind: 'idle' };
  player.pendingIntent = null;
  player.wantsPortal = false;
}
