import { ClientState, type Client } from '@colyseus/core';
import { $changes, $refId, StateView } from '@colyseus/schema';
import { cellLayout, cellOf, forEachCellAround, type CellLayout } from '../world/interest.js';
import type { EntrySlot, QueuedEntries } from './entry-bytes.js';

/** A synced object (player, monster, drop) that views hold. */
export type ViewEntity = Parameters<StateView['add']>[0];

type Tree = Parameters<StateView['markVisible']>[0];

/** The change tree of the collection holding a tree, while it is in one. */
function collectionOf(tree: Tree): Tree | undefined {
  return (tree.parent as { [$changes]?: Tree } | undefined)?.[$changes];
}

/** The object's change tree, or undefined once it left the state (a deleted map entry loses its parent). */
function attachedTree(entity: ViewEntity): Tree | undefined {
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
function emptyChanges(view: StateView): void {
  view.changes = new Map();
}

/** One cell's view: whatever stands in the cell and its neighbours, shared by every client in it. */
interface Cell {
  /**
   * The shared view, while a client holds it; null while none does. A view nobody receives
   * would only collect changes to throw away (in a spread-out crowd most cells have nobody
   * in them), so it is given back when its last holder leaves and built again from `members`
   * when a client next takes it.
   */
  view: StateView | null;
  /** What stands in the cell and its neighbours, kept whether or not anyone holds the view. */
  readonly members: Set<ViewEntity>;
  /**
   * Entities whose membership changed since the last patch, each with whether it was a member
   * then: with `members`, what the last patch showed the holders. A log of changes rather than a
   * copy of the members, since in a crowd every cell changes every tick.
   */
  readonly changedSincePatch: Map<ViewEntity, boolean>;
  /** Clients holding this view. */
  holders: number;
}

/** A client's own view while it moves between cells, joins or comes back. */
interface OwnView {
  readonly view: StateView;
  readonly members: Set<ViewEntity>;
}

interface Watcher {
  client: Client;
  /** The cell where its player stands. */
  cell: number;
  /** The cell whose view it holds, or -1 while it holds its own. */
  holding: number;
  own: OwnView | null;
}

/**
 * Interest management with views shared by cell. Colyseus encodes each distinct `StateView`
 * once per patch and sends the bytes to every client holding it, so one view per cell (what its
 * 3×3 neighbourhood holds) costs one encode per occupied cell instead of one per client, and a
 * client's sight changes only when it crosses a cell edge, not as it walks.
 *
 * A client moving into another cell cannot simply take that cell's view: the view's changes are
 * relative to what its holders already have. For the patch in which it moves, it holds a view of
 * its own, built from what it had (the old cell's members as last sent) and changed into the new
 * cell's members (deletes and full adds for the difference, nothing for what both hold); after
 * that patch reached it, it holds the shared view. Joins and reconnections start the same way.
 *
 * The room calls `beforePatch` and `afterPatch` around each patch, with no change in between.
 */
export class CellViews {
  readonly layout: CellLayout;
  private readonly cells: Cell[];
  private readonly cellOfEntity = new Map<ViewEntity, number>();
  private readonly watchers = new Map<string, Watcher>();
  /** Watchers holding their own view or standing outside the cell whose view they hold. */
  private readonly moving = new Set<Watcher>();
  /** Cells whose membership changed since the last patch while someone held them. */
  private readonly changedCells: Cell[] = [];
  /** Own views given back, ready for the next client that moves (a new one costs a dispose later, which visits every tree). */
  private readonly spare: StateView[] = [];
  /** Scratch set of the collections an own view has been shown, reused. */
  private readonly parents = new Set<unknown>();
  /** Scratch lists of cells around a place, reused. */
  private readonly before: number[] = [];
  private readonly after: number[] = [];
  /**
   * What each view started (true) or stopped (false) showing since the last patch, for the
   * serializer to send before the view's own encode (`EntryBytes`): made anew each patch.
   */
  private queued = new Map<StateView, Map<ViewEntity, boolean>>();
  /** Where each entity hidden from a view since the last patch sat in its collection, noted while it was still there. */
  private slots = new Map<ViewEntity, EntrySlot>();

  /** `cellSize` null: one cell over the whole area (interest management off). */
  constructor(width: number, height: number, cellSize: number | null) {
    this.layout = cellLayout(width, height, cellSize);
    this.cells = Array.from({ length: this.layout.columns * this.layout.rows }, () => ({
      view: null,
      members: new Set<ViewEntity>(),
      changedSincePatch: new Map<ViewEntity, boolean>(),
      holders: 0,
    }));
  }

  /** Puts an entity at (x, y) or moves it there: it enters and leaves the views of the cells it comes near and goes away from. */
  place(entity: ViewEntity, x: number, y: number): void {
    const cell = cellOf(this.layout, x, y);
    const previous = this.cellOfEntity.get(entity);
    if (previous === cell) return;
    this.cellOfEntity.set(entity, cell);
    const after = this.around(cell, this.after);
    if (previous === undefined) {
      for (const index of after) this.addMember(this.cells[index]!, entity);
      return;
    }
    const before = this.around(previous, this.before);
    for (const index of before) if (!after.includes(index)) this.removeMember(this.cells[index]!, entity);
    for (const index of after) if (!before.includes(index)) this.addMember(this.cells[index]!, entity);
  }

  /**
   * Takes an entity out of every view: a monster died (it stays in the state), or a player or
   * drop is about to be deleted from the state (call this first, while it is still attached).
   */
  remove(entity: ViewEntity): void {
    const cell = this.cellOfEntity.get(entity);
    if (cell === undefined) return;
    this.cellOfEntity.delete(entity);
    for (const index of this.around(cell, this.before)) this.removeMember(this.cells[index]!, entity);
    for (const watcher of this.moving) {
      if (watcher.own?.members.delete(entity)) this.hide(watcher.own.view, entity);
    }
  }

  /** A client joined (or came back) with its player at (x, y): it starts with its own view of what is there. */
  watch(client: Client, x: number, y: number): void {
    const existing = this.watchers.get(client.sessionId);
    if (existing) this.release(existing);
    const cell = cellOf(this.layout, x, y);
    const own = this.ownView(this.cells[cell]!.members);
    const watcher: Watcher = { client, cell, holding: -1, own };
    this.watchers.set(client.sessionId, watcher);
    this.moving.add(watcher);
    client.view = own.view;
    this.forgetUnsent(watcher);
  }

  /** A client's player moved to (x, y): its entity goes there, and the client's sight follows it. */
  placePlayer(sessionId: string, player: ViewEntity, x: number, y: number): void {
    this.place(player, x, y);
    this.follow(sessionId, x, y);
  }

  /** The client's player stands at (x, y) now. */
  follow(sessionId: string, x: number, y: number): void {
    const watcher = this.watchers.get(sessionId);
    if (!watcher) return;
    const cell = cellOf(this.layout, x, y);
    if (cell === watcher.cell) return;
    watcher.cell = cell;
    if (watcher.cell !== watcher.holding) this.moving.add(watcher);
  }

  /** The client is gone for good. */
  unwatch(sessionId: string): void {
    const watcher = this.watchers.get(sessionId);
    if (!watcher) return;
    this.release(watcher);
    this.watchers.delete(sessionId);
  }

  /** Calls `visit` with each cell whose clients see tile (x, y): its own and the ones next to it. */
  forEachCellSeeing(x: number, y: number, visit: (cell: number) => void): void {
    forEachCellAround(this.layout, cellOf(this.layout, x, y), visit);
  }

  /** The cell where an entity stands in the views (the views of it and its neighbours hold it), or undefined when in none. */
  entityCell(entity: object): number | undefined {
    return this.cellOfEntity.get(entity as ViewEntity);
  }

  /** The cell where the client's player stands (whose view it holds, or will after the next patch). */
  standingCell(sessionId: string): number | undefined {
    return this.watchers.get(sessionId)?.cell;
  }

  /** Before a patch: each moving client's own view becomes the difference between what it has and what its new cell holds. */
  beforePatch(): void {
    for (const watcher of this.moving) {
      const target = this.cells[watcher.cell]!.members;
      if (!watcher.own && watcher.cell === watcher.holding) {
        // Back in the cell whose view it holds before any patch: nothing to change.
        this.moving.delete(watcher);
        continue;
      }
      if (!watcher.own) {
        // It still holds the old cell's view: start its own from what that view last sent it.
        const old = this.cells[watcher.holding]!;
        watcher.own = this.ownView(old.members, old.changedSincePatch);
        this.letGo(watcher);
        watcher.client.view = watcher.own.view;
      }
      const { view, members } = watcher.own;
      for (const entity of members) {
        if (!target.has(entity)) {
          members.delete(entity);
          this.hide(view, entity);
        }
      }
      for (const entity of target) {
        if (!members.has(entity)) {
          members.add(entity);
          this.show(view, entity);
        }
      }
      this.forgetUnsent(watcher);
    }
  }

  /**
   * A client that has not acknowledged its join (or its reconnection) gets no patches: Colyseus
   * sends it the whole state of its view when it does. Until then its own view only tracks what
   * it will see; queued changes would repeat that state, or delete what it never received.
   */
  private forgetUnsent(watcher: Watcher): void {
    if (watcher.client.state !== ClientState.JOINED && watcher.own) this.forgetQueued(watcher.own.view);
  }

  /**
   * After a patch: clients it reached hold their cell's shared view from now on. Changes queued
   * on views nobody received are dropped: whoever takes such a view later starts from its members.
   */
  afterPatch(): void {
    for (const watcher of this.moving) {
      if (!watcher.own || watcher.client.state !== ClientState.JOINED) continue;
      const cell = this.cells[watcher.cell]!;
      // Its own view now shows exactly the cell's members: a cell nobody held takes it as its
      // shared view (nothing queued), instead of building the same one again.
      if (cell.view) this.giveBack(watcher.own);
      else {
        this.forgetQueued(watcher.own.view);
        cell.view = watcher.own.view;
      }
      watcher.own = null;
      watcher.holding = watcher.cell;
      cell.holders += 1;
      watcher.client.view = cell.view;
      this.moving.delete(watcher);
    }
    // Every held view, even one with nothing queued: encoding clears its map, which must stay young (`emptyChanges`).
    for (const cell of this.cells) if (cell.view) emptyChanges(cell.view);
    for (const cell of this.changedCells) cell.changedSincePatch.clear();
    this.changedCells.length = 0;
    this.queued = new Map();
    this.slots = new Map();
  }

  /** What the view started or stopped showing since the last patch, besides its own queue; undefined when nothing. */
  queuedFor(view: StateView): QueuedEntries | undefined {
    const queued = this.queued.get(view);
    return queued && queued.size > 0 ? queued : undefined;
  }

  /** Where an entity hidden since the last patch sat in its collection. */
  slotOf(entity: object): EntrySlot | undefined {
    return this.slots.get(entity as ViewEntity);
  }

  /** The cell whose neighbourhood the client's view shows (after a patch: where its player stands). */
  sightOf(sessionId: string): number | undefined {
    const watcher = this.watchers.get(sessionId);
    if (!watcher) return undefined;
    return watcher.own ? watcher.cell : watcher.holding;
  }

  /** Views and entities, for tests and metrics. */
  stats(): { cells: number; watchers: number; moving: number; entities: number } {
    return { cells: this.cells.length, watchers: this.watchers.size, moving: this.moving.size, entities: this.cellOfEntity.size };
  }

  private around(cell: number, into: number[]): number[] {
    into.length = 0;
    forEachCellAround(this.layout, cell, (index) => into.push(index));
    return into;
  }

  private addMember(cell: Cell, entity: ViewEntity): void {
    this.logChange(cell, entity);
    cell.members.add(entity);
    if (cell.view) this.show(cell.view, entity);
  }

  private removeMember(cell: Cell, entity: ViewEntity): void {
    this.logChange(cell, entity);
    cell.members.delete(entity);
    if (cell.view) this.hide(cell.view, entity);
  }

  /**
   * The view starts to show the entity: it becomes visible, and its entry is queued for the
   * serializer (`EntryBytes`), instead of `StateView.add`'s queue of the view's own. Through
   * `add` still when the view does not show the entity's collection yet (`add` introduces it),
   * and for the rest of the patch once the view's own queue holds anything, so that nothing
   * queued here comes before what it depends on. An entity new to the state this patch is only
   * made visible: the patch's own encode sends it whole to whoever sees it (as `add` does).
   */
  private show(view: StateView, entity: ViewEntity): void {
    const tree = attachedTree(entity);
    if (!tree) return;
    const queued = this.queued.get(view);
    if (queued?.get(entity) === false) {
      // Hidden and shown again before any patch: its holders still have it.
      queued.delete(entity);
      view.markVisible(tree);
      return;
    }
    if (view.isVisible(tree)) return;
    const collection = collectionOf(tree);
    if (view.changes.size > 0 || !collection || !view.isVisible(collection)) {
      view.add(entity);
      return;
    }
    view.markVisible(tree);
    if (!tree.isNew) this.queueFor(view).set(entity, true);
  }

  /** The view stops showing the entity: hidden, and the collection's delete queued (`show`'s counterpart). */
  private hide(view: StateView, entity: ViewEntity): void {
    const tree = (entity as { [$changes]?: Tree })[$changes];
    if (!tree) return;
    const queued = this.queued.get(view);
    if (queued?.get(entity) === true) {
      // Shown and hidden again before any patch: its holders never had it.
      queued.delete(entity);
      view.unmarkVisible(tree);
      return;
    }
    if (!view.isVisible(tree)) return;
    const collection = tree.parent as { [$refId]?: number } | undefined;
    if (collection?.[$refId] === undefined || tree.parentIndex === undefined) {
      // Already out of the state (callers hide an entity before deleting it): there is no entry
      // left to delete, and `StateView.remove` would send nothing for it either.
      view.unmarkVisible(tree);
      return;
    }
    if (view.changes.size > 0) {
      view.remove(entity);
      return;
    }
    view.unmarkVisible(tree);
    if (!this.slots.has(entity)) this.slots.set(entity, { parent: collection[$refId], index: tree.parentIndex });
    this.queueFor(view).set(entity, false);
  }

  private queueFor(view: StateView): Map<ViewEntity, boolean> {
    let queued = this.queued.get(view);
    if (!queued) this.queued.set(view, (queued = new Map()));
    return queued;
  }

  /** Drops whatever the view has queued, in its own queue and here. */
  private forgetQueued(view: StateView): void {
    emptyChanges(view);
    this.queued.delete(view);
  }

  /** Before an entity's first change in a held cell since the last patch, notes whether that patch showed it. */
  private logChange(cell: Cell, entity: ViewEntity): void {
    if (cell.holders === 0 || cell.changedSincePatch.has(entity)) return;
    if (cell.changedSincePatch.size === 0) this.changedCells.push(cell);
    cell.changedSincePatch.set(entity, cell.members.has(entity));
  }

  /**
   * A view of the client's own that sees `current` as it was at the last patch (undoing
   * `changed`) and has nothing queued: the client already
   * has them (it held the view they come from), or it has not acknowledged its join and will
   * receive them in its full state. Members deleted from the state since the last patch cannot
   * join a view; the state's own delete reaches the client, and the next diff drops them.
   * Only the first member of each collection goes through `add` (which shows the collection
   * and the root too); the others just become visible, which is all `add` would leave after the
   * queue is cleared (players, monsters and drops have no child structures).
   */
  private ownView(current: ReadonlySet<ViewEntity>, changed?: ReadonlyMap<ViewEntity, boolean>): OwnView {
    const view = this.spare.pop() ?? new StateView();
    const members = new Set<ViewEntity>();
    for (const entity of current) if (changed?.get(entity) !== false) members.add(entity);
    if (changed) for (const [entity, was] of changed) if (was) members.add(entity);
    const { parents } = this;
    for (const entity of members) {
      const tree = attachedTree(entity);
      if (!tree) continue;
      if (parents.has(tree.parent)) view.markVisible(tree);
      else {
        parents.add(tree.parent);
        view.add(entity);
      }
    }
    parents.clear();
    this.forgetQueued(view);
    return { view, members };
  }

  /** Hides a view's members again and keeps it for the next client that moves or cell that is taken. */
  private giveBack(own: OwnView): void {
    for (const entity of own.members) {
      const tree = attachedTree(entity);
      if (tree) own.view.unmarkVisible(tree);
    }
    this.forgetQueued(own.view);
    this.spare.push(own.view);
  }

  private letGo(watcher: Watcher): void {
    const cell = this.cells[watcher.holding];
    if (cell && (cell.holders -= 1) === 0 && cell.view) {
      this.giveBack({ view: cell.view, members: cell.members });
      cell.view = null;
    }
    watcher.holding = -1;
  }

  private release(watcher: Watcher): void {
    this.letGo(watcher);
    if (watcher.own) this.giveBack(watcher.own);
    watcher.own = null;
    this.moving.delete(watcher);
  }
}
