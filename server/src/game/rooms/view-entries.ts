import { $changes, $refId, type StateView } from '@colyseus/schema';
import type { EntrySlot, EntryVisitor, QueuedEntries } from './entry-bytes.js';
import { ScratchList } from '../scratch-list.js';

/** A synced object (player, monster, drop) that views hold. */
export type ViewEntity = Parameters<StateView['add']>[0];

type Tree = Parameters<StateView['markVisible']>[0];

/** The change tree of the collection holding a tree, while it is in one. */
function collectionOf(tree: Tree): Tree | undefined {
  return (tree.parent as { [$changes]?: Tree } | undefined)?.[$changes];
}

/** The refId of the collection holding a tree at an index, or undefined when in none. */
function holderOf(tree: Tree): number | undefined {
  return tree.parentIndex === undefined ? undefined : (tree.parent as { [$refId]?: number } | undefined)?.[$refId];
}

/**
 * The object's change tree while it has a parent. A map entry deleted from the state keeps its
 * parent link (`@colyseus/schema` 5 clears only the tree's root), so a member deleted since the
 * last patch still counts here: views that showed it mark and hide it like any other, which is
 * how their holders get its delete (the state's own delete reaches only views that see it).
 */
export function attachedTree(entity: ViewEntity): Tree | undefined {
  const tree = (entity as { [$changes]?: Tree })[$changes];
  return tree?.parent !== undefined ? tree : undefined;
}

/**
 * Empties a view's queued changes by giving it a new map rather than clearing the one it has.
 * A long-lived map's table ends up in V8's old space, and `Map.prototype.clear` (like every
 * rehash) then allocates its next table there too, leaving the previous one as old-space garbage
 * that still holds the entries. A scavenge takes every old-to-young reference as a root without
 * asking whether the holder is alive, so the per-patch maps those dead tables point to (one per
 * changed object, written by `add` and `remove`) survived every scavenge until the next major GC
 * and were promoted: about 5 MB per scavenge with 1,000 players. A map that is new each patch
 * is gone long before a second scavenge could promote it, and its entries die young with it.
 */
export function emptyChanges(view: StateView): void {
  view.changes = new Map();
}

/**
 * `StateView.add` or `remove` on `view`: the only writes to its queue here, each into a map made
 * this patch. An empty map may have grown old (a shared view's stays empty patch after patch,
 * and the patch gives a new one only to a view whose map holds something), so it is replaced
 * before the first write, never written old.
 */
export function addToView(view: StateView, entity: ViewEntity): void {
  if (view.changes.size === 0) emptyChanges(view);
  view.add(entity);
}

/** `addToView`'s counterpart for `StateView.remove`. */
export function removeFromView(view: StateView, entity: ViewEntity): void {
  if (view.changes.size === 0) emptyChanges(view);
  view.remove(entity);
}

/**
 * The entities each view started or stopped showing since the last patch, kept beside the views
 * for the serializer (`EntryBytes`) rather than in `StateView`'s own queue: a view only marks an
 * entity visible or not, and the entity's entry (or its delete) is encoded once for every view
 * it enters or leaves (and kept until the entity changes).
 */
export class ViewEntries {
  /** Per view, each entity it started (true) or stopped (false) showing: made anew each patch. */
  private queued = new Map<StateView, ViewQueue>();
  /** Where each entity hidden from a view since the last patch sat in its collection, noted while it was still there (a transition keeps its own). */
  private slots = new Map<ViewEntity, EntrySlot>();
  /** Per client, what it receives or drops ahead of its view's patch. */
  private readonly transitions = new Transitions();

  /**
   * The view starts to show the entity: it becomes visible, and its entry is queued for the
   * serializer (`EntryBytes`), instead of `StateView.add`'s queue of the view's own. Through
   * `add` still when the view does not show the entity's collection yet (`add` introduces it),
   * and for the rest of the patch once the view's own queue holds anything, so that nothing
   * queued here comes before what it depends on. An entity new to the state this patch is only
   * made visible: the patch's own encode sends it whole to whoever sees it (as `add` does).
   */
  show(view: StateView, entity: ViewEntity): void {
    const tree = attachedTree(entity);
    if (!tree) return;
    const queued = this.queued.get(view)?.entities;
    if (queued?.get(entity) === false) {
      // Hidden and shown again before any patch: its holders still have it.
      queued.delete(entity);
      view.markVisible(tree);
      return;
    }
    if (view.isVisible(tree)) return;
    const collection = collectionOf(tree);
    if (view.changes.size > 0 || !collection || !view.isVisible(collection)) {
      addToView(view, entity);
      return;
    }
    view.markVisible(tree);
    if (!tree.isNew) this.queueOf(view).entities.set(entity, true);
  }

  /** The view stops showing the entity: hidden, and the collection's delete queued (`show`'s counterpart). */
  hide(view: StateView, entity: ViewEntity): void {
    const tree = (entity as { [$changes]?: Tree })[$changes];
    if (!tree) return;
    const queued = this.queued.get(view)?.entities;
    if (queued?.get(entity) === true) {
      // Shown and hidden again before any patch: its holders never had it.
      queued.delete(entity);
      view.unmarkVisible(tree);
      return;
    }
    if (!view.isVisible(tree)) return;
    const parent = holderOf(tree);
    if (parent === undefined) {
      // Never in a collection: no entry to delete.
      view.unmarkVisible(tree);
      return;
    }
    if (view.changes.size > 0) {
      removeFromView(view, entity);
      return;
    }
    view.unmarkVisible(tree);
    this.noteSlot(entity, parent, tree.parentIndex!);
    this.queueOf(view).entities.set(entity, false);
  }

  /**
   * Queues for one client alone an entity to receive (true) or drop (false) ahead of its view's
   * patch: a client that crossed into another cell takes that cell's view at once, and this
   * carries it from what its old view last sent to what the new one did (`CellViews.cross`).
   * Nothing changes in the view. Entities never in a collection have no entry to send.
   */
  queueForClient(client: object, entity: ViewEntity, shown: boolean): void {
    const tree = (entity as { [$changes]?: Tree })[$changes];
    const parent = tree && holderOf(tree);
    if (!tree || parent === undefined) return;
    // New to the state this patch: the view's own encode sends it whole.
    if (shown && tree.isNew) return;
    this.transitions.add(client, entity, shown, parent, tree.parentIndex!);
  }

  /** What one client receives or drops ahead of its view's patch (`queueForClient`); undefined when nothing. */
  transitionFor(client: object): QueuedEntries | undefined {
    return this.transitions.of(client);
  }

  private noteSlot(entity: ViewEntity, parent: number, index: number): void {
    if (!this.slots.has(entity)) this.slots.set(entity, { parent, index });
  }

  /** Drops whatever the view has queued, in its own queue and here. */
  forget(view: StateView): void {
    emptyChanges(view);
    this.queued.delete(view);
  }

  /** What the view started or stopped showing since the last patch; undefined when nothing. */
  queuedFor(view: StateView): QueuedEntries | undefined {
    // Asked for every view at every patch; most patches queue nothing (a lookup of a view's key is a cache miss per view).
    if (this.queued.size === 0) return undefined;
    const queued = this.queued.get(view);
    return queued && queued.size > 0 ? queued : undefined;
  }

  /** The view's queue, a new one the first time this patch. */
  private queueOf(view: StateView): ViewQueue {
    let queued = this.queued.get(view);
    if (!queued) this.queued.set(view, (queued = new ViewQueue(this.slots)));
    return queued;
  }

  /** After a patch: everything queued has been sent (or dropped with its view's own queue). */
  endPatch(): void {
    this.queued = new Map();
    this.slots = new Map();
    this.transitions.clear();
  }
}

/**
 * What clients receive or drop ahead of their views' patches, in one list kept from patch to
 * patch: each client's entries lie together (`CellViews.cross` queues one client's at a time),
 * and each client's transition is its range of the list. A map per client, made anew each patch,
 * was grown entry by entry, one reallocation after another, for every client that crossed a cell
 * edge: the largest single source of garbage in a crowd's patch.
 */
class Transitions {
  readonly entities = new ScratchList<ViewEntity>();
  readonly shown = new ScratchList<boolean>();
  /** Where each entity dropped sat (its collection's refId, its index), noted as it is queued. */
  readonly parents = new ScratchList<number>();
  readonly indexes = new ScratchList<number>();
  /** Made anew each patch, as the maps above (`emptyChanges`). */
  private byClient = new Map<object, Transition>();

  /** Queues an entity for a client; an entity appears once per client (the caller sees to it). */
  add(client: object, entity: ViewEntity, shown: boolean, parent: number, index: number): void {
    let transition = this.byClient.get(client);
    if (!transition) this.byClient.set(client, (transition = new Transition(this, this.entities.length)));
    else if (transition.end !== this.entities.length) this.moveToEnd(transition);
    this.push(entity, shown, parent, index);
    transition.end += 1;
  }

  of(client: object): QueuedEntries | undefined {
    // Asked for every client at every patch; in most patches only a few clients crossed, often none.
    return this.byClient.size === 0 ? undefined : this.byClient.get(client);
  }

  clear(): void {
    this.entities.clear();
    this.shown.clear();
    this.parents.clear();
    this.indexes.clear();
    this.byClient = new Map();
  }

  private push(entity: ViewEntity, shown: boolean, parent: number, index: number): void {
    this.entities.push(entity);
    this.shown.push(shown);
    this.parents.push(parent);
    this.indexes.push(index);
  }

  /** Another client's entries came after this one's: copies its range to the end of the list. */
  private moveToEnd(transition: Transition): void {
    const { start, end } = transition;
    transition.start = this.entities.length;
    for (let i = start; i < end; i += 1) this.push(this.entities.at(i), this.shown.at(i), this.parents.at(i), this.indexes.at(i));
    transition.end = this.entities.length;
  }
}

/** One client's range of the transitions' list. */
class Transition implements QueuedEntries {
  end: number;

  constructor(
    private readonly list: Transitions,
    public start: number,
  ) {
    this.end = start;
  }

  get size(): number {
    return this.end - this.start;
  }

  forEachEntry(visit: EntryVisitor): void {
    const { entities, shown, parents, indexes } = this.list;
    for (let i = this.start; i < this.end; i += 1) visit(shown.at(i), entities.at(i), parents.at(i), indexes.at(i));
  }
}

/** What one view started (true) or stopped (false) showing since the last patch: made anew each patch. */
class ViewQueue implements QueuedEntries {
  readonly entities = new Map<ViewEntity, boolean>();

  /** `slots`: where each entity hidden since the last patch sat (`ViewEntries.noteSlot`). */
  constructor(private readonly slots: ReadonlyMap<ViewEntity, EntrySlot>) {}

  get size(): number {
    return this.entities.size;
  }

  forEachEntry(visit: EntryVisitor): void {
    // `forEach`, not `for...of`: each entry of a map's iterator is an array of its own.
    this.entities.forEach((shown, entity) => {
      if (shown) return visit(true, entity, -1, -1);
      const slot = this.slots.get(entity);
      visit(false, entity, slot?.parent ?? -1, slot?.index ?? -1);
    });
  }
}
