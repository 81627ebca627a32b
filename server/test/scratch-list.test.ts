import assert from 'node:assert/strict';
import { Encoder } from '@colyseus/schema';
import { MapAreaState, PlayerState } from '../src/game/rooms/map-area.state.js';
import { EntryBytes, type QueuedEntries } from '../src/game/rooms/entry-bytes.js';
import { ScratchList } from '../src/game/scratch-list.js';
import { ViewEntries } from '../src/game/rooms/view-entries.js';

const itemsOf = <T>(list: ScratchList<T>): T[] => Array.from({ length: list.length }, (_, i) => list.at(i));

describe('scratch lists (storage kept from one filling to the next)', () => {
  it('appends, reads and finds items, answering each index', () => {
    const list = new ScratchList<string>();
    assert.equal(list.push('a'), 0);
    assert.equal(list.push('b'), 1);
    assert.deepEqual(itemsOf(list), ['a', 'b']);
    assert.equal(list.indexOf('b'), 1);
    assert.equal(list.indexOf('c'), -1);
    assert.equal(list.includes('a'), true);
  });

  it('starts empty after clear, finds nothing it held, and lets go of its items', () => {
    const list = new ScratchList<object>();
    const held = { name: 'held' };
    list.push(held);
    list.push({});
    list.clear();
    assert.equal(list.length, 0);
    assert.equal(list.includes(held), false);
    // Nothing of the last filling is left in the storage, where it would stay alive.
    assert.deepEqual((list as unknown as { items: unknown[] }).items, [undefined, undefined]);
    // Long lists too (cleared another way).
    for (let i = 0; i < 100; i += 1) list.push({ i });
    list.clear();
    assert.equal(list.length, 0);
    assert.ok((list as unknown as { items: unknown[] }).items.every((item) => item === undefined));
    list.push(held);
    assert.deepEqual(itemsOf(list), [held]);
  });

  it('removes an item by moving the last into its place, answering the one moved, and keeps nothing removed', () => {
    const list = new ScratchList<string>();
    for (const item of ['a', 'b', 'c', 'd']) list.push(item);
    assert.equal(list.swapRemove(1), 'd');
    assert.deepEqual(itemsOf(list), ['a', 'd', 'c']);
    // The last one: nothing moves.
    assert.equal(list.swapRemove(2), undefined);
    assert.deepEqual(itemsOf(list), ['a', 'd']);
    assert.equal(list.swapRemove(0), 'd');
    assert.equal(list.swapRemove(0), undefined);
    assert.equal(list.length, 0);
    assert.deepEqual((list as unknown as { items: unknown[] }).items, [undefined, undefined, undefined, undefined]);
    const visited: string[] = [];
    list.push('e');
    list.push('f');
    list.forEach((item) => visited.push(item));
    assert.deepEqual(visited, ['e', 'f']);
  });
});

describe("a client's transition (ViewEntries.queueForClient)", () => {
  /** Players in the state's collection, attached to an encoder as in a room (entries have an index there). */
  function players(count: number): PlayerState[] {
    const state = new MapAreaState({ area: 'town' });
    new Encoder(state);
    return Array.from({ length: count }, (_, i) => {
      const player = new PlayerState({ name: `p${i}`, class: 'warrior', level: 1, hp: 10, x: i, y: i });
      state.players.set(`p${i}`, player);
      return player;
    });
  }
  const entriesOf = (entries: ViewEntries, client: object) => {
    const seen: [object, boolean, number][] = [];
    entries.transitionFor(client)?.forEachEntry((shown, entity, _parent, index) => seen.push([entity, shown, index]));
    return seen;
  };

  it("keeps each client's entries apart, in the order queued, even when queued in turns", () => {
    const [a, b, c, d] = players(4);
    const entries = new ViewEntries();
    const [one, two] = [{}, {}];
    entries.queueForClient(one, a!, false);
    entries.queueForClient(two, b!, false);
    entries.queueForClient(one, c!, false);
    entries.queueForClient(two, d!, false);
    // Each with the index its entity sat at in the players' collection (0 to 3 in the order set).
    assert.deepEqual(entriesOf(entries, one), [[a, false, 0], [c, false, 2]]);
    assert.deepEqual(entriesOf(entries, two), [[b, false, 1], [d, false, 3]]);
    assert.equal(entries.transitionFor(one)?.size, 2);
  });

  it('forgets every transition at the end of a patch', () => {
    const [a] = players(1);
    const entries = new ViewEntries();
    const client = {};
    entries.queueForClient(client, a!, false);
    entries.endPatch();
    assert.equal(entries.transitionFor(client), undefined);
    entries.queueForClient(client, a!, false);
    assert.deepEqual(entriesOf(entries, client), [[a, false, 0]]);
  });
});

describe('entry bytes after a failure', () => {
  it('leaves nothing of a write that threw to the next one', () => {
    const entries = new EntryBytes(() => {
      throw new Error('no encoder is needed for nothing to write');
    });
    const hidden = {};
    const failing: QueuedEntries = {
      size: 2,
      forEachEntry(visit) {
        visit(false, hidden, 3, 7);
        throw new Error('an encoder failed on the second entity');
      },
    };
    assert.throws(() => entries.write(failing, 10), /second entity/);
    // Nothing queued: nothing written, the offset as it was (leftovers would be written, through the encoder).
    assert.equal(entries.write({ size: 0, forEachEntry: () => {} }, 10), 10);
  });
});
