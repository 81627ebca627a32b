import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createSilentLogger, type PrismaClient } from '@mmo/platform';
import { createTestPlayer, testStacks } from '@mmo/platform/testing';
import {
  CharacterGoneError,
  InMemoryCharacterStore,
  PrismaCharacterStore,
  type CharacterRecord,
  type CharacterStore,
} from '../src/game/character.store.js';

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
    const store = new PrismaCharacterStore(db.prisma, createSilentLogger(), { attempts: 3, firstDelayMs: 1 });
    await store.saveProgress('c1', { area: 'town', x: 3, y: 4 });
    assert.equal(db.calls(), 3);
    assert.equal(db.writes.length, 1);
    const { lastSeenAt, ...progress } = (db.writes[0] as { data: { lastSeenAt: unknown } }).data;
    assert.deepEqual([(db.writes[0] as { where: unknown }).where, progress], [{ id: 'c1' }, { area: 'town', x: 3, y: 4 }]);
    assert.ok(lastSeenAt instanceof Date, 'each save records when the character was last seen');
  });

  it('gives up after the last attempt and rethrows, so the room keeps the progress to save later', async () => {
    const db = flakyPrisma(5);
    const store = new PrismaCharacterStore(db.prisma, createSilentLogger(), { attempts: 3, firstDelayMs: 1 });
    await assert.rejects(store.saveProgress('c1', { area: 'town', x: 3, y: 4 }), /connection reset/);
    assert.equal(db.calls(), 3);
  });
});

/**
 * One contract, every implementation: the in-memory store and the Prisma one on each stack
 * (PGlite always; PostgreSQL when DATABASE_URL and REDIS_URL are set).
 */
interface StoreUnderTest {
  name: string;
  open(): Promise<{ store: CharacterStore; create(): Promise<CharacterRecord>; remove(id: string): Promise<void>; close(): Promise<void> }>;
}

const implementations: StoreUnderTest[] = [
  {
    name: 'in memory',
    async open() {
      const store = new InMemoryCharacterStore();
      let next = 0;
      return {
        store,
        async create() {
          next += 1;
          const character: CharacterRecord = { id: `c${next}`, accountId: 'a1', name: `Hero${next}`, class: 'warrior', level: 1, area: 'town', x: 2, y: 5 };
          store.add(character);
          return character;
        },
        remove: async (id) => store.delete(id),
        close: async () => undefined,
      };
    },
  },
  ...testStacks().map((kind) => ({
    name: `Prisma (${kind.name} stack)`,
    async open() {
      const stack = await kind.open();
      const store = new PrismaCharacterStore(stack.db.prisma, createSilentLogger(), { attempts: 1, firstDelayMs: 1 });
      return {
        store,
        async create() {
          const { accountId } = await createTestPlayer(stack.db);
          const name = `Hero${randomUUID().slice(0, 8).replace(/\d/g, 'x')}`;
          const row = await stack.db.prisma.character.create({
            data: { accountId, name, nameKey: name.toLowerCase(), class: 'warrior', area: 'town', x: 2, y: 5 },
          });
          return (await store.load(row.id, accountId))!;
        },
        remove: async (id: string) => void (await stack.db.prisma.character.delete({ where: { id } })),
        close: () => stack.close(),
      };
    },
  })),
];

for (const implementation of implementations) {
  describe(`CharacterStore contract: ${implementation.name}`, () => {
    let opened: Awaited<ReturnType<StoreUnderTest['open']>>;
    before(async () => {
      opened = await implementation.open();
    });
    after(async () => {
      await opened.close();
    });

    it('loads a character only for its own account', async () => {
      const character = await opened.create();
      assert.deepEqual(await opened.store.load(character.id, character.accountId), character);
      assert.equal(await opened.store.load(character.id, randomUUID()), null);
    });

    it('saves progress that the next load returns', async () => {
      const character = await opened.create();
      await opened.store.saveProgress(character.id, { area: 'field', x: 7, y: 8 });
      assert.deepEqual(await opened.store.load(character.id, character.accountId), { ...character, area: 'field', x: 7, y: 8 });
    });

    it('rejects with CharacterGoneError when the character was deleted', async () => {
      const character = await opened.create();
      await opened.remove(character.id);
      await assert.rejects(opened.store.saveProgress(character.id, { area: 'town', x: 1, y: 1 }), CharacterGoneError);
    });
  });
}
