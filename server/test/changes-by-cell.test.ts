import assert from 'node:assert/strict';
import { ChangesByCell, type TreeList } from '../src/game/rooms/changes-by-cell.js';
import { cellLayout } from '../src/game/world/interest.js';

/** A change list in Colyseus's shape over trees named by their entity. */
function changeList(names: string[]): TreeList {
  const list: TreeList = {};
  let last: { changeTree: { ref: object }; next?: unknown } | undefined;
  for (const name of names) {
    const node = { changeTree: { ref: { name } }, next: undefined };
    if (last) last.next = node;
    else list.next = node;
    last = node;
  }
  return list;
}

const namesOf = (list: TreeList): string[] => {
  const names: string[] = [];
  for (let node = list.next; node; node = node.next) names.push((node.changeTree.ref as { name: string }).name);
  return names;
};

describe('changes by cell (the walk of each view narrowed to its neighbourhood)', () => {
  // 3×3 cells of 4 tiles: cell 0 is the top left, 4 the middle, 8 the bottom right.
  const layout = cellLayout(12, 12, 4);
  const cells: Record<string, number> = { a0: 0, b4: 4, c8: 8, d2: 2, e0: 0 };
  const byCell = new ChangesByCell(layout, (entity) => cells[(entity as { name: string }).name]);

  it('gives a cell the trees of no cell first, then those of its cell and the eight around it', () => {
    byCell.sort(changeList(['root', 'a0', 'players', 'b4', 'c8', 'd2', 'e0']));
    assert.ok(byCell.ready);
    assert.deepEqual(namesOf(byCell.around(0)), ['root', 'players', 'a0', 'e0', 'b4']);
    assert.deepEqual(namesOf(byCell.around(4)), ['root', 'players', 'a0', 'e0', 'd2', 'b4', 'c8']);
    assert.deepEqual(namesOf(byCell.around(8)), ['root', 'players', 'b4', 'c8']);
    // A shorter list after a longer one ends where it should.
    assert.deepEqual(namesOf(byCell.around(2)), ['root', 'players', 'd2', 'b4']);
  });

  it("lists the trees of no cell, and each cell's own, apart (the blocks a cell's shared views share)", () => {
    byCell.sort(changeList(['root', 'a0', 'players', 'b4', 'c8', 'd2', 'e0']));
    assert.deepEqual(namesOf(byCell.common()), ['root', 'players']);
    assert.deepEqual(namesOf(byCell.of(0)), ['a0', 'e0']);
    assert.deepEqual(namesOf(byCell.of(4)), ['b4']);
    assert.deepEqual(namesOf(byCell.of(1)), []);
    assert.deepEqual([0, 1, 2, 4, 8].map((cell) => byCell.has(cell)), [true, false, true, true, true]);
    // A shorter list after a longer one ends where it should, and the walk around a cell is
    // the trees of no cell, then each neighbouring cell's own, in order.
    assert.deepEqual(namesOf(byCell.around(4)), [...namesOf(byCell.common()), ...[0, 1, 2, 3, 4, 5, 6, 7, 8].flatMap((cell) => namesOf(byCell.of(cell)))]);
    byCell.sort(changeList(['b4']));
    assert.deepEqual(namesOf(byCell.common()), []);
    assert.equal(byCell.has(0), false);
  });

  it('forgets a patch: nothing is listed after clear, and the next patch starts empty', () => {
    byCell.clear();
    assert.equal(byCell.ready, false);
    assert.equal(byCell.around(4).next, undefined);
    byCell.sort(changeList(['c8']));
    assert.deepEqual(namesOf(byCell.around(0)), []);
    assert.deepEqual(namesOf(byCell.around(4)), ['c8']);
  });
});
