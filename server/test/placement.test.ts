import assert from 'node:assert/strict';
import type { Room } from '@colyseus/core';
import { LocalInstances } from '../src/game/placement.js';

/** What `LocalInstances` reads of a room: its lock, its clients and whether it is full. */
function room(init: { locked?: boolean; clients?: number; full?: boolean }): Room {
  return {
    locked: init.locked ?? false,
    clients: Array.from({ length: init.clients ?? 1 }),
    hasReachedMaxClients: () => init.full ?? false,
  } as unknown as Room;
}

describe('local instances', () => {
  it('offers an instance of the area with someone in it and a seat free', () => {
    const instances = new LocalInstances();
    const open = room({});
    instances.add('field', room({ locked: true, full: true }));
    instances.add('field', open);
    instances.add('town', room({}));
    assert.equal(instances.withFreeSeat('field'), open);
    assert.equal(instances.withFreeSeat('dungeon'), undefined, 'no instance of that area here');
  });

  it('offers no instance that is locked, full, empty (perhaps disposing) or disposed', () => {
    const instances = new LocalInstances();
    for (const init of [{ locked: true }, { full: true }, { clients: 0 }]) instances.add('field', room(init));
    assert.equal(instances.withFreeSeat('field'), undefined);
    const disposed = room({});
    instances.add('field', disposed);
    instances.delete('field', disposed);
    assert.equal(instances.withFreeSeat('field'), undefined);
  });
});
