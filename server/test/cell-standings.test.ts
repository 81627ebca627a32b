import assert from 'node:assert/strict';
import { seededRandom } from '@mmo/platform/testing';
import { CellStandings } from '../src/game/rooms/cell-standings.js';
import type { ViewEntity } from '../src/game/rooms/view-entries.js';
import { cellLayout, forEachCellAround } from '../src/game/world/interest.js';

describe('where entities stand, by cell (CellStandings)', () => {
  it('agrees with a plain map of entity to cell through random puts, moves and removals', () => {
    const layout = cellLayout(40, 32, 8);
    const cells = layout.columns * layout.rows;
    const standings = new CellStandings(layout);
    const model = new Map<ViewEntity, number>();
    const entities = Array.from({ length: 30 }, () => ({}) as ViewEntity);
    const random = seededRandom(7);
    for (let step = 0; step < 3_000; step += 1) {
      const entity = entities[Math.floor(random() * entities.length)]!;
      if (random() < 0.15) {
        assert.equal(standings.remove(entity), model.get(entity));
        model.delete(entity);
      } else {
        const cell = Math.floor(random() * cells);
        assert.equal(standings.put(entity, cell), model.get(entity));
        model.set(entity, cell);
      }
      assert.equal(standings.size, model.size);
      const cell = Math.floor(random() * cells);
      const around = new Set<number>();
      forEachCellAround(layout, cell, (c) => around.add(c));
      const expected = [...model].filter(([, at]) => around.has(at)).map(([e]) => e);
      const members: ViewEntity[] = [];
      standings.membersOf(cell).forEach((e) => members.push(e));
      assert.equal(members.length, expected.length);
      assert.deepEqual(new Set(members), new Set(expected));
      for (const e of entities) {
        assert.equal(standings.cellOf(e), model.get(e));
        assert.equal(standings.isMember(cell, e), expected.includes(e));
      }
      const here: ViewEntity[] = [];
      standings.in(cell).forEach((e) => here.push(e));
      assert.deepEqual(new Set(here), new Set([...model].filter(([, at]) => at === cell).map(([e]) => e)));
    }
  });

  it('answers the cell it stood in when an entity is put where it already stands, and changes nothing', () => {
    const standings = new CellStandings(cellLayout(16, 16, 8));
    const entity = {} as ViewEntity;
    assert.equal(standings.put(entity, 3), undefined);
    assert.equal(standings.put(entity, 3), 3);
    assert.equal(standings.in(3).length, 1);
    assert.equal(standings.remove(entity), 3);
    assert.equal(standings.remove(entity), undefined);
    assert.equal(standings.in(3).length, 0);
  });
});
