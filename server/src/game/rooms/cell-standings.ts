import { cellsTouch, forEachCellAround, type CellLayout } from '../world/interest.js';
import { ScratchList } from './scratch-list.js';
import type { ViewEntity } from './view-entries.js';

/** Where an entity stands: its cell, and its index in that cell's list. */
interface Spot {
  cell: number;
  index: number;
}

/**
 * Where each entity stands, by cell: each cell's entities in a list (in no order), and each
 * entity's cell and index in it. A cell's members (what its view shows) are what stands in it and
 * the eight around it; they are not kept as a set per cell, which an entity crossing an edge would
 * update in up to six cells, growing and shrinking their tables: new storage each time, promoted
 * with the long-lived cell, then garbage in old space for the next major collection to mark around.
 * Moving here writes two list slots and one spot.
 */
export class CellStandings {
  private readonly lists: ScratchList<ViewEntity>[];
  private readonly spots = new Map<ViewEntity, Spot>();
  /** Scratch lists of a cell's members and of the cells they stand in, reused. */
  private readonly gathered = new ScratchList<ViewEntity>();
  private readonly around = new ScratchList<number>();

  constructor(private readonly layout: CellLayout) {
    this.lists = Array.from({ length: layout.columns * layout.rows }, () => new ScratchList<ViewEntity>());
  }

  /** How many entities stand somewhere. */
  get size(): number {
    return this.spots.size;
  }

  /** The cell where the entity stands, or undefined. */
  cellOf(entity: ViewEntity): number | undefined {
    return this.spots.get(entity)?.cell;
  }

  /** Puts the entity in `cell` or moves it there; answers where it stood before (undefined: nowhere). */
  put(entity: ViewEntity, cell: number): number | undefined {
    const spot = this.spots.get(entity);
    if (!spot) {
      this.spots.set(entity, { cell, index: this.lists[cell]!.push(entity) });
      return undefined;
    }
    const previous = spot.cell;
    if (previous === cell) return previous;
    this.leave(spot);
    spot.cell = cell;
    spot.index = this.lists[cell]!.push(entity);
    return previous;
  }

  /** Takes the entity out; answers where it stood (undefined: nowhere). */
  remove(entity: ViewEntity): number | undefined {
    const spot = this.spots.get(entity);
    if (!spot) return undefined;
    this.spots.delete(entity);
    this.leave(spot);
    return spot.cell;
  }

  /** What stands in the cell itself. */
  in(cell: number): ScratchList<ViewEntity> {
    return this.lists[cell]!;
  }

  /** Whether the entity stands in the cell or next to it: one of the cell's members. */
  isMember(cell: number, entity: ViewEntity): boolean {
    const spot = this.spots.get(entity);
    return spot !== undefined && cellsTouch(this.layout, cell, spot.cell);
  }

  /** The cell's members (what stands in it and around it), in a scratch list valid until the next call. */
  membersOf(cell: number): ScratchList<ViewEntity> {
    const { gathered, around } = this;
    gathered.clear();
    around.clear();
    forEachCellAround(this.layout, cell, (index) => void around.push(index));
    for (let i = 0; i < around.length; i += 1) {
      const list = this.lists[around.at(i)]!;
      for (let j = 0; j < list.length; j += 1) gathered.push(list.at(j));
    }
    return gathered;
  }

  /** Takes the entity out of the list of the cell its spot names; the entity moved into its slot takes its index. */
  private leave(spot: Spot): void {
    const moved = this.lists[spot.cell]!.swapRemove(spot.index);
    if (moved) this.spots.get(moved)!.index = spot.index;
  }
}
