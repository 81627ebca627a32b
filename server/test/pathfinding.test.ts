import assert from 'node:assert/strict';
import { isWalkable, loadWorld, type Area } from '@mmo/shared';
import { findPathNear } from '../src/game/world/local-path.js';
import { findPath, type Point } from '../src/game/world/pathfinding.js';
import { createRng, nextInt, type Rng } from '../src/game/world/rng.js';

type Grid = Pick<Area, 'tiles' | 'width' | 'height'>;

/*
 * The breadth-first search `findPath` was before it became A* on typed arrays, kept here word
 * for word (but for the typed-array reuse) as the reference: the new search must find a walk
 * exactly when this one does, of the same number of steps.
 */
const NEIGHBOURS: ReadonlyArray<readonly [number, number]> = [
  [1, 0], [-1, 0], [0, 1], [0, -1],
  [1, 1], [1, -1], [-1, 1], [-1, -1],
];

function referenceCanStep(grid: Grid, from: Point, dx: number, dy: number): boolean {
  if (!isWalkable(grid, from.x + dx, from.y + dy)) return false;
  if (dx !== 0 && dy !== 0) return isWalkable(grid, from.x + dx, from.y) && isWalkable(grid, from.x, from.y + dy);
  return true;
}

function referencePath(grid: Grid, from: Point, to: Point, maxDistance: number): Point[] | null {
  if (Math.abs(to.x - from.x) > maxDistance || Math.abs(to.y - from.y) > maxDistance) return null;
  if (!isWalkable(grid, to.x, to.y)) return null;
  if (from.x === to.x && from.y === to.y) return [];
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
      if (!referenceCanStep(grid, { x: cx, y: cy }, dx, dy)) continue;
      cameFrom[next] = current;
      if (next === goal) {
        const steps: Point[] = [];
        for (let at = goal; at !== start; at = cameFrom[at]!) steps.push({ x: at % width, y: Math.floor(at / width) });
        return steps.reverse();
      }
      queue[tail++] = next;
    }
  }
  return null;
}

const diagonals = (from: Point, steps: Point[]) =>
  steps.filter((step, i) => { const prev = i === 0 ? from : steps[i - 1]!; return step.x !== prev.x && step.y !== prev.y; }).length;

/** Checks `path` against the reference answer and the walking rules. */
function assertSameAsReference(grid: Grid, from: Point, to: Point, maxDistance: number, path: Point[] | null, label: string): void {
  const expected = referencePath(grid, from, to, maxDistance);
  if (expected === null) {
    assert.equal(path, null, `${label}: no walk exists, yet one was found`);
    return;
  }
  assert.ok(path, `${label}: a walk of ${expected.length} steps exists, none was found`);
  assert.equal(path.length, expected.length, `${label}: length`);
  let at = from;
  for (const step of path) {
    const dx = step.x - at.x;
    const dy = step.y - at.y;
    assert.ok(Math.abs(dx) <= 1 && Math.abs(dy) <= 1 && (dx !== 0 || dy !== 0), `${label}: ${at.x},${at.y} → ${step.x},${step.y} is not one step`);
    assert.ok(referenceCanStep(grid, at, dx, dy), `${label}: ${at.x},${at.y} → ${step.x},${step.y} crosses a wall`);
    assert.ok(Math.abs(step.x - from.x) <= maxDistance && Math.abs(step.y - from.y) <= maxDistance, `${label}: leaves the window`);
    at = step;
  }
  assert.deepEqual(at, to, `${label}: ends at the target`);
  // Among walks of fewest steps it takes the quickest (fewest √2-long diagonals).
  assert.ok(diagonals(from, path) <= diagonals(from, expected), `${label}: more diagonals than the reference walk`);
}

/** A random area: walls around, then walls scattered at `density` and a few wall segments. */
function randomArea(rng: Rng, width: number, height: number, density: number): Grid {
  const cells = Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => (x === 0 || y === 0 || x === width - 1 || y === height - 1 || nextInt(rng, 0, 999) < density * 1000 ? '#' : '.') as string),
  );
  for (let i = 0; i < (width * height) / 60; i += 1) {
    const horizontal = nextInt(rng, 0, 1) === 0;
    let x = nextInt(rng, 0, width - 1);
    let y = nextInt(rng, 0, height - 1);
    for (let n = nextInt(rng, 2, 12); n > 0 && x < width && y < height; n -= 1) {
      cells[y]![x] = nextInt(rng, 0, 3) === 0 ? '~' : '#';
      if (horizontal) x += 1;
      else y += 1;
    }
  }
  return { tiles: cells.map((row) => row.join('')), width, height };
}

describe('pathfinding (A* against the breadth-first reference)', () => {
  it('finds a walk exactly when the reference does, as short, on random maps and endpoints', () => {
    const rng = createRng(2024);
    let found = 0;
    for (let map = 0; map < 60; map += 1) {
      const grid = randomArea(rng, nextInt(rng, 3, 70), nextInt(rng, 3, 70), [0, 0.1, 0.25, 0.4][map % 4]!);
      for (let i = 0; i < 60; i += 1) {
        // Walkers stand on a tile of the area (a wall tile included); the target may be anywhere.
        // (The reference wraps a start outside the area round to the next row: not compared.)
        const from = { x: nextInt(rng, 0, grid.width - 1), y: nextInt(rng, 0, grid.height - 1) };
        const to = i % 3 === 0
          ? { x: from.x + nextInt(rng, -4, 4), y: from.y + nextInt(rng, -4, 4) }
          : { x: nextInt(rng, -1, grid.width), y: nextInt(rng, -1, grid.height) };
        const reach = nextInt(rng, 0, 3) === 0 ? nextInt(rng, 1, 8) : nextInt(rng, 1, 80);
        const path = findPath(grid, from, to, reach);
        assertSameAsReference(grid, from, to, reach, path, `map ${map} ${from.x},${from.y} → ${to.x},${to.y} within ${reach}`);
        if (path && path.length > 0) found += 1;
      }
    }
    // The maps are not so walled that the test only ever compares nulls.
    assert.ok(found > 1000, `only ${found} walks found`);
  });

  it('agrees with the reference on the real areas, for players and for monsters', () => {
    const rng = createRng(99);
    for (const area of loadWorld().values()) {
      for (let i = 0; i < 300; i += 1) {
        const from = { x: nextInt(rng, 0, area.width - 1), y: nextInt(rng, 0, area.height - 1) };
        const to = { x: nextInt(rng, 0, area.width - 1), y: nextInt(rng, 0, area.height - 1) };
        const reach = nextInt(rng, 1, 64);
        const label = `${area.id} ${from.x},${from.y} → ${to.x},${to.y} within ${reach}`;
        assertSameAsReference(area, from, to, reach, findPath(area, from, to, reach), label);
        assert.deepEqual(findPathNear(area, from, to, reach), findPath(area, from, to, reach), label);
      }
    }
  });

  it('reuses its memory across areas of different sizes without stale visits', () => {
    const rng = createRng(7);
    const big = randomArea(rng, 120, 120, 0.15);
    const small = randomArea(rng, 9, 9, 0);
    // A search in the big area leaves marks everywhere; the small one must not see them.
    for (let i = 0; i < 200; i += 1) {
      const grid = i % 2 === 0 ? big : small;
      const from = { x: nextInt(rng, 1, grid.width - 2), y: nextInt(rng, 1, grid.height - 2) };
      const to = { x: nextInt(rng, 1, grid.width - 2), y: nextInt(rng, 1, grid.height - 2) };
      assertSameAsReference(grid, from, to, 200, findPath(grid, from, to, 200), `search ${i}`);
    }
  });

  it('refuses a walled-off target, and still walks out from a wall tile', () => {
    const grid: Grid = { tiles: ['#########', '#.......#', '#...###.#', '#...#.#.#', '#...###.#', '#########'], width: 9, height: 6 };
    assert.equal(findPath(grid, { x: 1, y: 1 }, { x: 5, y: 3 }, 20), null);
    assert.equal(referencePath(grid, { x: 1, y: 1 }, { x: 5, y: 3 }, 20), null);
    // Standing on a wall (a tile made a wall under a walker) is no region: the search still runs.
    assertSameAsReference(grid, { x: 4, y: 3 }, { x: 1, y: 4 }, 20, findPath(grid, { x: 4, y: 3 }, { x: 1, y: 4 }, 20), 'from a wall');
    assert.equal(findPath(grid, { x: 4, y: 3 }, { x: 1, y: 4 }, 20)?.length, 3);
  });

  it('walks straight on open ground rather than zigzagging diagonally', () => {
    const open = randomArea(createRng(1), 12, 5, 0);
    assert.deepEqual(findPath(open, { x: 1, y: 2 }, { x: 5, y: 2 }, 10), [{ x: 2, y: 2 }, { x: 3, y: 2 }, { x: 4, y: 2 }, { x: 5, y: 2 }]);
    const path = findPath(open, { x: 1, y: 1 }, { x: 7, y: 3 }, 10)!;
    assert.equal(path.length, 6);
    assert.equal(diagonals({ x: 1, y: 1 }, path), 2, 'two diagonals are needed, no more');
  });
});
