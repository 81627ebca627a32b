import { ScratchList } from '../scratch-list.js';

/** Where an item is: its bucket, and its index in that bucket's list. */
interface Slot {
  bucket: number;
  index: number;
}

/**
 * Items sorted into numbered buckets, each item in one: a list per bucket (in no order) and a
 * slot per item. Moving an item writes two list slots and its own slot; nothing is allocated
 * once a bucket's list has grown, where a set per bucket grew and shrank its table as items came
 * and went (new storage each time, promoted with the long-lived owner, then garbage in old space
 * for the next major collection).
 */
export class Buckets<T> {
  private readonly lists = new Map<number, ScratchList<T>>();
  private readonly slots = new Map<T, Slot>();
  private static readonly none = new ScratchList<never>();

  /** How many items there are, in all buckets. */
  get size(): number {
    return this.slots.size;
  }

  /** The bucket holding the item, or undefined. */
  bucketOf(item: T): number | undefined {
    return this.slots.get(item)?.bucket;
  }

  /** Puts the item in `bucket` or moves it there; answers the bucket it was in (undefined: none). */
  put(item: T, bucket: number): number | undefined {
    const slot = this.slots.get(item);
    if (slot?.bucket === bucket) return bucket;
    let list = this.lists.get(bucket);
    if (!list) this.lists.set(bucket, (list = new ScratchList<T>()));
    if (!slot) {
      this.slots.set(item, { bucket, index: list.push(item) });
      return undefined;
    }
    const previous = slot.bucket;
    this.leave(slot);
    slot.bucket = bucket;
    slot.index = list.push(item);
    return previous;
  }

  /** Takes the item out; answers the bucket it was in (undefined: none). */
  remove(item: T): number | undefined {
    const slot = this.slots.get(item);
    if (!slot) return undefined;
    this.slots.delete(item);
    this.leave(slot);
    return slot.bucket;
  }

  /** The items in a bucket (read only). */
  in(bucket: number): Pick<ScratchList<T>, 'length' | 'at' | 'forEach'> {
    return this.lists.get(bucket) ?? (Buckets.none as ScratchList<T>);
  }

  /** Takes the item out of the list its slot names; the item moved into its place takes its index. */
  private leave(slot: Slot): void {
    const moved = this.lists.get(slot.bucket)!.swapRemove(slot.index);
    if (moved !== undefined) this.slots.get(moved)!.index = slot.index;
  }
}
