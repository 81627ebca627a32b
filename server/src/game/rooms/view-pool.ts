import { StateView } from '@colyseus/schema';
import { addToView, attachedTree, type ViewEntries, type ViewEntity } from './view-entries.js';

/** Entities a view shows: a set, or a scratch list of what stands around a cell. */
export interface Members {
  forEach(visit: (entity: ViewEntity) => void): void;
}

/**
 * A view of the room: a `StateView` that knows which cell shares it, and holds what the
 * serializer made of it for the patch under way. Both are read once per client per patch, where
 * a map from views (or from clients to the cells where they stand) cost a lookup each, most of it
 * a cache miss on a cold key (with 3,000 clients over 30 instances, map lookups were 8 % of the
 * process's samples in `perf`, about half of them in the patch).
 */
export class RoomView extends StateView {
  /** The cell whose shared view this is (every holder stands in it at patch time), or -1: a client's own view, or a spare. */
  sharedCell = -1;
  /** What the patch under way sends its holders (`CellPatchSerializer`); undefined outside a patch. */
  patchOut: object | undefined = undefined;
}

/**
 * The views of `CellViews` that are not a cell's for long: a joining or moving client's own, and
 * a cell's shared view while someone holds it. Views given back are kept and handed out again
 * (a new one costs a dispose later, which visits every tree).
 */
export class ViewPool {
  private readonly spare: RoomView[] = [];
  /** Scratch set of the collections a view has been shown, reused. */
  private readonly parents = new Set<unknown>();

  constructor(private readonly entries: Pick<ViewEntries, 'forget'>) {}

  /**
   * A view showing `members` with nothing queued: a joining client's own (it receives them in its
   * full state when it acknowledges), or the shared view of a cell nobody held (its first holder
   * receives them ahead of its patch, `cross`). Members are live: `remove` takes an entity out of
   * every cell before it leaves the state. Only the first member of each collection goes through
   * `add` (which shows the collection and the root too); the others just become visible, which is
   * all `add` would leave after the queue is cleared (players, monsters and drops have no child
   * structures).
   */
  take(members: Members): RoomView {
    const view = this.spare.pop() ?? new RoomView();
    const { parents } = this;
    members.forEach((entity) => {
      const tree = attachedTree(entity);
      if (!tree) return;
      if (parents.has(tree.parent)) view.markVisible(tree);
      else {
        parents.add(tree.parent);
        addToView(view, entity);
      }
    });
    parents.clear();
    this.entries.forget(view);
    return view;
  }

  /** Hides the view's `members` again and keeps it for the next client that moves or cell that is taken. */
  giveBack(view: RoomView, members: Members): void {
    members.forEach((entity) => {
      const tree = attachedTree(entity);
      if (tree) view.unmarkVisible(tree);
    });
    this.entries.forget(view);
    view.sharedCell = -1;
    this.spare.push(view);
  }
}
