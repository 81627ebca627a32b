import { forEachCellAround, type CellLayout } from '../world/interest.js';
import { ScratchList } from '../scratch-list.js';

/** The parts of `@colyseus/schema`'s change tree and change list that this reads and builds. */
interface Tree {
  readonly ref: object;
}
interface TreeNode {
  changeTree: Tree;
  next?: TreeNode;
}
export interface TreeList {
  next?: TreeNode;
}

/** What a list node holds between patches, so that it keeps no tree (nor its entity) alive. */
const NO_TREE: Tree = { ref: {} };

/**
 * The room's changed trees of a patch, sorted by the cell where each entity stands, so that the
 * view of a cell walks its neighbourhood's changes instead of the whole room's.
 *
 * Colyseus encodes each view by walking every tree changed in the room (`root.changes`) and
 * skipping those the view does not see. With 1,000 players in one instance that is about 1,300
 * trees for each of some 300 views every tick, most of them out of sight. A cell's view sees
 * only what stands in its cell and the eight around it (`CellViews`), so its walk needs those
 * cells' trees, plus whatever belongs to no cell (the state's root and collections, and entities
 * out of every view, which the view's own check still skips). The walk keeps its visibility check:
 * this only leaves out trees no view of the cell can see.
 */
export class ChangesByCell {
  /** Entity trees changed this patch, by cell. */
  private readonly byCell: ScratchList<Tree>[];
  /** Cells with trees this patch, to empty them after. */
  private readonly used = new ScratchList<number>();
  /** Trees of no cell: the state's root and collections, entities out of every view. */
  private readonly noCell = new ScratchList<Tree>();
  /** List nodes, reused from view to view and patch to patch. */
  private readonly nodes: TreeNode[] = [];
  private readonly list: TreeList = {};
  /** Nodes linked since the last `clear`. */
  private linked = 0;
  private sorted = false;

  constructor(
    private readonly layout: CellLayout,
    /** The cell where an entity stands in the views (whose neighbours' views hold it), or undefined. */
    private readonly cellOf: (entity: object) => number | undefined,
  ) {
    this.byCell = Array.from({ length: layout.columns * layout.rows }, () => new ScratchList<Tree>());
  }

  /** Sorts a patch's changed trees; call once per patch, before the first `around`. */
  sort(changes: TreeList): void {
    this.clear();
    for (let node = changes.next; node; node = node.next) {
      const tree = node.changeTree;
      const cell = this.cellOf(tree.ref);
      if (cell === undefined) {
        this.noCell.push(tree);
        continue;
      }
      const trees = this.byCell[cell]!;
      if (trees.length === 0) this.used.push(cell);
      trees.push(tree);
    }
    this.sorted = true;
  }

  /**
   * The changed trees a view of `cell` may see, as a change list in the shape Colyseus walks:
   * the trees of no cell first (collections before the entities in them), then the
   * neighbourhood's. Valid until the next call.
   */
  around(cell: number): TreeList {
    let count = this.linkAll(0, this.noCell);
    forEachCellAround(this.layout, cell, (index) => {
      count = this.linkAll(count, this.byCell[index]!);
    });
    return this.close(count);
  }

  /** The changed trees of no cell (the state's root and collections, entities out of every view), as a change list. Valid until the next call. */
  common(): TreeList {
    return this.close(this.linkAll(0, this.noCell));
  }

  /** The changed trees of the entities standing in one cell, as a change list. Valid until the next call. */
  of(cell: number): TreeList {
    return this.close(this.linkAll(0, this.byCell[cell]!));
  }

  /** Whether anything standing in the cell changed this patch. */
  has(cell: number): boolean {
    return this.byCell[cell]!.length > 0;
  }

  get ready(): boolean {
    return this.sorted;
  }

  /** Forgets the patch's trees (and lets go of them). */
  clear(): void {
    for (let i = 0; i < this.used.length; i += 1) this.byCell[this.used.at(i)]!.clear();
    this.used.clear();
    this.noCell.clear();
    for (let i = 0; i < this.linked; i += 1) {
      const node = this.nodes[i]!;
      node.changeTree = NO_TREE;
      node.next = undefined;
    }
    this.linked = 0;
    this.list.next = undefined;
    this.sorted = false;
  }

  /** Ends the list after its first `count` nodes. */
  private close(count: number): TreeList {
    this.list.next = count > 0 ? this.nodes[0] : undefined;
    if (count > 0) this.nodes[count - 1]!.next = undefined;
    this.linked = Math.max(this.linked, count);
    return this.list;
  }

  /** Links every tree of `trees` after the first `count` nodes; answers the count after them. */
  private linkAll(count: number, trees: ScratchList<Tree>): number {
    for (let i = 0; i < trees.length; i += 1) count = this.link(count, trees.at(i));
    return count;
  }

  private link(count: number, tree: Tree): number {
    let node = this.nodes[count];
    if (!node) this.nodes.push((node = { changeTree: tree }));
    else node.changeTree = tree;
    if (count > 0) this.nodes[count - 1]!.next = node;
    return count + 1;
  }
}
