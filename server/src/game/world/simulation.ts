import { portalAt, type Area, type MoveMessage, type Portal } from '@mmo/shared';
import { advanceWalker, directionIntent, pathIntent, type Walker } from './movement.js';

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
export function createAreaSimulation(area: Area, options: { maxPathDistance: number; pathSearchMs?: number }): AreaSimulation {
  return { area, players: new Map(), maxPathDistance: options.maxPathDistance, pathSearchMs: options.pathSearchMs ?? PATH_SEARCH_INTERVAL_MS };
}

export function addPlayer(sim: AreaSimulation, init: { id: string; x: number; y: number; speed: number; now: number }): SimPlayer {
  const player: SimPlayer = {
    id: init.id,
    x: init.x,
    y: init.y,
    speed: init.speed,
    intent: { kind: 'idle' },
    nextStepAt: init.now,
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
    if (player.leaving || !advanceWalker(player, sim.area, now)) continue;
    events.push({ type: 'moved', id: player.id, x: player.x, y: player.y });
    // Arriving on a portal takes it, as does asking while standing on one.
    if (portalAt(sim.area, player.x, player.y)) player.wantsPortal = true;
  }
}

function takePortals(sim: AreaSimulation, events: SimEvent[]): void {
  for (const player of sim.players.values()) {
    if (!player.wantsPortal || player.leaving) continue;
    player.wantsPortal = false;
    const portal = portalAt(sim.area, player.x, player.y);
    if (!portal) {
      events.push({ type: 'notOnPortal', id: player.id });
      continue;
    }
    player.leaving = true;
    player.intent = { kind: 'idle' };
    events.push({ type: 'portal', id: player.id, portal });
  }
}
