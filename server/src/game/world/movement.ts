import type { Area } from '@mmo/shared';
import { canStep, findPath, type Point } from './pathfinding.js';

/** What a walker is trying to do: stand, walk one way, or follow a path. */
export type Intent =
  | { kind: 'idle' }
  | { kind: 'direction'; dx: number; dy: number }
  | { kind: 'path'; steps: Point[] };

/** Anything that walks the grid at its own speed. */
export interface Walker extends Point {
  /** Tiles per second. */
  speed: number;
  intent: Intent;
  /**
   * When (ms) the next step is earned, one step time after the last was earned: no step is
   * taken before it is earned, so no walk is ever faster than the speed.
   */
  nextStepAt: number;
  /**
   * Standing (no intent, or pushing against a wall) since its last step: the next step starts a
   * walk and is taken as soon as it is earned instead of on the beat (`STEP_BEAT_MS`).
   */
  fromRest: boolean;
}

/**
 * The movement beat: a walker on the move takes each step at the first tick at or after both the
 * time it earned it (`nextStepAt`) and a multiple of this many ms of the room clock. Why: every
 * tick on which something in sight moves costs each viewer a frame, one socket write of several
 * microseconds of the server's CPU, and walkers stepping at phases of their own fill most ticks
 * (100 players over an open 96×96 area: 13.9 frames per viewer per second at 20 Hz); on a beat of
 * two ticks everyone in sight steps on the same ticks (9.1). Nothing is taken from anyone's
 * speed: the steps stay earned at the walker's own pace (`nextStepAt` advances by exact step
 * times, not from the beat), none is taken before it is earned, and none later than one beat
 * after. A walk from rest starts at once (`fromRest`), so a key press is answered at the next
 * tick as before; the walk falls onto the beat from its second step.
 *
 * Each area instance keeps the beat at an offset of its own (`beatOffsetMs`, 0 up to the beat):
 * the ticks on the beat carry most of the frames, and the rooms of one process would otherwise
 * all have theirs in the same half of each beat. A room puts its beat on the turns that open its
 * cycles (`TickScheduler`, `beatOffsetFor`), which the scheduler spreads over the beat.
 */
export const STEP_BEAT_MS = 100;

/**
 * The beat offset that puts an instance's beat on its tick at `tickAt` (room clock) and every
 * `STEP_BEAT_MS` after: the beat falls half a tick before those ticks, so that the tick at or
 * after it is theirs even when a tick runs a little early or late.
 */
export function beatOffsetFor(tickAt: number, tickMs: number): number {
  const offset = (tickAt - tickMs / 2) % STEP_BEAT_MS;
  return offset < 0 ? offset + STEP_BEAT_MS : offset;
}

/** When a walker's next step is due: as soon as earned from rest, else on the beat. */
export function stepDueAt(walker: Walker, beatOffsetMs: number): number {
  if (walker.fromRest) return walker.nextStepAt;
  return Math.ceil((walker.nextStepAt - beatOffsetMs) / STEP_BEAT_MS) * STEP_BEAT_MS + beatOffsetMs;
}

/** The intent for `{dx, dy}`; `{0, 0}` stops. */
export function directionIntent(dx: number, dy: number): Intent {
  return dx === 0 && dy === 0 ? { kind: 'idle' } : { kind: 'direction', dx, dy };
}

/** The intent to walk to `to`, or null when no path within `maxDistance` reaches it. */
export function pathIntent(area: Area, from: Point, to: Point, maxDistance: number): Intent | null {
  const steps = findPath(area, from, to, maxDistance);
  if (steps === null) return null;
  return steps.length === 0 ? { kind: 'idle' } : { kind: 'path', steps };
}

/**
 * Advances one walker to `now` (called every tick), in an area whose beat falls at
 * `beatOffsetMs`: the steps its speed has earned since the last one that are due (`stepDueAt`:
 * none or one per tick, two after a late tick), each checked against the walls. Returns whether
 * it moved.
 * A blocked direction keeps its intent (the player is pushing against a wall); a path whose
 * next tile is blocked is dropped.
 */
export function advanceWalker(walker: Walker, area: Area, now: number, beatOffsetMs: number): boolean {
  const stepMs = 1000 / walker.speed;
  if (walker.intent.kind === 'idle') {
    walker.nextStepAt = Math.max(walker.nextStepAt, now);
    walker.fromRest = true;
    return false;
  }
  // A late tick makes up at most one step, so the walker keeps its speed without bursts; idle
  // time is not banked, because standing still keeps `nextStepAt` at the present (above).
  walker.nextStepAt = Math.max(walker.nextStepAt, now - stepMs);
  let moved = false;
  while (stepDueAt(walker, beatOffsetMs) <= now && walker.intent.kind !== 'idle') {
    const intent = walker.intent;
    let dx: number;
    let dy: number;
    if (intent.kind === 'direction') {
      ({ dx, dy } = intent);
    } else {
      const next = intent.steps[0]!;
      dx = next.x - walker.x;
      dy = next.y - walker.y;
    }
    if (!canStep(area, walker, dx, dy)) {
      if (intent.kind === 'path') walker.intent = { kind: 'idle' };
      // Pushing against a wall earns no steps for later.
      walker.nextStepAt = Math.max(walker.nextStepAt, now);
      walker.fromRest = true;
      break;
    }
    walker.x += dx;
    walker.y += dy;
    // A diagonal step covers √2 tiles of ground and takes as much longer.
    walker.nextStepAt += dx !== 0 && dy !== 0 ? stepMs * Math.SQRT2 : stepMs;
    walker.fromRest = false;
    moved = true;
    if (intent.kind === 'path') {
      intent.steps.shift();
      if (intent.steps.length === 0) walker.intent = { kind: 'idle' };
    }
  }
  return moved;
}
