import { isWalkable, type Area } from '@mmo/shared';

export interface Point {
  x: number;
  y: number;
}

type Grid = Pick<Area, 'tiles' | 'width' | 'height'>;

/** The 8 neighbours, orthogonal ones first. */
const DX = Int8Array.of(1, -1, 0, 0, 1, 1, -1, -1);
const DY = Int8Array.of(0, 0, 1, -1, 1, -1, 1, -1);

/**
 * What a search needs to know of an area, built once per tiles array and kept as long as the
 * area lives (areas never change their tiles in place): `walkable` has one byte per tile (1
 * walkable), since a search asks thousands of times and `isWalkable` looks a character up in a
 * set each time; `region` numbers the walkable tiles connected by steps (0 for walls), so that a
 * target in another region than its walker is refused without flooding the whole window.
 */
interface AreaMaps {
  walkable: Uint8Array;
  region: Int32Array;
}

const maps = new WeakMap<object, AreaMaps>();

function areaMaps(grid: Grid): AreaMaps {
  const known = maps.get(grid.tiles);
  if (known !== undefined && known.walkable.length === grid.width * grid.height) return known;
  const { width, height } = grid;
  const walkable = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) walkable[y * width + x] = isWalkable(grid, x, y) ? 1 : 0;
  // Steps are symmetric (a diagonal needs the same two side tiles both ways), so reaching is
  // an equivalence and one flood per region labels it.
  const region = new Int32Array(width * height);
  const queue = new Int32Array(width * height);
  let regions = 0;
  for (let seed = 0; seed < width * height; seed += 1) {
    if (walkable[seed] === 0 || region[seed] !== 0) continue;
    regions += 1;
    region[seed] = regions;
    queue[0] = seed;
    let tail = 1;
    for (let head = 0; head < tail; head += 1) {
      const current = queue[head]!;
      const cx = current % width;
      const cy = (current - cx) / width;
      for (let k = 0; k < 8; k += 1) {
        const nx = cx + DX[k]!;
        const ny = cy + DY[k]!;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const next = ny * width + nx;
        if (walkable[next] === 0 || region[next] !== 0) continue;
        if (nx !== cx && ny !== cy && (walkable[cy * width + nx] === 0 || walkable[ny * width + cx] === 0)) continue;
        region[next] = regions;
        queue[tail++] = next;
      }
    }
  }
  const built = { walkable, region };
  maps.set(grid.tiles, built);
  return built;
}

/**
 * Whether one step from `from` by (dx, dy) lands on a walkable tile. A diagonal step also
 * needs both tiles it passes between to be walkable, so nobody slips through a wall's corner.
 */
export function canStep(grid: Grid, from: Point, dx: number, dy: number): boolean {
  const { width, height } = grid;
  const x = from.x + dx;
  const y = from.y + dy;
  if (x < 0 || y < 0 || x >= width || y >= height) return false;
  const mask = areaMaps(grid).walkable;
  if (mask[y * width + x] === 0) return false;
  // Both tiles beside a diagonal step lie inside the area when its ends do.
  if (dx !== 0 && dy !== 0) return mask[from.y * width + x] === 1 && mask[y * width + from.x] === 1;
  return true;
}

/*
 * A* over the 8 neighbours. Every step counts as one (the length a breadth-first search would
 * find, which is the rule), and among the walks of fewest steps it takes the one with fewest
 * diagonals, the quickest to walk since a diagonal takes √2 as long: a step costs STEP, plus 1
 * when diagonal. The heuristic (STEP × the larger axis distance + the smaller one) never
 * overestimates and drops by at most a step's cost per step, so the first time the goal comes
 * out of the heap its walk is the best. Ties on the estimate go to the deeper node, which runs
 * straight at the goal on open ground instead of widening like a flood.
 */
const STEP = 1 << 20;

/**
 * Scratch memory of the search, sized to the largest window asked for and reused: a tile's
 * entries count only when its stamp is the search's, so nothing is cleared between searches.
 */
const scratch = {
  stamp: 0,
  /** Stamp of the search that reached the tile (g and cameFrom are valid). */
  seen: new Uint32Array(0),
  /** Stamp of the search that closed the tile (its best walk is known). */
  closed: new Uint32Array(0),
  g: new Float64Array(0),
  f: new Float64Array(0),
  cameFrom: new Int32Array(0),
  /** A binary heap of the open tiles, and where each open tile sits in it. */
  heap: new Int32Array(0),
  slot: new Int32Array(0),
};

function reserve(cells: number): void {
  if (scratch.seen.length >= cells) return;
  scratch.seen = new Uint32Array(cells);
  scratch.closed = new Uint32Array(cells);
  scratch.g = new Float64Array(cells);
  scratch.f = new Float64Array(cells);
  scratch.cameFrom = new Int32Array(cells);
  scratch.heap = new Int32Array(cells);
  scratch.slot = new Int32Array(cells);
  scratch.stamp = 0;
}

/** Whether heap entry `a` comes out before `b`: lower estimate, then deeper. */
function before(f: Float64Array, g: Float64Array, a: number, b: number): boolean {
  const fa = f[a]!;
  const fb = f[b]!;
  return fa < fb || (fa === fb && g[a]! > g[b]!);
}

/**
 * The shortest walk from `from` to `to` (fewest steps over the 8 neighbours, then fewest
 * diagonals, at most `maxDistance` tiles away from `from` along each axis), as the steps after
 * `from`; null when `to` cannot be reached. The search never leaves that window, so it expands
 * at most (2 × maxDistance + 1)² tiles, and its memory is reused between calls. Not reentrant
 * (one search at a time, as the tick runs).
 */
export function findPath(grid: Grid, from: Point, to: Point, maxDistance: number): Point[] | null {
  if (Math.abs(to.x - from.x) > maxDistance || Math.abs(to.y - from.y) > maxDistance) return null;
  if (!isWalkable(grid, to.x, to.y)) return null;
  if (from.x === to.x && from.y === to.y) return [];
  const { width: gridWidth } = grid;
  const { walkable: mask, region } = areaMaps(grid);
  // The window: the tiles within maxDistance of `from` that lie inside the area.
  const x0 = Math.max(0, from.x - maxDistance);
  const y0 = Math.max(0, from.y - maxDistance);
  const x1 = Math.min(gridWidth - 1, from.x + maxDistance);
  const y1 = Math.min(grid.height - 1, from.y + maxDistance);
  // A start outside the area has no neighbour in it (as before: nothing is walkable there).
  if (x0 > x1 || y0 > y1 || from.x < 0 || from.y < 0 || from.x >= gridWidth || from.y >= grid.height) return null;
  // Another region cannot be reached at all (a walker standing on a wall tile has no region).
  const fromRegion = region[from.y * gridWidth + from.x]!;
  if (fromRegion !== 0 && fromRegion !== region[to.y * gridWidth + to.x]) return null;
  const w = x1 - x0 + 1;
  reserve(w * (y1 - y0 + 1));
  scratch.stamp = (scratch.stamp + 1) >>> 0;
  if (scratch.stamp === 0) {
    scratch.seen.fill(0);
    scratch.closed.fill(0);
    scratch.stamp = 1;
  }
  const { seen, closed, g, f, cameFrom, heap, slot, stamp } = scratch;
  const h = y1 - y0 + 1;
  const tx = to.x - x0;
  const ty = to.y - y0;
  const start = (from.y - y0) * w + (from.x - x0);
  const goal = ty * w + tx;
  seen[start] = stamp;
  g[start] = 0;
  f[start] = estimate(from.x - x0, from.y - y0, tx, ty);
  cameFrom[start] = start;
  heap[0] = start;
  slot[start] = 0;
  let size = 1;
  while (size > 0) {
    const current: number = heap[0]!;
    size -= 1;
    if (size > 0) siftDown(heap, slot, f, g, 0, heap[size]!, size);
    closed[current] = stamp;
    if (current === goal) return unwind(cameFrom, start, goal, w, x0, y0);
    const lx = current % w;
    const ly: number = (current - lx) / w;
    const cx = x0 + lx;
    const cy = y0 + ly;
    const gCurrent = g[current]!;
    for (let k = 0; k < 8; k += 1) {
      const dx = DX[k]!;
      const dy = DY[k]!;
      const nlx = lx + dx;
      const nly: number = ly + dy;
      if (nlx < 0 || nly < 0 || nlx >= w || nly >= h) continue;
      const next = nly * w + nlx;
      if (closed[next] === stamp) continue;
      const nx = cx + dx;
      const ny = cy + dy;
      if (mask[ny * gridWidth + nx] === 0) continue;
      const diagonal = dx !== 0 && dy !== 0;
      if (diagonal && (mask[cy * gridWidth + nx] === 0 || mask[ny * gridWidth + cx] === 0)) continue;
      const gNext = gCurrent + (diagonal ? STEP + 1 : STEP);
      let at: number;
      if (seen[next] === stamp) {
        if (gNext >= g[next]!) continue;
        // Reached more cheaply while open: its key only drops, so it can only rise in the heap.
        at = slot[next]!;
      } else {
        seen[next] = stamp;
        at = size;
        size += 1;
      }
      g[next] = gNext;
      f[next] = gNext + estimate(nlx, nly, tx, ty);
      cameFrom[next] = current;
      siftUp(heap, slot, f, g, at, next);
    }
  }
  return null;
}

function siftUp(heap: Int32Array, slot: Int32Array, f: Float64Array, g: Float64Array, at: number, node: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    const above = heap[parent]!;
    if (!before(f, g, node, above)) break;
    heap[at] = above;
    slot[above] = at;
    at = parent;
  }
  heap[at] = node;
  slot[node] = at;
}

function siftDown(heap: Int32Array, slot: Int32Array, f: Float64Array, g: Float64Array, at: number, node: number, size: number): void {
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && before(f, g, heap[child + 1]!, heap[child]!)) child += 1;
    const below = heap[child]!;
    if (!before(f, g, below, node)) break;
    heap[at] = below;
    slot[below] = at;
    at = child;
  }
  heap[at] = node;
  slot[node] = at;
}

function estimate(x: number, y: number, tx: number, ty: number): number {
  const ax = Math.abs(tx - x);
  const ay = Math.abs(ty - y);
  return ax > ay ? ax * STEP + ay : ay * STEP + ax;
}

function unwind(cameFrom: Int32Array, start: number, goal: number, w: number, x0: number, y0: number): Point[] {
  let length = 0;
  for (let at = goal; at !== start; at = cameFrom[at]!) length += 1;
  const steps = new Array<Point>(length);
  for (let at = goal, i = length - 1; at !== start; at = cameFrom[at]!, i -= 1) steps[i] = { x: x0 + (at % w), y: y0 + Math.floor(at / w) };
  return steps;
}
