import { ClientState, Protocol, SchemaSerializer, type Client } from '@colyseus/core';
import type { StateView } from '@colyseus/schema';
import { cellsAround, type CellLayout } from '../world/interest.js';
import { ChangesByCell, type TreeList } from './changes-by-cell.js';
import { EntryBytes, type QueuedEntries } from './entry-bytes.js';
import { ScratchList } from '../scratch-list.js';
import type { MapAreaState } from './map-area.state.js';
import { RoomView } from './view-pool.js';
import { directSocket, framesJoining, framesOf, writeTo } from './ws-frames.js';

/** What one view's holders receive this tick: the messages for where they stand, then the patch (if anything changed in sight). */
interface Outgoing {
  readonly messages: readonly Uint8Array[];
  readonly patch: Uint8Array | undefined;
  /** Both framed in one buffer, written as is to every holder without messages of its own; null when there is nothing to send. */
  readonly frames: Buffer | null;
}

const NO_MESSAGES: readonly Uint8Array[] = [];
const NOTHING: Outgoing = { messages: NO_MESSAGES, patch: undefined, frames: null };
const NO_BYTES = new Uint8Array(0);

/** What the serializer asks of the room's views (`CellViews`). */
export interface PatchedCells {
  readonly layout: CellLayout;
  /** The cell where an entity stands in the views, or undefined when in none. */
  entityCell(entity: object): number | undefined;
  /** What a view started or stopped showing since the last patch, besides its own queue. */
  queuedFor(view: StateView): QueuedEntries | undefined;
  /** What a client receives or drops ahead of its view's patch (it crossed into the view's cell since the last patch). */
  transitionFor(client: object): QueuedEntries | undefined;
  /** The cell's shared view (null while nobody holds it): every one of them sees what stands in its neighbourhood, alike. */
  sharedView(cell: number): StateView | null;
}

/**
 * Colyseus's schema serializer, sending each tick's patch with the tick's messages by cell.
 *
 * Colyseus encodes each distinct `StateView` once per patch (`encodeView`) and sends the bytes
 * to every client holding it, one `ws` send per client. Here the encoding is the same, and the
 * holders of a view also share the `combat` messages of the cell they stand in (`toCell`): both
 * are framed once into one buffer, written to each holder's socket in one write. A client with
 * messages of its own (`toClient`) gets its own buffer: the cell's messages, its own, the patch.
 * A view with nothing new and no messages sends nothing at all (Colyseus sends every client a
 * patch whenever anything in the room changed, even where it looks at none of it).
 *
 * Each view walks only the changes of its neighbourhood (`ChangesByCell`), not the whole room's,
 * and a cell's shared view gets each neighbouring cell's changes as a block encoded once per
 * patch for all the views around that cell (`blockOf`). The entities entering and leaving a view
 * are sent as bytes encoded once per entity (`EntryBytes`), ahead of the view's own encode. A client that has just crossed into a cell
 * gets its own bytes ahead of that cell's patch (`withTransition`).
 *
 * Relies on what `CellViews` guarantees at patch time: every client holding a cell's shared
 * view stands in that cell, and a view shows what stands in the cell where its clients stand and
 * the eight around it.
 */
export class CellPatchSerializer extends SchemaSerializer<MapAreaState> {
  /**
   * The tick's messages and encoded views, in maps made anew each patch rather than cleared: a
   * cleared long-lived map leaves its old table in V8's old space holding the tick's buffers,
   * which every scavenge then keeps alive (see `emptyChanges` in cell-views.ts).
   */
  private cellMessages = new Map<number, Uint8Array[]>();
  private clientMessages = new Map<Client, Uint8Array[]>();
  /** A client without a view, or with one the room's pool did not make: their bytes by view. A `RoomView` keeps its own (`patchOut`). */
  private outgoing = new Map<StateView | undefined, Outgoing>();
  /** The room's views given their bytes this patch, to let go of them after. */
  private readonly patchedViews = new ScratchList<RoomView>();
  /**
   * Each cell's changes as the shared views around it receive them, encoded once this patch
   * (`blockOf`), by cell, and the cells that have one: emptied after each patch. An array by
   * cell rather than a map made anew each patch: with 30 rooms, the maps' tables were a sixth of
   * everything the process allocated.
   */
  private blocks: (Uint8Array | undefined)[] = [];
  private readonly blockCells = new ScratchList<number>();
  private readonly iterator = { offset: 1 };
  /** Scratch list of one view's cell blocks, reused. */
  private readonly parts = new ScratchList<Uint8Array>();
  /** Scratch list of the cells around one view's, reused. */
  private readonly around = new ScratchList<number>();

  private byCell: ChangesByCell | undefined;
  private readonly entries = new EntryBytes(() => this.encoder);

  /**
   * `standingCell`: the cell where a client's player stands (whose messages it receives, whose
   * neighbourhood its view shows). `cells`: the layout, and where each entity stands in the views
   * (asked at the first patch: the room builds its cells after its serializer).
   */
  constructor(
    private readonly standingCell: (client: Client) => number | undefined,
    private readonly cells: () => PatchedCells,
  ) {
    super();
  }

  /** A message (protocol bytes) for every client standing in `cell`, sent with this tick's patch. */
  toCell(cell: number, bytes: Uint8Array): void {
    push(this.cellMessages, cell, bytes);
  }

  /** A message (protocol bytes) for one client, sent with this tick's patch. */
  toClient(client: Client, bytes: Uint8Array): void {
    push(this.clientMessages, client, bytes);
  }

  override applyPatches(clients: Client[]): boolean {
    const { encoder } = this;
    const changed = encoder.hasChanges;
    if (changed) this.entries.forgetChanged(encoder.root.changes as TreeList);
    try {
      if (clients.length === 0) {
        if (changed) {
          this.needFullEncode = true;
          encoder.discardChanges();
        }
        return false;
      }
      const it = this.iterator;
      it.offset = 1;
      encoder.sharedBuffer[0] = Protocol.ROOM_STATE_PATCH;
      if (changed) {
        this.needFullEncode = true;
        encoder.encode(it);
      }
      const sharedOffset = it.offset;
      const cells = this.cells();
      this.sortChanges(cells);
      // Messages for one client are rare: most patches have none, and a lookup per client is not free.
      const ownMessages = this.clientMessages.size > 0 ? this.clientMessages : undefined;
      for (const client of clients) {
        const own = ownMessages?.get(client);
        if (client.state !== ClientState.JOINED) {
          // Not in the game yet (its join unacknowledged): Colyseus queues messages until it is,
          // and the whole state of its view follows then instead of patches.
          const cell = this.standingCell(client);
          const messages = cell === undefined ? undefined : this.cellMessages.get(cell);
          for (const bytes of [...(messages ?? []), ...(own ?? [])]) client.enqueueRaw(bytes);
          continue;
        }
        const view = client.view;
        let out: Outgoing | undefined;
        if (view instanceof RoomView) {
          out = view.patchOut as Outgoing | undefined;
          if (!out) {
            view.patchOut = out = this.encodeFor(client, view, cells, changed, sharedOffset, it);
            this.patchedViews.push(view);
          }
        } else if (!(out = this.outgoing.get(view))) {
          out = this.encodeFor(client, view, cells, changed, sharedOffset, it);
          this.outgoing.set(view, out);
        }
        const transition = cells.transitionFor(client);
        if (transition) out = this.withTransition(out, transition, sharedOffset);
        if (own || out.frames) this.send(client, out, own);
      }
      // Not after a failure (Colyseus's way too): the next patch carries these changes again.
      if (changed) encoder.discardChanges();
      return changed;
    } finally {
      this.byCell?.clear();
      for (let i = 0; i < this.patchedViews.length; i += 1) this.patchedViews.at(i).patchOut = undefined;
      this.patchedViews.clear();
      if (this.outgoing.size > 0) this.outgoing = new Map();
      for (let i = 0; i < this.blockCells.length; i += 1) this.blocks[this.blockCells.at(i)] = undefined;
      this.blockCells.clear();
      this.cellMessages = new Map();
      this.clientMessages = new Map();
    }
  }

  /** The cell's messages and the view's patch, unless it holds nothing new. */
  private encodeFor(client: Client, view: StateView | undefined, cells: PatchedCells, changed: boolean, sharedOffset: number, it: { offset: number }): Outgoing {
    // Every holder of a cell's shared view stands in that cell at patch time (`CellViews`).
    const cell = view instanceof RoomView && view.sharedCell >= 0 ? view.sharedCell : this.standingCell(client);
    const messages = cell === undefined ? undefined : this.cellMessages.get(cell);
    const queued = view && cells.queuedFor(view);
    if (view && (changed || view.changes.size > 0 || queued)) {
      // Each view's bytes are framed as they are encoded: the next view may reuse the space.
      // Its entities' entries come first, right after the shared part, as if they were part of it.
      const start = queued ? this.entries.write(queued, sharedOffset) : sharedOffset;
      it.offset = start;
      return this.encodeViewOf(view, cell, start, it, cells, messages ?? NO_MESSAGES);
    }
    // Nothing for the view to encode: the messages alone, if any. Without a view, the room's
    // changes whole, as Colyseus sends them.
    return this.framed(messages ?? NO_MESSAGES, !view && changed ? this.encoder.sharedBuffer.subarray(0, sharedOffset) : NO_BYTES, this.parts);
  }

  /**
   * The view's patch for a client that has just taken it: what carries the client from its old
   * view to this one (`EntryBytes`, written after the shared part), then the view's own bytes.
   */
  private withTransition(out: Outgoing, transition: QueuedEntries, sharedOffset: number): Outgoing {
    const end = this.entries.write(transition, sharedOffset);
    if (end === sharedOffset) return out;
    const parts = this.parts;
    try {
      if (out.patch) parts.push(out.patch.subarray(sharedOffset));
      return this.framed(out.messages, this.encoder.sharedBuffer.subarray(0, end), parts);
    } finally {
      parts.clear();
    }
  }

  /** The messages, then a patch of `head` and `rest` joined, framed in one buffer; nothing to send when the patch is its type alone (nothing in sight changed) and there are no messages. */
  private framed(messages: readonly Uint8Array[], head: Uint8Array, rest: ScratchList<Uint8Array>): Outgoing {
    if (head.length <= 1 && rest.length === 0) return messages.length > 0 ? { messages, patch: undefined, frames: framesOf(messages) } : NOTHING;
    const frames = framesJoining(messages, head, rest);
    let length = head.length;
    for (let i = 0; i < rest.length; i += 1) length += rest.at(i).length;
    return { messages, patch: frames.subarray(frames.length - length), frames };
  }

  private sortChanges(cells: PatchedCells): void {
    if (!this.byCell) {
      this.byCell = new ChangesByCell(cells.layout, (entity) => cells.entityCell(entity));
      this.blocks = Array.from({ length: cells.layout.columns * cells.layout.rows }, () => undefined);
    }
    this.byCell.sort(this.encoder.root.changes as TreeList);
  }

  /**
   * The view's patch, framed after `messages`: the encoder's buffer up to `sharedOffset`, then the
   * view's own encode, its walk of the room's changes narrowed to its cell's neighbourhood where
   * that is known.
   *
   * A cell's shared view gets its neighbourhood's changes as blocks encoded once per cell
   * (`blockOf`): its own encode walks only the trees of no cell (the collections, whose entries
   * differ by view; usually none changed, and then there is no encode at all), then each of the
   * nine cells' blocks follows, in the order the narrowed walk visits them, so the bytes are the
   * same. Every shared view around a cell sees what stands in it alike, so the first to need a
   * block encodes it for all of them, where each view's walk encoded it again (nine times over
   * in a crowd). A client's own view (joining, returning) may differ from its cell's for a patch
   * and keeps the whole walk.
   */
  private encodeViewOf(view: StateView, cell: number | undefined, sharedOffset: number, it: { offset: number }, cells: PatchedCells, messages: readonly Uint8Array[]): Outgoing {
    const root = this.encoder.root;
    const byCell = this.byCell;
    const parts = this.parts;
    if (cell === undefined || !byCell?.ready) return this.framed(messages, this.encoder.encodeView(view, sharedOffset, it), parts);
    const all = root.changes;
    try {
      if (cells.sharedView(cell) !== view) {
        root.changes = byCell.around(cell) as typeof all;
        return this.framed(messages, this.encoder.encodeView(view, sharedOffset, it), parts);
      }
      // The blocks first, encoded past the shared part and the view's entries (`sharedOffset`).
      const around = cellsAround(cells.layout, cell, this.around);
      for (let i = 0; i < around.length; i += 1) {
        const block = this.blockOf(around.at(i), view, sharedOffset, it);
        if (block.length > 0) parts.push(block);
      }
      // Then the view's own encode, unless it has nothing to walk (no tree of no cell changed,
      // nothing queued on the view itself): the shared part and the entries as they are.
      const common = byCell.common();
      let head: Uint8Array;
      if (common.next === undefined && view.changes.size === 0) head = this.encoder.sharedBuffer.subarray(0, sharedOffset);
      else {
        root.changes = common as typeof all;
        head = this.encoder.encodeView(view, sharedOffset, it);
      }
      return this.framed(messages, head, parts);
    } finally {
      // Not held on to until the next view: the list lives long, the blocks for a patch.
      this.parts.clear();
      root.changes = all;
    }
  }

  /**
   * The changes of what stands in `cell`, as a shared view around it receives them: encoded by
   * `view` (one of those views) into the encoder's buffer from `from` (past what the view's patch
   * still needs there), copied out, and kept for the rest of the patch. Leaves `it` at `from`.
   */
  private blockOf(cell: number, view: StateView, from: number, it: { offset: number }): Uint8Array {
    let block = this.blocks[cell];
    if (block) return block;
    if (!this.byCell!.has(cell)) block = NO_BYTES;
    else {
      const root = this.encoder.root;
      root.changes = this.byCell!.of(cell) as typeof root.changes;
      it.offset = from;
      block = this.encoder.encode(it, view, this.encoder.sharedBuffer, from).slice(from, it.offset);
      it.offset = from;
    }
    this.blocks[cell] = block;
    this.blockCells.push(cell);
    return block;
  }

  /**
   * In one write when the socket takes frames directly (the view's shared buffer, unless the
   * client has messages of its own), else message by message through Colyseus.
   */
  private send(client: Client, out: Outgoing, own: readonly Uint8Array[] | undefined): void {
    const socket = directSocket(client);
    if (socket && !own) {
      writeTo(socket, out.frames!);
      return;
    }
    const payloads = out.patch ? [...out.messages, ...(own ?? []), out.patch] : [...out.messages, ...(own ?? [])];
    if (socket) writeTo(socket, framesOf(payloads));
    else for (const payload of payloads) client.raw(payload);
  }
}

function push<K>(lists: Map<K, Uint8Array[]>, key: K, bytes: Uint8Array): void {
  const list = lists.get(key);
  if (list) list.push(bytes);
  else lists.set(key, [bytes]);
}
