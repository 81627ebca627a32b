import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  createRedis,
  createSilentLogger,
  leaderboardCharacterOf,
  MemoryLeaderboardStore,
  RedisLeaderboardStore,
  type LeaderboardCharacter,
  type LeaderboardStore,
} from '../src/index.js';

interface Kind {
  name: string;
  open(): { store: LeaderboardStore; close(): Promise<void> };
}

const kinds: Kind[] = [{ name: 'memory', open: () => ({ store: new MemoryLeaderboardStore(), close: async () => {} }) }];
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL;
  kinds.push({
    name: 'redis',
    open: () => {
      const redis: Redis = createRedis(url, 'test-leaderboards', createSilentLogger());
      // A prefix of its own per suite run: nothing else's keys are read or overwritten.
      const prefix = `test:leaderboard:${randomBytes(6).toString('hex')}:`;
      return {
        store: new RedisLeaderboardStore(redis, prefix),
        close: async () => {
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length > 0) await redis.del(...keys);
          await redis.quit();
        },
      };
    },
  });
}

/** Ids sorted so that tests can name the tie order: `ids[0]` is the smallest. */
function sortedIds(count: number): string[] {
  return Array.from({ length: count }, () => randomUUID()).sort();
}

function character(characterId: string, overrides: Partial<LeaderboardCharacter> = {}): LeaderboardCharacter {
  return { characterId, name: `Hero${characterId.slice(0, 4)}`, class: 'warrior', level: 1, xp: 0, gold: 0, monstersDefeated: 0, hidden: false, ...overrides };
}

const everything = { offset: 0, limit: 100 };

for (const kind of kinds) {
  describe(`leaderboard store (${kind.name})`, () => {
    let store: LeaderboardStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = kind.open());
      await store.rebuild([]);
    });
    afterEach(() => close());

    it('orders the level board by level, then by experience, with ranks from 1', async () => {
      const [a, b, c] = sortedIds(3) as [string, string, string];
      await store.record(character(a, { level: 3, xp: 10 }));
      await store.record(character(b, { level: 5, xp: 0 }));
      await store.record(character(c, { level: 3, xp: 250 }));
      const page = await store.page('level', everything);
      assert.equal(page.total, 3);
      assert.deepEqual(page.entries.map((e) => [e.rank, e.characterId, e.level]), [[1, b, 5], [2, c, 3], [3, a, 3]]);
      assert.deepEqual(page.entries[0], { rank: 1, characterId: b, name: `Hero${b.slice(0, 4)}`, class: 'warrior', level: 5, score: 5_000_000_000 });
    });

    it('orders the gold and monsters boards by their own counts', async () => {
      const [a, b] = sortedIds(2) as [string, string];
      await store.record(character(a, { gold: 500, monstersDefeated: 2 }));
      await store.record(character(b, { gold: 20, monstersDefeated: 40 }));
      assert.deepEqual((await store.page('gold', everything)).entries.map((e) => [e.characterId, e.score]), [[a, 500], [b, 20]]);
      assert.deepEqual((await store.page('monsters', everything)).entries.map((e) => [e.characterId, e.score]), [[b, 40], [a, 2]]);
    });

    it('orders equal scores by character id, greatest first, the same on every read', async () => {
      const ids = sortedIds(4);
      for (const id of ids) await store.record(character(id, { gold: 7 }));
      const page = await store.page('gold', everything);
      assert.deepEqual(page.entries.map((e) => e.characterId), [...ids].reverse());
      assert.deepEqual(await Promise.all(ids.map((id) => store.rankOf('gold', id))), [4, 3, 2, 1]);
    });

    it('keeps a board per class beside the overall one, with ranks within the class', async () => {
      const [a, b, c] = sortedIds(3) as [string, string, string];
      await store.record(character(a, { class: 'mage', level: 9 }));
      await store.record(character(b, { class: 'warrior', level: 8 }));
      await store.record(character(c, { class: 'mage', level: 2 }));
      const mages = await store.page('level', { class: 'mage', ...everything });
      assert.equal(mages.total, 2);
      assert.deepEqual(mages.entries.map((e) => [e.rank, e.characterId, e.class]), [[1, a, 'mage'], [2, c, 'mage']]);
      assert.equal(await store.rankOf('level', c, { class: 'mage' }), 2);
      assert.equal(await store.rankOf('level', c), 3);
      assert.equal(await store.rankOf('level', b, { class: 'mage' }), null);
      assert.deepEqual(await store.page('level', { class: 'cleric', ...everything }), { entries: [], total: 0 });
    });

    it('pages through a board with ranks that continue across pages', async () => {
      const ids = sortedIds(5);
      for (const [index, id] of ids.entries()) await store.record(character(id, { monstersDefeated: index * 10 }));
      const second = await store.page('monsters', { offset: 2, limit: 2 });
      assert.equal(second.total, 5);
      assert.deepEqual(second.entries.map((e) => [e.rank, e.characterId]), [[3, ids[2]], [4, ids[1]]]);
      const last = await store.page('monsters', { offset: 4, limit: 2 });
      assert.deepEqual(last.entries.map((e) => [e.rank, e.characterId]), [[5, ids[0]]]);
      assert.deepEqual((await store.page('monsters', { offset: 9, limit: 2 })).entries, []);
    });

    it('moves a character when it is recorded again with new scores and a new level', async () => {
      const [a, b] = sortedIds(2) as [string, string];
      await store.record(character(a, { level: 2 }));
      await store.record(character(b, { level: 4 }));
      assert.equal(await store.rankOf('level', a), 2);
      await store.record(character(a, { level: 6, xp: 1 }));
      assert.equal(await store.rankOf('level', a), 1);
      const page = await store.page('level', everything);
      assert.equal(page.total, 2);
      assert.deepEqual(page.entries.map((e) => [e.characterId, e.level]), [[a, 6], [b, 4]]);
    });

    it('records several characters in one call, each ignored only if older than what the boards hold', async () => {
      const [a, b] = sortedIds(2) as [string, string];
      await store.record(character(b, { level: 9, version: 500 }));
      await store.recordMany([character(a, { level: 3, version: 100 }), character(b, { level: 2, version: 400 })]);
      assert.deepEqual((await store.page('level', everything)).entries.map((e) => [e.characterId, e.level]), [[b, 9], [a, 3]]);
      await store.recordMany([character(b, { level: 1, version: 600 }), character(a, { hidden: true, version: 600 })]);
      assert.deepEqual((await store.page('level', everything)).entries.map((e) => [e.characterId, e.level]), [[b, 1]]);
      await store.recordMany([]);
    });

    it('takes a removed character off every board, overall and its class', async () => {
      const [a, b] = sortedIds(2) as [string, string];
      await store.record(character(a, { class: 'ranger', gold: 5 }));
      await store.record(character(b, { class: 'ranger', gold: 3 }));
      await store.remove(a);
      for (const board of ['level', 'gold', 'monsters'] as const) {
        assert.equal(await store.rankOf(board, a), null);
        assert.equal(await store.rankOf(board, a, { class: 'ranger' }), null);
        assert.deepEqual((await store.page(board, { class: 'ranger', ...everything })).entries.map((e) => e.characterId), [b]);
      }
      await store.remove(randomUUID());
    });

    it('leaves a hidden character off the boards, and takes it off when it becomes hidden', async () => {
      const [a, b] = sortedIds(2) as [string, string];
      await store.record(character(a, { hidden: true, level: 9 }));
      await store.record(character(b, { level: 2 }));
      assert.equal(await store.rankOf('level', a), null);
      await store.record(character(b, { level: 2, hidden: true }));
      assert.deepEqual(await store.page('level', everything), { entries: [], total: 0 });
      assert.deepEqual(await store.page('level', { class: 'warrior', ...everything }), { entries: [], total: 0 });
    });

    it('replaces every board on rebuild, leaving out hidden characters', async () => {
      const [a, b, c] = sortedIds(3) as [string, string, string];
      await store.record(character(a, { level: 40 }));
      await store.rebuild([character(b, { class: 'cleric', level: 3 }), character(c, { level: 5, hidden: true })]);
      assert.equal(await store.rankOf('level', a), null);
      assert.deepEqual((await store.page('level', everything)).entries.map((e) => e.characterId), [b]);
      assert.deepEqual((await store.page('level', { class: 'cleric', ...everything })).entries.map((e) => e.characterId), [b]);
      assert.deepEqual(await store.page('level', { class: 'warrior', ...everything }), { entries: [], total: 0 });
      await store.rebuild([]);
      assert.deepEqual(await store.page('gold', everything), { entries: [], total: 0 });
    });

    it('rebuilds boards of many characters with every rank in place', async () => {
      const ids = sortedIds(1_234);
      await store.rebuild(ids.map((id, index) => character(id, { class: index % 2 ? 'mage' : 'ranger', gold: index })));
      const top = await store.page('gold', { offset: 0, limit: 1 });
      assert.deepEqual([top.total, top.entries[0]?.characterId], [1_234, ids[1_233]]);
      assert.equal(await store.rankOf('gold', ids[0]!), 1_234);
      assert.equal(await store.rankOf('gold', ids[0]!, { class: 'ranger' }), 617);
      assert.equal((await store.page('level', { class: 'mage', offset: 0, limit: 1 })).total, 617);
    });
  });
}

for (const kind of kinds) {
  describe(`leaderboard store versions (${kind.name})`, () => {
    it('ignores a record older than a removal or a newer record of the same character', async () => {
      const { store, close } = kind.open();
      try {
        const id = randomUUID();
        const ayla = { characterId: id, name: 'Ayla', class: 'mage' as const, level: 3, xp: 0, gold: 0, monstersDefeated: 0, hidden: false };
        await store.record({ ...ayla, version: 100 });
        // A hide (or deletion) at 200, then a save that read the row at 150 lands late.
        await store.remove(id, 200);
        await store.record({ ...ayla, level: 4, version: 150 });
        assert.equal(await store.rankOf('level', id), null);
        // Shown again at 300: back on the boards; an older save still cannot change it.
        await store.record({ ...ayla, level: 5, version: 300 });
        await store.record({ ...ayla, level: 9, version: 250 });
        const page = await store.page('level', { offset: 0, limit: 100 });
        assert.equal(page.entries.find((e) => e.characterId === id)?.level, 5);
      } finally {
        await close();
      }
    });
  });
}

describe('leaderboardCharacterOf', () => {
  it('reads a stored row, big integers included, and refuses a row naming an unknown class', () => {
    const id = randomUUID();
    const row = { id, name: 'Ayla', class: 'mage', level: 3, xp: 120n, gold: 9_000n, monstersDefeated: 4, hidden: false, updatedAt: new Date(5_000) };
    assert.deepEqual(leaderboardCharacterOf(row), {
      characterId: id, name: 'Ayla', class: 'mage', level: 3, xp: 120, gold: 9_000, monstersDefeated: 4, hidden: false, version: 5_000,
    });
    assert.equal(leaderboardCharacterOf({ ...row, class: 'bard' }), null);
  });
});
