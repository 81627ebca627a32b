/**
 * A list filled and emptied over and over (each patch, each move) that keeps its storage.
 *
 * V8 gives an array's storage back when its length is set to 0, so an array "reused" that way
 * is grown anew, one reallocation after another, every time it is filled: nine pushes after
 * `list.length = 0` cost 4.8× nine writes into kept storage, and one scavenge every 7,000 rounds
 * where kept storage cost none (node 20, measured here). In a long-lived list the storage given
 * back also stays in old space until the next major collection, and its stale references keep
 * young objects alive through every scavenge meanwhile. This list only moves its end.
 */
export class ScratchList<T> {
  private readonly items: (T | undefined)[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Appends an item; answers its index. */
  push(item: T): number {
    this.items[this.size] = item;
    return this.size++;
  }

  /** The item at `index` (below `length`). */
  at(index: number): T {
    return this.items[index] as T;
  }

  indexOf(item: T): number {
    for (let i = 0; i < this.size; i += 1) if (this.items[i] === item) return i;
    return -1;
  }

  includes(item: T): boolean {
    return this.indexOf(item) >= 0;
  }

  /**
   * Removes the item at `index` (below `length`) by moving the last item into its place: order is
   * not kept. Answers the item moved to `index`, or undefined when the removed one was the last.
   */
  swapRemove(index: number): T | undefined {
    const last = this.size - 1;
    const moved = index === last ? undefined : this.items[last];
    this.items[index] = moved;
    this.items[last] = undefined;
    this.size = last;
    return moved;
  }

  forEach(visit: (item: T) => void): void {
    for (let i = 0; i < this.size; i += 1) visit(this.items[i] as T);
  }

  /** Empties the list, letting go of its items (the storage stays). */
  clear(): void {
    const { items, size } = this;
    // A loop for the short lists most are (a view's nine cell blocks, a crossing's cells):
    // \`fill\`'s call costs more than a few writes (4.4 % of a sparse room's patch cycle in a profile).
    if (size <= 32) for (let i = 0; i < size; i += 1) items[i] = undefined;
    else items.fill(undefined, 0, size);
    this.size = 0;
  }
}
