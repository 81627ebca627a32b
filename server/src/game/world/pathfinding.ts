import { isWalkable, type Area } from '@mmo/shared';

export interface Point {
  x: number;
  y: number;
}

type Grid = Pick<Area, 'tiles' | 'width' | 'height'>;

const NEIGHBOURS: ReadonlyArray<readonly [number, number]> = [
  [1, 0], [-1, 0], [0, 1], [0, -1],
  [1, 1], [1, -1], [-1, 1], [-1, -1],
];

/**
 * Whether one step from `from` by (dx, dy) lands on a walkable tile. A diagonal step also
 * needs both tiles it passes between to be walkable, so nobody slips through a wall's corner.
 */
export function canStep(grid: Grid, from: Point, dx: number, dy: number): boolean {
  if (!isWalkable(grid, from.x + dx, from.y + dy)) return false;
  if (dx !== 0 && dy !== 0) return isWalkable(grid, from.x + dx, from.y) && isWalkable(grid, from.x, from.y + dy);
  return true;
}

/**
 * The shortest walk from `from` to `to` (breadth-first over the 8 neighbours, at most
 * `maxDistance` tiles away along each axis), as the steps after `from`; null when `to` cannot
 * be reached. Areas are small grids, so a search costs well under a millisecond.
 */
export function findPath(grid: Grid, from: Point, to: Point, maxDistance: number): Point[] | null {
  if (Math.abs(to.x - from.x) > maxDistance || Math.abs(to.y - from.y) > maxDistance) return null;
  if (!isWalkable(grid, to.x, to.y)) return null;
  if (from.x === to.x && from.y === to.y) return [];
  const index = (p: Point) => p.y * grid.width + p.x;
  const cameFrom = new Map<number, number>([[index(from), -1]]);
  const queue: Point[] = [from];
  for (let head = 0; head < queue.length; head += 1) {
    const current = queue[head]!;
    for (const [dx, dy] of NEIGHBOURS) {
      const next = { x: current.x + dx, y: current.y + dy };
      if (Math.abs(next.x - from.x) > maxDistance || Math.abs(next.y - from.y) > maxDistance) continue;
      if (cameFrom.has(index(next)) || !canStep(grid, current, dx, dy)) continue;
      cameFrom.set(index(next), index(current));
      if (next.x === to.x && next.y === to.y) return unwind(cameFrom, index(next), grid.width);
      queue.push(next);
    }
  }
  return null;
}

function unwind(cameFrom: Map<number, number>, end: number, width: number): Point[] {
  const steps: Point[] = [];
  for (let at = end; cameFrom.get(at) !== -1; at = cameFrom.get(at)!) steps.push({ x: at % width, y: Math.floor(at / width) });
  return steps.reverse();
}
