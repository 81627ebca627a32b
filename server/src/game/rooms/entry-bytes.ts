import { $changes, $getByIndex, $refId, encode, OPERATION, type ChangeTree, type Encoder } from '@colyseus/schema';
import type { TreeList } from './changes-by-cell.js';
import { ScratchList } from './scratch-list.js';

/** The byte that opens a structure's operations in a patch (`@colyseus/schema`'s spec). */
const SWITCH_TO_STRUCTURE = 255;
/** The most bytes an index or a refId takes (`encode.number`: a float64 and its prefix at worst). */
const NUMBER_BYTES = 9;

/** Where an entity sat in its collection (the collection's refId, the entry's wire index). */
export interface EntrySlot {
  readonly parent: number;
  readonly index: number;
}

/** An entity's entry in its collection, and its fields, as a view that starts to show it receives them. */
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
  /** The collection's ADD operation: index, key, the entity's refId. */
  readonly entry: Uint8Array;
  /** The entity's structure with every field it holds. */
  readonly fields: Uint8Array;
}

/** A collection's entry by its wire index. */
interface Indexed {
  [$getByIndex](index: number): unknown;
}

/** What a view started or stopped showing since the last patch: true shown, false hidden (a map of them, or a client's transition). */
export interface QueuedEntries {
  readonly size: number;
  forEach(visit: (shown: boolean, entity: object) => void): void;
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
  /** Scratch lists of the collections of one view's entries, and how each is introduced (when an entity enters it), reused. */
  private readonly parents = new ScratchList<number>();
  private readonly introductions = new ScratchList<Uint8Array | undefined>();
  /** Scratch lists of one view's entries that have bytes (an add, or the slot to delete), and the group of each. */
  private readonly items = new ScratchList<EntryAdd | EntrySlot>();
  private readonly groups = new ScratchList<number>();

  constructor(private readonly encoder: () => Encoder) {}

  /**
   * Forgets the bytes of every entity changed since the last patch; call before each patch
   * (and before its changes are discarded, whether or not anyone receives them).
   */
  forgetChanged(changes: TreeList): void {
    for (let node = changes.next; node; node = node.next) this.adds.delete(node.changeTree.ref);
  }

  /**
   * Writes the operations for `queued` into the encoder's shared buffer from `offset`, grouped
   * by collection (one switch each), then the entered entities' fields; answers the offset after
   * them. `slots` tells where a hidden entity sat: it may have left the state since.
   */
  write(queued: QueuedEntries, offset: number, slots: { slotOf(entity: object): EntrySlot | undefined }): number {
    const { parents, introductions, items, groups } = this;
    let size = 0;
    try {
      // `forEach`, not `for...of`: each entry of a map's iterator is an array of its own.
      queued.forEach((shown, entity) => {
        const item = shown ? this.addOf(entity) : slots.slotOf(entity);
        if (!item) return;
        let group = parents.indexOf(item.parent);
        if (group < 0) {
          group = parents.push(item.parent);
          introductions.push(undefined);
        }
        items.push(item);
        groups.push(group);
        if (!isAdd(item)) {
          size += 1 + NUMBER_BYTES;
          return;
        }
        size += item.entry.length + item.fields.length;
        if (!introductions.at(group)) {
          introductions.set(group, item.collection);
          size += item.collection.length;
        }
      });
      return items.length === 0 ? offset : this.writeItems(offset, size);
    } finally {
      // Emptied whatever happens: an encoder that threw must not leave one view's entries to the next.
      parents.clear();
      introductions.clear();
      items.clear();
      groups.clear();
    }
  }

  /** Writes the entries gathered by `write` (`size` bytes at most) from `offset`. */
  private writeItems(offset: number, size: number): number {
    const { parents, introductions, items, groups } = this;
    size += parents.length * (1 + NUMBER_BYTES);
    // Grown as the encoder grows it ahead of a view's own queue (keeping what lies before `offset`).
    const encoder = this.encoder() as Encoder & { ensureCapacity(buffer: Uint8Array, offset: number): Uint8Array };
    const bytes = encoder.ensureCapacity(encoder.sharedBuffer, offset + size);
    const it = { offset };
    for (let group = 0; group < parents.length; group += 1) {
      const introduction = introductions.at(group);
      if (introduction) {
        bytes.set(introduction, it.offset);
        it.offset += introduction.length;
      }
      bytes[it.offset++] = SWITCH_TO_STRUCTURE;
      encode.number(bytes, parents.at(group), it);
      for (let i = 0; i < items.length; i += 1) {
        if (groups.at(i) !== group) continue;
        const item = items.at(i);
        if (isAdd(item)) {
          bytes.set(item.entry, it.offset);
          it.offset += item.entry.length;
        } else {
          bytes[it.offset++] = OPERATION.DELETE;
          encode.number(bytes, item.index, it);
        }
      }
    }
    for (let i = 0; i < items.length; i += 1) {
      const item = items.at(i);
      if (!isAdd(item)) continue;
      bytes.set(item.fields, it.offset);
      it.offset += item.fields.length;
    }
    return it.offset;
  }

  /**
   * The entity's entering bytes: kept ones while it stays where they put it, else encoded now;
   * null when it is in no collection (a deleted entry keeps its parent link, since
   * `@colyseus/schema` clears only its root: one gone from its collection has no entry to add,
   * and the state's own delete covers it).
   */
  private addOf(entity: object): EntryAdd | null {
    const tree = (entity as { [$changes]?: ChangeTree })[$changes];
    const collection = tree?.parent as ({ [$changes]: ChangeTree; [$refId]: number } & Indexed) | undefined;
    const index = tree?.parentIndex;
    if (!tree || !collection || index === undefined || tree.root === undefined || collection[$getByIndex](index) !== entity) return null;
    const kept = this.adds.get(entity);
    if (kept?.index === index && kept.parent === collection[$refId] && kept.refId === (entity as { [$refId]?: number })[$refId]) return kept;
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
      const ownerDescriptor = owner.encDescriptor;
      ownerDescriptor.encoder(encoder, bytes, owner, index, OPERATION.ADD, it, false, true, ownerDescriptor.metadata);
      const entryEnd = it.offset;
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
        entry: bytes.slice(introductionEnd, entryEnd),
        fields: bytes.slice(entryEnd, it.offset),
      };
    }
  }
}

function isAdd(item: EntryAdd | EntrySlot): item is EntryAdd {
  return (item as Partial<EntryAdd>).fields !== undefined;
}
