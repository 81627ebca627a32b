import { ClientState, type Client } from '@colyseus/core';
import type { StateView } from '@colyseus/schema';
import { cellLayout, cellOf, cellsAround, forEachCellAround, type CellLayout } from '../world/interest.js';
import { CellStandings } from './cell-standings.js';
import type { QueuedEntries } from './entry-bytes.js';
import { ScratchList } from '../scratch-list.js';
import { emptyChanges, ViewEntries, type ViewEntity } from './view-entries.js';
import { ViewPool, type RoomView } from './view-pool.js';

export type { ViewEntity } from './view-entries.js';

/** One cell's view: whatever stands in the cell and its neighbours, shared by every client in it. */
interface Cell {
  /**
   * The shared view, while a client holds it; null while none does. A view nobody receives
   * would only collect changes to throw away (in a spread-out crowd most cells have nobody
   * in them), so it is given back when its last holder leaves and built again from its members
   * when a client next takes it.
   */
  view: RoomView | null;
  /**
   * Entities whose membership changed since the last patch, each with whether it was a member
   * then: with the members now, what the last patch showed the holders. A log of changes rather than a
   * copy of the members, since in a crowd every cell changes every tick.
   */
  readonly changedSincePatch: Map<ViewEntity, boolean>;
  /** Clients holding this view. */
  holders: number;
}

/** A client's own view while it moves between cells, joins or comes back. */
interface OwnView {
  readonly view: RoomView;
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
 * The view's changes are relative to what its holders already have, so a client crossing into
 * another cell takes the new cell's view with bytes of its own ahead of that view's patch: the
 * deletes and full adds that carry it from what its old view last sent to what the new view did
 * (`cross`). Joins and reconnections start with a view of their own instead, since Colyseus
 * sends their first state whole from the view they hold when they acknowledge: built from the
 * cell's members, it follows them until a patch has reached the client, then the client holds
 * the shared view.
 *
 * The room calls `beforePatch` and `afterPatch` around each patch, with no change in between.
 */
export class CellViews {
  readonly layout: CellLayout;
  private readonly cells: Cell[];
  /** Where each entity stands; a cell's members are what stands in it and around it (a crossing looks only at the cells it comes near or goes away from). */
  private readonly standings: CellStandings;
  private readonly watchers = new Map<string, Watcher>();
  /** Watchers holding their own view or standing outside the cell whose view they hold. */
  private readonly moving = new Set<Watcher>();
  /** Cells whose membership changed since the last patch while someone held them. */
  private readonly changedCells = new ScratchList<Cell>();
  /** Scratch lists of cells around a place, reused. */
  private readonly before = new ScratchList<number>();
  private readonly after = new ScratchList<number>();
  /** What each view started or stopped showing since the last patch, for the serializer. */
  private readonly entries = new ViewEntries();
  /** Own views and shared ones, made and given back. */
  private readonly pool = new ViewPool(this.entries);

  /** `cellSize` null: one cell over the whole area (interest management off). */
  constructor(width: number, height: number, cellSize: number | null) {
    this.layout = cellLayout(width, height, cellSize);
    this.standings = new CellStandings(this.layout);
    this.cells = Array.from({ length: this.layout.columns * this.layout.rows }, () => ({
      view: null,
      changedSincePatch: new Map<ViewEntity, boolean>(),
      holders: 0,
    }));
  }

  /** Puts an entity at (x, y) or moves it there: it enters and leaves the views of the cells it comes near and goes away from. */
  place(entity: ViewEntity, x: number, y: number): void {
    const cell = cellOf(this.layout, x, y);
    const previous = this.standings.put(entity, cell);
    if (previous === cell) return;
    const after = this.around(cell, this.after);
    if (previous === undefined) {
      for (let i = 0; i < after.length; i += 1) this.addMember(this.cells[after.at(i)]!, entity);
      return;
    }
    const before = this.around(previous, this.before);
    for (let i = 0; i < before.length; i += 1) if (!after.includes(before.at(i))) this.removeMember(this.cells[before.at(i)]!, entity);
    for (let i = 0; i < after.length; i += 1) if (!before.includes(after.at(i))) this.addMember(this.cells[after.at(i)]!, entity);
  }

  /**
   * Takes an entity out of every view: a monster died (it stays in the state), or a player or
   * drop is about to be deleted from the state (call this first, while it is still attached).
   */
  remove(entity: ViewEntity): void {
    const cell = this.standings.remove(entity);
    if (cell === undefined) return;
    const around = this.around(cell, this.before);
    for (let i = 0; i < around.length; i += 1) this.removeMember(this.cells[around.at(i)]!, entity);
    for (const watcher of this.moving) {
      if (!watcher.own?.members.delete(entity)) continue;
      this.entries.hide(watcher.own.view, entity);
      // Between ticks a client may acknowledge its join before the next patch: its full state
      // then comes from the view's marks, and nothing queued before may follow it.
      this.forgetUnsent(watcher);
    }
  }

  /** A client joined (or came back) with its player at (x, y): it starts with its own view of what is there. */
  watch(client: Client, x: number, y: number): void {
    const existing = this.watchers.get(client.sessionId);
    if (existing) this.release(existing);
    const cell = cellOf(this.layout, x, y);
    const members = new Set<ViewEntity>();
    this.standings.membersOf(cell).forEach((entity) => members.add(entity));
    const own: OwnView = { view: this.pool.take(members), members };
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
    return this.standings.cellOf(entity as ViewEntity);
  }

  /**
   * The cell's shared view, or null while nobody holds it. At patch time every shared view shows
   * exactly what stands in its cell's neighbourhood, so all of them see an entity alike.
   */
  sharedView(cell: number): StateView | null {
    return this.cells[cell]?.view ?? null;
  }

  /** The cell where the client's player stands (whose view it holds from the next patch on). */
  standingCell(sessionId: string): number | undefined {
    return this.watchers.get(sessionId)?.cell;
  }

  /**
   * Before a patch: a client that crossed into another cell takes its view (`cross`); a joining
   * or returning client's own view becomes the difference between what it has and what its cell
   * holds.
   */
  beforePatch(): void {
    for (const watcher of this.moving) {
      if (!watcher.own) {
        // Unless it came back to the cell whose view it holds before any patch.
        if (watcher.cell !== watcher.holding) this.cross(watcher);
        this.moving.delete(watcher);
        continue;
      }
      const { view, members } = watcher.own;
      for (const entity of members) {
        if (!this.standings.isMember(watcher.cell, entity)) {
          members.delete(entity);
          this.entries.hide(view, entity);
        }
      }
      const target = this.standings.membersOf(watcher.cell);
      for (let i = 0; i < target.length; i += 1) {
        const entity = target.at(i);
        if (!members.has(entity)) {
          members.add(entity);
          this.entries.show(view, entity);
        }
      }
      this.forgetUnsent(watcher);
    }
  }

  /**
   * A client holding its old cell's view crossed into another cell: it holds the new cell's view
   * from this patch on, and receives ahead of that view's patch what carries it from what its old
   * view last sent to what the new one did (`ViewEntries.queueForClient`). The new view's patch
   * then brings it where the view's other holders go. Where that patch adds or deletes an entity
   * anyway, nothing is queued for it: an entity the client has is added again at the same index
   * (the decoder keeps it, as a repeated add of the same object, with no add callback), and a
   * delete of an index it never had changes nothing.
   * A cell nobody held gets a view built from its members, with nothing queued: its last patch
   * is then what it holds now.
   *
   * Each view's members then are its members now, less those that joined since (false in its
   * log), plus those that left (true). Members now are what stands in the view's 3×3 cells, so
   * of the entities whose membership of neither view changed since, only those standing in the
   * cells one view holds and the other does not differ: those cells and the two logs are all a
   * crossing looks at, not the two views' whole neighbourhoods.
   */
  private cross(watcher: Watcher): void {
    const fromCell = watcher.holding;
    const from = this.cells[fromCell]!;
    const to = this.cells[watcher.cell]!;
    const before = this.around(fromCell, this.before);
    const after = this.around(watcher.cell, this.after);
    this.letGo(watcher);
    if (!to.view) {
      to.changedSincePatch.clear();
      to.view = this.pool.take(this.standings.membersOf(watcher.cell));
      to.view.sharedCell = watcher.cell;
    }
    to.holders += 1;
    watcher.holding = watcher.cell;
    watcher.client.view = to.view;
    const { client } = watcher;
    const left = from.changedSincePatch;
    const entered = to.changedSincePatch;
    // What the old view last sent that the new one did not (unless the new view's patch deletes
    // it anyway, having sent it last): standing where only the old view looks (or gone, below).
    for (let i = 0; i < before.length; i += 1) {
      if (after.includes(before.at(i))) continue;
      const standing = this.standings.in(before.at(i));
      for (let j = 0; j < standing.length; j += 1) {
        const entity = standing.at(j);
        if (left.get(entity) !== false && entered.get(entity) !== true) this.entries.queueForClient(client, entity, false);
      }
    }
    // What the new view last sent and still shows that the old one did not: standing where only
    // the new view looks, or joined the old view since.
    for (let i = 0; i < after.length; i += 1) {
      if (before.includes(after.at(i))) continue;
      const standing = this.standings.in(after.at(i));
      for (let j = 0; j < standing.length; j += 1) {
        const entity = standing.at(j);
        if (!left.has(entity) && entered.get(entity) !== false) this.entries.queueForClient(client, entity, true);
      }
    }
    // The old view's log, both ways: what left it since (and neither view shows now), what joined it since.
    left.forEach((was, entity) => {
      if (was) {
        if (!this.standings.isMember(fromCell, entity) && !this.standings.isMember(watcher.cell, entity) && entered.get(entity) !== true) this.entries.queueForClient(client, entity, false);
      } else if (this.standings.isMember(watcher.cell, entity) && entered.get(entity) !== false) this.entries.queueForClient(client, entity, true);
    });
  }

  /**
   * A client that has not acknowledged its join (or its reconnection) gets no patches: Colyseus
   * sends it the whole state of its view when it does. Until then its own view only tracks what
   * it will see; queued changes would repeat that state, or delete what it never received.
   */
  private forgetUnsent(watcher: Watcher): void {
    if (watcher.client.state !== ClientState.JOINED && watcher.own) this.entries.forget(watcher.own.view);
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
      if (cell.view) this.pool.giveBack(watcher.own.view, watcher.own.members);
      else {
        this.entries.forget(watcher.own.view);
        cell.view = watcher.own.view;
        cell.view.sharedCell = watcher.cell;
      }
      watcher.own = null;
      watcher.holding = watcher.cell;
      cell.holders += 1;
      watcher.client.view = cell.view;
      this.moving.delete(watcher);
    }
    // Changes queued on a view nobody received go; a map that was written this patch is young,
    // and an empty one is replaced before its next write (`addToView`), so none is written old.
    for (const cell of this.cells) if (cell.view && cell.view.changes.size > 0) emptyChanges(cell.view);
    for (let i = 0; i < this.changedCells.length; i += 1) this.changedCells.at(i).changedSincePatch.clear();
    this.changedCells.clear();
    this.entries.endPatch();
  }

  /** What the view started or stopped showing since the last patch, besides its own queue; undefined when nothing. */
  queuedFor(view: StateView): QueuedEntries | undefined {
    return this.entries.queuedFor(view);
  }

  /** What the client receives or drops ahead of its view's patch, having crossed into its cell since the last; undefined when nothing. */
  transitionFor(client: object): QueuedEntries | undefined {
    return this.entries.transitionFor(client);
  }

  /** The cell whose neighbourhood the client's view shows (after a patch: where its player stands). */
  sightOf(sessionId: string): number | undefined {
    const watcher = this.watchers.get(sessionId);
    if (!watcher) return undefined;
    return watcher.own ? watcher.cell : watcher.holding;
  }

  /** Views and entities, for tests and metrics. */
  stats(): { cells: number; watchers: number; moving: number; entities: number } {
    return { cells: this.cells.length, watchers: this.watchers.size, moving: this.moving.size, entities: this.standings.size };
  }

  private around(cell: number, into: ScratchList<number>): ScratchList<number> {
    return cellsAround(this.layout, cell, into);
  }

  /** An entity comes near a cell (it was not a member). */
  private addMember(cell: Cell, entity: ViewEntity): void {
    this.logChange(cell, entity, false);
    if (cell.view) this.entries.show(cell.view, entity);
  }

  /** An entity goes away from a cell (it was a member). */
  private removeMember(cell: Cell, entity: ViewEntity): void {
    this.logChange(cell, entity, true);
    if (cell.view) this.entries.hide(cell.view, entity);
  }

  /** Before an entity's first change in a held cell since the last patch, notes whether that patch showed it. */
  private logChange(cell: Cell, entity: ViewEntity, wasMember: boolean): void {
    if (cell.holders === 0 || cell.changedSincePatch.has(entity)) return;
    if (cell.changedSincePatch.size === 0) this.changedCells.push(cell);
    cell.changedSincePatch.set(entity, wasMember);
  }

  private letGo(watcher: Watcher): void {
    const cell = this.cells[watcher.holding];
    if (cell && (cell.holders -= 1) === 0 && cell.view) {
      this.pool.giveBack(cell.view, this.standings.membersOf(watcher.holding));
      cell.view = null;
    }
    watcher.holding = -1;
  }

  private release(watcher: Watcher): void {
    this.letGo(watcher);
    if (watcher.own) this.pool.giveBack(watcher.own.view, watcher.own.members);
    watcher.own = null;
    this.moving.delete(watcher);
  }
}
