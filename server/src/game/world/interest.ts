import { Buckets } from './buckets.js';
import type { Point } from './pathfinding.js';

/**
 * A uniform grid of buckets over an area, so that "who is near this tile" looks at a few
 * buckets instead of every entity (`Buckets`: a list per bucket and a slot per entity, so that
 * walking allocates nothing).
 */
export class SpatialGrid {
  private readonly buckets = new Buckets<string>();

  constructor(private readonly cellSize: number) {}

  private key(x: number, y: number): number {
    return Math.floor(x / this.cellSize) * 65_536 + Math.floor(y / this.cellSize);
  }

  /** Puts or moves an entity. */
  set(id: string, at: Point): void {
    this.buckets.put(id, this.key(at.x, at.y));
  }

  remove(id: string): void {
    this.buckets.remove(id);
  }

  /** Visits the ids in the buckets that overlap the square of `radius` around `at` (a superset of the circle). */
  forEachNear(at: Point, radius: number, visit: (id: string) => void): void {
    const x0 = Math.floor((at.x - radius) / this.cellSize);
    const x1 = Math.floor((at.x + radius) / this.cellSize);
    const y0 = Math.floor((at.y - radius) / this.cellSize);
    const y1 = Math.floor((at.y + radius) / this.cellSize);
    for (let cx = x0; cx <= x1; cx += 1) {
      for (let cy = y0; cy <= y1; cy += 1) {
        const bucket = this.buckets.in(cx * 65_536 + cy);
        for (let i = 0; i < bucket.length; i += 1) visit(bucket.at(i));
      }
    }
  }
}

/**
 * Interest management by cells: the area is cut into square cells of `size` tiles, and a viewer
 * sees whatever stands in its own cell and the eight around it, so between one and two cells in
 * every direction. Everyone in a cell sees the same things, which lets one view serve them all;
 * and a viewer's sight changes only when it crosses into another cell, never while it walks
 * inside one (no flicker at an edge: crossing back and forth costs one change each way).
 */
export interface CellLayout {
  readonly size: number;
  readonly columns: number;
  readonly rows: number;
}

/** Cells of `size` tiles over a `width` × `height` area; `size` null: one cell, everyone sees everything. */
export function cellLayout(width: number, height: number, size: number | null): CellLayout {
  const side = size ?? Math.max(width, height);
  return { size: side, columns: Math.max(1, Math.ceil(width / side)), rows: Math.max(1, Math.ceil(height / side)) };
}

/** The index of the cell holding tile (x, y); tiles outside the area count in the nearest cell. */
export function cellOf(layout: CellLayout, x: number, y: number): number {
  const column = Math.min(layout.columns - 1, Math.max(0, Math.floor(x / layout.size)));
  const row = Math.min(layout.rows - 1, Math.max(0, Math.floor(y / layout.size)));
  return row * layout.columns + column;
}

/** Calls `visit` with the cell and each of its neighbours inside the area (at most nine). */
export function forEachCellAround(layout: CellLayout, cell: number, visit: (cell: number) => void): void {
  const column = cell % layout.columns;
  const row = (cell - column) / layout.columns;
  for (let r = Math.max(0, row - 1); r <= Math.min(layout.rows - 1, row + 1); r += 1) {
    for (let c = Math.max(0, column - 1); c <= Math.min(layout.columns - 1, column + 1); c += 1) visit(r * layout.columns + c);
  }
}

/**
 * The cell and each of its neighbours inside the area (at most nine), in `into` (emptied first),
 * in `forEachCellAround`'s order; answers `into`. Allocates nothing, where a visitor closure is
 * made at each call: for the paths run per view or per crossing at every patch.
 */
export function cellsAround<List extends { clear(): void; push(cell: number): unknown }>(layout: CellLayout, cell: number, into: List): List {
  into.clear();
  const column = cell % layout.columns;
  const row = (cell - column) / layout.columns;
  const lastRow = Math.min(layout.rows - 1, row + 1);
  const lastColumn = Math.min(layout.columns - 1, column + 1);
  for (let r = Math.max(0, row - 1); r <= lastRow; r += 1) {
    for (let c = Math.max(0, column - 1); c <= lastColumn; c += 1) into.push(r * layout.columns + c);
  }
  return into;
}

/** Whether two cells are the same or next to each other, so that each one's viewers see what stands in the other. */
export function cellsTouch(layout: CellLayout, a: number, b: number): boolean {
  const columnA = a % layout.columns;
  const columnB = b % layout.columns;
  return Math.abs(columnA - columnB) <= 1 && Math.abs((a - columnA) - (b - columnB)) <= layout.columns;
}
