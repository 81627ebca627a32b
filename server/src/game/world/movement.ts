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
  /** Earliest time (ms) of the next step; steps never come faster than the speed allows. */
  nextStepAt: number;
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
 * Advances one walker to `now` (called every tick): the steps its speed has earned since the
 * last one (none or one per tick, two after a late tick), each checked against the walls. Returns whether it moved.
 * A blocked direction keeps its intent (the player is pushing against a wall); a path whose
 * next tile is blocked is dropped.
 */
export function advanceWalker(walker: Walker, area: Area, now: number): boolean {
  const stepMs = 1000 / walker.speed;
  if (walker.intent.kind === 'idle') {
    walker.nextStepAt = Math.max(walker.nextStepAt, now);
    return false;
  }
  // A late tick makes up at most one step, so the walker keeps its speed without bursts; idle
  // time is not banked, because standing still keeps `nextStepAt` at the present (above).
  walker.nextStepAt = Math.max(walker.nextStepAt, now - stepMs);
  let moved = false;
  while (walker.nextStepAt <= now && walker.intent.kind !== 'idle') {
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
      break;
    }
    walker.x += dx;
    walker.y += dy;
    // A diagonal step covers √2 tiles of ground and takes as much longer.
    walker.nextStepAt += dx !== 0 && dy !== 0 ? stepMs * Math.SQRT2 : stepMs;
    moved = true;
    if (intent.kind === 'path') {
      intent.steps.shift();
      if (intent.steps.length === 0) walker.intent = { kind: 'idle' };
    }
  }
  return moved;
}
