import { portalAt, type Area, type MoveMessage, type Portal } from '@mmo/shared';
import { advanceWalker, directionIntent, pathIntent, stepDueAt, type Walker } from './movement.js';
import { canStep } from './pathfinding.js';

/** A player inside one area instance's simulation, keyed by its connection's session id. */
export interface SimPlayer extends Walker {
  id: string;
  /** The latest intent received since the last tick; applied at the start of the next one. */
  pendingIntent: MoveMessage | null;
  /** Set when the player asked to take the portal it stands on. */
  wantsPortal: boolean;
  /** Taking a portal: no more movement or portal events for this player. */
  leaving: boolean;
  /** Earliest time (ms) this player's next click-to-move may search for a path. */
  nextPathAt: number;
}

export interface AreaSimulation {
  readonly area: Area;
  readonly players: Map<string, SimPlayer>;
  readonly maxPathDistance: number;
  /** At most one path search per player in this many ms; a `{to}` sent sooner waits its turn. */
  readonly pathSearchMs: number;
  /** Where this instance's movement beat falls (`STEP_BEAT_MS`), shared with its monsters. */
  readonly beatOffsetMs: number;
}

/**
 * Default spacing of one player's path searches: a client clicking or dragging the mouse sends
 * up to MOVE_INTENTS_PER_SECOND targets, each a search of up to MAX_PATH_TARGET_DISTANCE tiles
 * around; four a second still follow a dragged cursor.
 */
export const PATH_SEARCH_INTERVAL_MS = 250;

/** What a tick produced, for the room to turn into state changes and messages. */
export type SimEvent =
  | { type: 'moved'; id: string; x: number; y: number }
  | { type: 'portal'; id: string; portal: Portal }
  | { type: 'noPath'; id: string }
  | { type: 'notOnPortal'; id: string };

/**
 * A new area simulation: walking and portals. Who sees whom is the room's business (cells of
 * interest, `rooms/cell-views.ts`), driven by the `moved` events a tick reports.
 */
export function createAreaSimulation(area: Area, options: { maxPathDistance: number; pathSearchMs?: number; beatOffsetMs?: number }): AreaSimulation {
  return {
    area,
    players: new Map(),
    maxPathDistance: options.maxPathDistance,
    pathSearchMs: options.pathSearchMs ?? PATH_SEARCH_INTERVAL_MS,
    beatOffsetMs: options.beatOffsetMs ?? 0,
  };
}

export function addPlayer(sim: AreaSimulation, init: { id: string; x: number; y: number; speed: number; now: number }): SimPlayer {
  const player: SimPlayer = {
    id: init.id,
    x: init.x,
    y: init.y,
    speed: init.speed,
    intent: { kind: 'idle' },
    nextStepAt: init.now,
    fromRest: true,
    pendingIntent: null,
    wantsPortal: false,
    leaving: false,
    nextPathAt: init.now,
  };
  sim.players.set(player.id, player);
  return player;
}

export function removePlayer(sim: AreaSimulation, id: string): void {
  sim.players.delete(id);
}

/** One fixed step of the area's walking: `applyInputs → moveEntities → takePortals`. */
export function tick(sim: AreaSimulation, now: number): SimEvent[] {
  const events: SimEvent[] = [];
  applyInputs(sim, now, events);
  moveEntities(sim, now, events);
  takePortals(sim, events);
  return events;
}

function applyInputs(sim: AreaSimulation, now: number, events: SimEvent[]): void {
  for (const player of sim.players.values()) {
    const input = player.pendingIntent;
    if (!input || player.leaving) continue;
    if ('dx' in input) {
      player.pendingIntent = null;
      player.intent = directionIntent(input.dx, input.dy);
    } else {
      // Searched at most once per pathSearchMs: meanwhile the target stays queued (a newer
      // intent replaces it) and the player walks on as before. Arrow keys never search.
      if (now < player.nextPathAt) continue;
      player.pendingIntent = null;
      player.nextPathAt = now + sim.pathSearchMs;
      const intent = pathIntent(sim.area, player, input.to, sim.maxPathDistance);
      if (intent) player.intent = intent;
      else events.push({ type: 'noPath', id: player.id });
    }
  }
}

function moveEntities(sim: AreaSimulation, now: number, events: SimEvent[]): void {
  for (const player of sim.players.values()) {
    if (player.leaving || !advanceWalker(player, sim.area, now, sim.beatOffsetMs)) continue;
    events.push({ type: 'moved', id: player.id, x: player.x, y: player.y });
    // Arriving on a portal takes it, as does asking while standing on one.
    if (portalAt(sim.area, player.x, player.y)) player.wantsPortal = true;
  }
}

function takePortals(sim: AreaSimulation, events: SimEvent[]): void {
  for (const player of sim.players.values()) {
    if (player.wantsPortal && !player.leaving) takePortal(sim, player, events);
  }
}

function takePortal(sim: AreaSimulation, player: SimPlayer, events: SimEvent[]): void {
  player.wantsPortal = false;
  const portal = portalAt(sim.area, player.x, player.y);
  if (!portal) {
    events.push({ type: 'notOnPortal', id: player.id });
    return;
  }
  player.leaving = true;
  player.intent = { kind: 'idle' };
  events.push({ type: 'portal', id: player.id, portal });
}

/**
 * Takes at once, rather than at the next tick, a step onto a portal that a direction intent
 * asks for, when the rules already allow that step as of `now`; returns its events (`moved`,
 * then `portal`), or null when the intent must wait for the tick like any other.
 *
 * Why: a player leaving through a portal would otherwise wait up to a whole tick (50 ms at
 * 20 Hz) before the transfer could even start, the largest part of a zone change. Nothing is
 * bypassed: `now` is the time of the last tick (the room clock between ticks), the step is taken
 * only if it is due by then (`stepDueAt`: earned, and on the beat unless from rest) and the tile can be entered, and it is
 * taken by the same `advanceWalker` and `takePortal` a tick runs, so position, `nextStepAt` and
 * the portal come out as that tick would leave them for a walker whose step interval exceeds the
 * tick's (every speed the game has). Any other intent (a stop, a click, a step that does not end
 * on a portal, a step not yet earned) is left to the tick, so the rest of the area still moves
 * only in ticks; a player already leaving asks for nothing.
 */
export function takePortalStep(sim: AreaSimulation, id: string, input: MoveMessage, now: number): SimEvent[] | null {
  const player = sim.players.get(id);
  if (!player || player.leaving || !('dx' in input) || (input.dx === 0 && input.dy === 0)) return null;
  if (stepDueAt(player, sim.beatOffsetMs) > now || !canStep(sim.area, player, input.dx, input.dy)) return null;
  if (!portalAt(sim.area, player.x + input.dx, player.y + input.dy)) return null;
  // A newer intent replaces a waiting one, as at the tick.
  player.pendingIntent = null;
  player.intent = directionIntent(input.dx, input.dy);
  const events: SimEvent[] = [];
  if (!advanceWalker(player, sim.area, now, sim.beatOffsetMs)) return events;
  events.push({ type: 'moved', id: player.id, x: player.x, y: player.y });
  takePortal(sim, player, events);
  return events;
}
