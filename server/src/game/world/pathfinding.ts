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
  // Flat typed arrays over the area instead of maps and point objects: a search touches
  // thousands of tiles and runs inside the tick.
  const { width } = grid;
  const cameFrom = new Int32Array(width * grid.height).fill(-1);
  const queue = new Int32Array(width * grid.height);
  const start = from.y * width + from.x;
  const goal = to.y * width + to.x;
  cameFrom[start] = start;
  queue[0] = start;
  let tail = 1;
  for (let head = 0; head < tail; head += 1) {
    const current = queue[head]!;
    const cx = current % width;
    const cy = (current - cx) / width;
    for (const [dx, dy] of NEIGHBOURS) {
      const nx = cx + dx;
      const ny = cy + dy;
      if (Math.abs(nx - from.x) > maxDistance || Math.abs(ny - from.y) > maxDistance) continue;
      const next = ny * width + nx;
      if (nx < 0 || ny < 0 || nx >= width || ny >= grid.height || cameFrom[next] !== -1) continue;
      if (!canStep(grid, { x: cx, y: cy }, dx, dy)) continue;
      cameFrom[next] = current;
      if (next === goal) return unwind(cameFrom, start, goal, width);
      queue[tail++] = next;
    }
  }
  return null;
}

function unwind(cameFrom: Int32Array, start: number, goal: number, width: number): Point[] {
  const steps: Point[] = [];
  for (let at = goal; at !== start; at = cameFrom[at]!) steps.push({ x: at % width, y: Math.floor(at / width) });
  return steps.reverse();
}
