import { $changes, $getByIndex, $refId, encode, OPERATION, type ChangeTree, type Encoder } from '@colyseus/schema';
import type { TreeList } from './changes-by-cell.js';
import { ScratchList } from '../scratch-list.js';

/** The byte that opens a structure's operations in a patch (`@colyseus/schema`'s spec). */
const SWITCH_TO_STRUCTURE = 255;
/** The most bytes an index or a refId takes (`encode.number`: a float64 and its prefix at worst). */
const NUMBER_BYTES = 9;

/** Where an entity sat in its collection (the collection's refId, the entry's wire index). */
export interface EntrySlot {
  readonly parent: number;
  readonly index: number;
}

/** An entity's entering bytes, as a view that starts to show it receives them. */
interface EntryAdd {
  readonly parent: number;
  /** The entry's index in the collection, and the entity's refId, when encoded. */
  readonly index: number;
  readonly refId: number;
  /**
   * The collection itself, as the state's field holding it (what `StateView.add` sends with
   * every entity it adds): a holder that never saw the collection learns of it before its entries.
   */
  readonly collection: Uint8Array;
  /** A switch to the collection and its ADD of the entry (index, key, refId); a switch to the entity and every field it holds. */
  readonly bytes: Uint8Array;
}

/** A collection's entry by its wire index. */
interface Indexed {
  [$getByIndex](index: number): unknown;
}

/**
 * Visits one queued entry: an entity shown, or one hidden and where it sat (its collection's
 * refId and its index; -1 for both when it sat in none, and then there is nothing to delete).
 */
export type EntryVisitor = (shown: boolean, entity: object, parent: number, index: number) => void;

/** What a view started or stopped showing since the last patch (a view's queue), or a client's transition. */
export interface QueuedEntries {
  readonly size: number;
  forEachEntry(visit: EntryVisitor): void;
}

/**
 * The bytes with which a view's holders learn of entities entering and leaving it, encoded once
 * per entity whichever views need them, and kept until the entity changes.
 *
 * `StateView.add` queues an entity's entry and each of its fields in maps of the view's own, and
 * the view's encode walks and encodes them for that view alone. With 1,000 players in one
 * instance, the entities entering the views of clients that crossed a cell edge were the
 * largest part of the patch (encoding them and the queues a quarter of the busy time), and the
 * same entity entered several views in one patch. Here a view only marks the entity visible (so
 * that its later changes reach the view's holders), and its entering costs one copy of bytes
 * encoded once: the collection's ADD (index, key, refId) and the entity's fields, written by
 * `@colyseus/schema`'s own encoders, exactly as `encodeView` would have. Leaving is the
 * collection's DELETE of the entry's index. The fields are the entity's own: players, monsters
 * and drops hold no child structures, whose refIds these bytes would have to introduce.
 *
 * An entity's bytes open with their own switch to its collection (two bytes more than one switch
 * for all of a collection's entries), so that its entering is one copy of one array: with 2,000
 * players in one instance, clients crossing cell edges receive some 4,000 entries a patch.
 * Deletes are grouped by collection and go first.
 *
 * These bytes go first in the view's patch, before what the view's own encode writes, since that
 * may carry changes of an entity that has just entered.
 */
export class EntryBytes {
  /**
   * Each entity's entering bytes, kept from patch to patch until the entity changes (`forgetChanged`):
   * a client crossing into a cell receives every entity of the cells it comes near, most of which
   * did not change this patch. Weak, so that an entity gone from the state takes its bytes along.
   */
  private adds = new WeakMap<object, EntryAdd>();
  private scratch = new Uint8Array(1024);
  /** Scratch lists of one write: the entities entering (and whether each is its collection's first), and the deletes (collection, index). */
  private readonly entering = new ScratchList<EntryAdd>();
  private readonly firstOfCollection = new ScratchList<boolean>();
  private readonly deleteParents = new ScratchList<number>();
  private readonly deleteIndexes = new ScratchList<number>();
  /** Scratch lists of one write's collections: those with deletes, those introduced. */
  private readonly parents = new ScratchList<number>();
  private readonly introduced = new ScratchList<number>();
  /** Bytes the entries gathered so far take at most, and the visitor gathering them (one closure for every write). */
  private size = 0;
  private readonly gather: EntryVisitor = (shown, entity, parent, index) => {
    if (!shown) {
      if (parent < 0) return;
      this.deleteParents.push(parent);
      this.deleteIndexes.push(index);
      this.size += 1 + NUMBER_BYTES;
      if (!this.parents.includes(parent)) {
        this.parents.push(parent);
        this.size += 1 + NUMBER_BYTES;
      }
      return;
    }
    const add = this.addOf(entity);
    if (!add) return;
    const first = !this.introduced.includes(add.parent);
    this.entering.push(add);
    this.firstOfCollection.push(first);
    this.size += add.bytes.length;
    if (first) {
      this.introduced.push(add.parent);
      this.size += add.collection.length;
    }
  };

  constructor(private readonly encoder: () => Encoder) {}

  /**
   * Forgets the bytes of every entity changed since the last patch; call before each patch
   * (and before its changes are discarded, whether or not anyone receives them).
   */
  forgetChanged(changes: TreeList): void {
    for (let node = changes.next; node; node = node.next) this.adds.delete(node.changeTree.ref);
  }

  /**
   * Writes the operations for `queued` into the encoder's shared buffer from `offset`: the
   * deletes, grouped by collection (one switch each), then each entering entity's bytes (after
   * its collection's introduction, once per collection); answers the offset after them.
   */
  write(queued: QueuedEntries, offset: number): number {
    try {
      queued.forEachEntry(this.gather);
      return this.entering.length === 0 && this.deleteParents.length === 0 ? offset : this.writeGathered(offset);
    } finally {
      // Emptied whatever happens: an encoder that threw must not leave one view's entries to the next.
      this.entering.clear();
      this.firstOfCollection.clear();
      this.deleteParents.clear();
      this.deleteIndexes.clear();
      this.parents.clear();
      this.introduced.clear();
      this.size = 0;
    }
  }

  /** Writes the entries gathered by `write` (`size` bytes at most) from `offset`. */
  private writeGathered(offset: number): number {
    const { entering, firstOfCollection, deleteParents, deleteIndexes, parents } = this;
    // Grown as the encoder grows it ahead of a view's own queue (keeping what lies before `offset`).
    const encoder = this.encoder() as Encoder & { ensureCapacity(buffer: Uint8Array, offset: number): Uint8Array };
    const bytes = encoder.ensureCapacity(encoder.sharedBuffer, offset + this.size);
    const it = { offset };
    for (let group = 0; group < parents.length; group += 1) {
      const parent = parents.at(group);
      bytes[it.offset++] = SWITCH_TO_STRUCTURE;
      encode.number(bytes, parent, it);
      for (let i = 0; i < deleteParents.length; i += 1) {
        if (deleteParents.at(i) !== parent) continue;
        bytes[it.offset++] = OPERATION.DELETE;
        encode.number(bytes, deleteIndexes.at(i), it);
      }
    }
    for (let i = 0; i < entering.length; i += 1) {
      const add = entering.at(i);
      // Each collection's introduction before its first entry.
      if (firstOfCollection.at(i)) {
        bytes.set(add.collection, it.offset);
        it.offset += add.collection.length;
      }
      bytes.set(add.bytes, it.offset);
      it.offset += add.bytes.length;
    }
    return it.offset;
  }

  /**
   * The entity's entering bytes: kept ones while it stays where they put it, else encoded now;
   * null when it is in no collection. A deleted entry keeps its parent link (`@colyseus/schema`
   * clears only its root): one gone from its collection has no entry to add, and the state's own
   * delete covers it. Kept bytes were encoded while the entity sat in its slot, and moving it
   * to another slot or collection (through a delete) changes its index, parent or root. That
   * relies on each entity having one parent (players, monsters and drops each sit in one map):
   * one held twice keeps its root when deleted from one of them.
   */
  private addOf(entity: object): EntryAdd | null {
    const tree = (entity as { [$changes]?: ChangeTree })[$changes];
    if (!tree || tree.root === undefined) return null;
    const collection = tree.parent as ({ [$changes]: ChangeTree; [$refId]: number } & Indexed) | undefined;
    const index = tree.parentIndex;
    if (!collection || index === undefined) return null;
    const kept = this.adds.get(entity);
    if (kept?.index === index && kept.parent === collection[$refId] && kept.refId === (entity as { [$refId]?: number })[$refId]) return kept;
    if (collection[$getByIndex](index) !== entity) return null;
    const add = this.encodeAdd(tree, collection, index);
    if (add) this.adds.set(entity, add);
    return add;
  }

  private encodeAdd(tree: ChangeTree, collection: { [$changes]: ChangeTree; [$refId]: number }, index: number): EntryAdd | null {
    const owner = collection[$changes];
    const holder = owner.parent as { [$changes]: ChangeTree; [$refId]: number } | undefined;
    if (!holder || owner.parentIndex === undefined) return null;
    const encoder = this.encoder();
    const refId = (tree.ref as { [$refId]: number })[$refId];
    for (;;) {
      const bytes = this.scratch;
      const it = { offset: 0 };
      bytes[it.offset++] = SWITCH_TO_STRUCTURE;
      encode.number(bytes, holder[$refId], it);
      const holderTree = holder[$changes];
      holderTree.encDescriptor.encoder(encoder, bytes, holderTree, owner.parentIndex, OPERATION.ADD, it, false, true, holderTree.encDescriptor.metadata);
      const introductionEnd = it.offset;
      bytes[it.offset++] = SWITCH_TO_STRUCTURE;
      encode.number(bytes, collection[$refId], it);
      const ownerDescriptor = owner.encDescriptor;
      ownerDescriptor.encoder(encoder, bytes, owner, index, OPERATION.ADD, it, false, true, ownerDescriptor.metadata);
      bytes[it.offset++] = SWITCH_TO_STRUCTURE;
      encode.number(bytes, refId, it);
      const descriptor = tree.encDescriptor;
      tree.forEachLive((index) => descriptor.encoder(encoder, bytes, tree, index, OPERATION.ADD, it, false, true, descriptor.metadata));
      // A typed array drops writes past its end: encode again into a larger one.
      if (it.offset > bytes.length) {
        this.scratch = new Uint8Array(it.offset * 2);
        continue;
      }
      return {
        parent: collection[$refId],
        index,
        refId,
        collection: bytes.slice(0, introductionEnd),
        bytes: bytes.slice(introductionEnd, it.offset),
      };
    }
  }
}
