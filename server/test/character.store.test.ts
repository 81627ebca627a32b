import assert from 'node:assert/strict';
import { createSilentLogger, type PrismaClient } from '@mmo/platform';
import { CharacterStore } from '../src/game/character.store.js';

/**
 * A database that fails the first `failures` writes: the fault to inject. Everything else of
 * the store runs for real against the real database in the game tests.
 */
function flakyPrisma(failures: number) {
  const writes: unknown[] = [];
  let calls = 0;
  const prisma = {
    character: {
      update: async (args: unknown) => {
        calls += 1;
        if (calls <= failures) throw new Error('connection reset');
        writes.push(args);
        return {};
      },
    },
  };
  return { prisma: prisma as unknown as PrismaClient, writes, calls: () => calls };
}

describe('CharacterStore.saveProgress', () => {
  it('retries a failed save and succeeds when the database comes back', async () => {
    const db = flakyPrisma(2);
    const store = new CharacterStore(db.prisma, createSilentLogger(), { attempts: 3, firstDelayMs: 1 });
    await store.saveProgress('c1', { area: 'town', x: 3, y: 4 });
    assert.equal(db.calls(), 3);
    assert.equal(db.writes.length, 1);
    const { lastSeenAt, ...progress } = (db.writes[0] as { data: { lastSeenAt: unknown } }).data;
    assert.deepEqual([(db.writes[0] as { where: unknown }).where, progress], [{ id: 'c1' }, { area: 'town', x: 3, y: 4 }]);
    assert.ok(lastSeenAt instanceof Date, 'each save records when the character was last seen');
  });

  it('gives up after the last attempt and rethrows, so the room keeps the progress to save later', async () => {
    const db = flakyPrisma(5);
    const store = new CharacterStore(db.prisma, createSilentLogger(), { attempts: 3, firstDelayMs: 1 });
    await assert.rejects(store.saveProgress('c1', { area: 'town', x: 3, y: 4 }), /connection reset/);
    assert.equal(db.calls(), 3);
  });
});
