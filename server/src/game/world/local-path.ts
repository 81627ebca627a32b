import { isWalkable } from '@mmo/shared';
import { canStep, type Point } from './pathfinding.js';

type Grid = Parameters<typeof canStep>[0];

const NEIGHBOURS: ReadonlyArray<readonly [number, number]> = [
  [1, 0], [-1, 0], [0, 1], [0, -1],
  [1, 1], [1, -1], [-1, 1], [-1, -1],
];

/**
 * Scratch memory of `findPathNear`, sized to the largest window asked for and reused: a visit
 * is current when its stamp equals the search's, so nothing is cleared between searches.
 */
const scratch = { stamp: 0, seen: new Uint32Array(0), cameFrom: new Int32Array(0), queue: new Int32Array(0) };

/**
 * The same answer as `findPath` (same steps, same neighbour order), for the many short searches
 * of monsters: its memory is the window of `maxDistance` tiles around `from`, reused between
 * calls, instead of two arrays the size of the whole area allocated and filled on every call.
 * Not reentrant (one search at a time, as the tick runs).
 */
export function findPathNear(grid: Grid, from: Point, to: Point, maxDistance: number): Point[] | null {
  if (Math.abs(to.x - from.x) > maxDistance || Math.abs(to.y - from.y) > maxDistance) return null;
  if (!isWalkable(grid, to.x, to.y)) return null;
  if (from.x === to.x && from.y === to.y) return [];
  const side = 2 * maxDistance + 1;
  const cells = side * side;
  if (scratch.seen.length < cells) {
    scratch.seen = new Uint32Array(cells);
    scratch.cameFrom = new Int32Array(cells);
    scratch.queue = new Int32Array(cells);
    scratch.stamp = 0;
  }
  scratch.stamp = (scratch.stamp + 1) >>> 0;
  if (scratch.stamp === 0) {
    scratch.seen.fill(0);
    scratch.stamp = 1;
  }
  const { seen, cameFrom, queue, stamp } = scratch;
  const x0 = from.x - maxDistance;
  const y0 = from.y - maxDistance;
  const start = maxDistance * side + maxDistance;
  const goal = (to.y - y0) * side + (to.x - x0);
  seen[start] = stamp;
  cameFrom[start] = start;
  queue[0] = start;
  let tail = 1;
  for (let head = 0; head < tail; head += 1) {
    const current = queue[head]!;
    const lx = current % side;
    const ly = (current - lx) / side;
    const cx = x0 + lx;
    const cy = y0 + ly;
    for (const [dx, dy] of NEIGHBOURS) {
      const nlx = lx + dx;
      const nly = ly + dy;
      if (nlx < 0 || nly < 0 || nlx >= side || nly >= side) continue;
      const next = nly * side + nlx;
      if (seen[next] === stamp) continue;
      if (!canStep(grid, { x: cx, y: cy }, dx, dy)) continue;
      seen[next] = stamp;
      cameFrom[next] = current;
      if (next === goal) return unwind(cameFrom, start, goal, side, x0, y0);
      queue[tail++] = next;
    }
  }
  return null;
}

function unwind(cameFrom: Int32Array, start: number, goal: number, side: number, x0: number, y0: number): Point[] {
  const steps: Point[] = [];
  for (let at = goal; at !== start; at = cameFrom[at]!) steps.push({ x: x0 + (at % side), y: y0 + Math.floor(at / side) });
  return steps.reverse();
}
