import { portalAt, type Area, type MoveMessage, type Portal } from '@mmo/shared';
import { SpatialGrid, updateInterest, type InterestRadii } from './interest.js';
import { advanceWalker, directionIntent, pathIntent, type Walker } from './movement.js';

/** A player inside one area instance's simulation, keyed by its connection's session id. */
export interface SimPlayer extends Walker {
  id: string;
  /** The latest intent received since the last tick; applied at the start of the next one. */
  pendingIntent: MoveMessage | null;
  /** Set when the player asked to take the portal it stands on. */
  wantsPortal: boolean;
  /** Ids of the other players this one sees. */
  visible: Set<string>;
  /** Taking a portal: no more movement or portal events for this player. */
  leaving: boolean;
}

export interface AreaSimulation {
  readonly area: Area;
  readonly players: Map<string, SimPlayer>;
  readonly grid: SpatialGrid;
  /** Interest radii; null turns interest management off (everyone sees everyone). */
  readonly radii: InterestRadii | null;
  readonly maxPathDistance: number;
  /** Interest is recomputed every this many ticks, and at once when players join or leave. */
  readonly interestEveryTicks: number;
  ticks: number;
  /** Set when players joined or left since the last interest pass. */
  rosterChanged: boolean;
}

/** What a tick produced, for the room to turn into state changes and messages. */
export type SimEvent =
  | { type: 'moved'; id: string; x: number; y: number }
  | { type: 'portal'; id: string; portal: Portal }
  | { type: 'noPath'; id: string }
  | { type: 'notOnPortal'; id: string }
  | { type: 'view'; id: string; entered: string[]; left: string[] };

/**
 * A new area simulation. Interest is recomputed every second tick by default: at 20 Hz that is
 * every 100 ms, in which the fastest walker covers half a tile, well inside the band between
 * the enter and leave radii, so nothing pops in late or flickers.
 */
export function createAreaSimulation(
  area: Area,
  options: { radii: InterestRadii | null; maxPathDistance: number; interestEveryTicks?: number },
): AreaSimulation {
  return {
    area,
    players: new Map(),
    grid: new SpatialGrid(options.radii ? Math.max(4, Math.ceil(options.radii.enter)) : 16),
    radii: options.radii,
    maxPathDistance: options.maxPathDistance,
    interestEveryTicks: options.interestEveryTicks ?? 2,
    ticks: 0,
    rosterChanged: false,
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
    pendingIntent: null,
    wantsPortal: false,
    visible: new Set(),
    leaving: false,
  };
  sim.players.set(player.id, player);
  sim.grid.set(player.id, player);
  sim.rosterChanged = true;
  return player;
}

export function removePlayer(sim: AreaSimulation, id: string): void {
  sim.players.delete(id);
  sim.grid.remove(id);
  sim.rosterChanged = true;
}

/**
 * One fixed step of the area: `applyInputs → moveEntities → takePortals → updateViews`.
 * Monsters, combat and respawns join these phases as they arrive.
 */
export function tick(sim: AreaSimulation, now: number): SimEvent[] {
  const events: SimEvent[] = [];
  applyInputs(sim, events);
  moveEntities(sim, now, events);
  takePortals(sim, events);
  if (sim.rosterChanged || sim.ticks % sim.interestEveryTicks === 0) updateViews(sim, events);
  sim.ticks += 1;
  return events;
}

function applyInputs(sim: AreaSimulation, events: SimEvent[]): void {
  for (const player of sim.players.values()) {
    const input = player.pendingIntent;
    if (!input || player.leaving) continue;
    player.pendingIntent = null;
    if ('dx' in input) {
      player.intent = directionIntent(input.dx, input.dy);
    } else {
      const intent = pathIntent(sim.area, player, input.to, sim.maxPathDistance);
      if (intent) player.intent = intent;
      else events.push({ type: 'noPath', id: player.id });
    }
  }
}

function moveEntities(sim: AreaSimulation, now: number, events: SimEvent[]): void {
  for (const player of sim.players.values()) {
    if (player.leaving || !advanceWalker(player, sim.area, now)) continue;
    sim.grid.set(player.id, player);
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

function updateViews(sim: AreaSimulation, events: SimEvent[]): void {
  sim.rosterChanged = false;
  const positionOf = (id: string) => sim.players.get(id);
  for (const viewer of sim.players.values()) {
    const change = sim.radii
      ? updateInterest(viewer.id, viewer, viewer.visible, sim.grid, positionOf, sim.radii)
      : seeEveryone(viewer, sim.players);
    if (change.entered.length > 0 || change.left.length > 0) events.push({ type: 'view', id: viewer.id, ...change });
  }
}

/** Interest management switched off: every player sees every other. */
function seeEveryone(viewer: SimPlayer, players: ReadonlyMap<string, SimPlayer>): { entered: string[]; left: string[] } {
  const left = [...viewer.visible].filter((id) => !players.has(id));
  for (const id of left) viewer.visible.delete(id);
  const entered: string[] = [];
  for (const id of players.keys()) {
    if (id !== viewer.id && !viewer.visible.has(id)) {
      viewer.visible.add(id);
      entered.push(id);
    }
  }
  return { entered, left };
}
