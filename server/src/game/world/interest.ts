import type { Point } from './pathfinding.js';

/**
 * A uniform grid of buckets over an area, so that "who is near this tile" looks at a few
 * buckets instead of every entity.
 */
export class SpatialGrid {
  private readonly buckets = new Map<number, Set<string>>();
  private readonly bucketOf = new Map<string, number>();

  constructor(private readonly cellSize: number) {}

  private key(x: number, y: number): number {
    return Math.floor(x / this.cellSize) * 65_536 + Math.floor(y / this.cellSize);
  }

  /** Puts or moves an entity. */
  set(id: string, at: Point): void {
    const key = this.key(at.x, at.y);
    const previous = this.bucketOf.get(id);
    if (previous === key) return;
    if (previous !== undefined) this.buckets.get(previous)?.delete(id);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new Set()));
    bucket.add(id);
    this.bucketOf.set(id, key);
  }

  remove(id: string): void {
    const key = this.bucketOf.get(id);
    if (key === undefined) return;
    this.buckets.get(key)?.delete(id);
    this.bucketOf.delete(id);
  }

  /** Visits the ids in the buckets that overlap the square of `radius` around `at` (a superset of the circle). */
  forEachNear(at: Point, radius: number, visit: (id: string) => void): void {
    const x0 = Math.floor((at.x - radius) / this.cellSize);
    const x1 = Math.floor((at.x + radius) / this.cellSize);
    const y0 = Math.floor((at.y - radius) / this.cellSize);
    const y1 = Math.floor((at.y + radius) / this.cellSize);
    for (let cx = x0; cx <= x1; cx += 1) {
      for (let cy = y0; cy <= y1; cy += 1) {
        this.buckets.get(cx * 65_536 + cy)?.forEach(visit);
      }
    }
  }
}

/** How far a viewer sees: entities appear within `enter` tiles and vanish beyond `leave`. */
export interface InterestRadii {
  enter: number;
  leave: number;
}

function distanceSquared(a: Point, b: Point): number {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
}

/**
 * Updates what one viewer sees. An entity enters view within `enter` tiles and leaves it only
 * beyond `leave` (larger), so one walking along the edge does not flicker in and out.
 * `visible` is changed in place; the viewer never lists itself.
 */
export function updateInterest(
  viewerId: string,
  viewer: Point,
  visible: Set<string>,
  grid: SpatialGrid,
  positionOf: (id: string) => Point | undefined,
  radii: InterestRadii,
): { entered: string[]; left: string[] } {
  const entered: string[] = [];
  const left: string[] = [];
  const enterSquared = radii.enter ** 2;
  const leaveSquared = radii.leave ** 2;
  for (const id of visible) {
    const at = positionOf(id);
    if (!at || distanceSquared(viewer, at) > leaveSquared) {
      visible.delete(id);
      left.push(id);
    }
  }
  grid.forEachNear(viewer, radii.enter, (id) => {
    if (id === viewerId || visible.has(id)) return;
    const at = positionOf(id);
    if (at && distanceSquared(viewer, at) <= enterSquared) {
      visible.add(id);
      entered.push(id);
    }
  });
  return { entered, left };
}
