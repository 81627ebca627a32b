import { Buckets } from '../world/buckets.js';
import { cellsAround, cellsTouch, type CellLayout } from '../world/interest.js';
import { ScratchList } from '../scratch-list.js';
import type { ViewEntity } from './view-entries.js';

/**
 * Where each entity stands, by cell (`Buckets`: a list per cell, a slot per entity). A cell's
 * members (what its view shows) are what stands in it and the eight around it; they are not kept
 * as a set per cell, which an entity crossing an edge would update in up to six cells, growing
 * and shrinking their tables (new storage each time, promoted with the long-lived cell, then
 * garbage in old space for the next major collection to mark around).
 */
export class CellStandings {
  private readonly standing = new Buckets<ViewEntity>();
  /** Scratch lists of a cell's members and of the cells they stand in, reused. */
  private readonly gathered = new ScratchList<ViewEntity>();
  private readonly around = new ScratchList<number>();

  constructor(private readonly layout: CellLayout) {}

  /** How many entities stand somewhere. */
  get size(): number {
    return this.standing.size;
  }

  /** The cell where the entity stands, or undefined. */
  cellOf(entity: ViewEntity): number | undefined {
    return this.standing.bucketOf(entity);
  }

  /** Puts the entity in `cell` or moves it there; answers where it stood before (undefined: nowhere). */
  put(entity: ViewEntity, cell: number): number | undefined {
    return this.standing.put(entity, cell);
  }

  /** Takes the entity out; answers where it stood (undefined: nowhere). */
  remove(entity: ViewEntity): number | undefined {
    return this.standing.remove(entity);
  }

  /** What stands in the cell itself. */
  in(cell: number): Pick<ScratchList<ViewEntity>, 'length' | 'at' | 'forEach'> {
    return this.standing.in(cell);
  }

  /** Whether the entity stands in the cell or next to it: one of the cell's members. */
  isMember(cell: number, entity: ViewEntity): boolean {
    const at = this.standing.bucketOf(entity);
    return at !== undefined && cellsTouch(this.layout, cell, at);
  }

  /** The cell's members (what stands in it and around it), in a scratch list valid until the next call. */
  membersOf(cell: number): ScratchList<ViewEntity> {
    const { gathered, around } = this;
    gathered.clear();
    cellsAround(this.layout, cell, around);
    for (let i = 0; i < around.length; i += 1) {
      const list = this.standing.in(around.at(i));
      for (let j = 0; j < list.length; j += 1) gathered.push(list.at(j));
    }
    return gathered;
  }
}
