import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, createSilentLogger, MemoryOnlineDirectory, RedisOnlineDirectory, type OnlineDirectory, type OnlineEntry } from '../src/index.js';

interface Kind {
  name: string;
  open(): { directory: OnlineDirectory; close(): Promise<void> };
  /** A directory no other test or process writes to, for assertions over every entry. */
  openEmpty(): Promise<{ directory: OnlineDirectory; close(): Promise<void> }>;
}

/** The Redis database the counting test empties and fills on its own. */
const EMPTY_REDIS_DB = 13;

const kinds: Kind[] = [
  {
    name: 'memory',
    open: () => ({ directory: new MemoryOnlineDirectory(), close: async () => {} }),
    openEmpty: async () => ({ directory: new MemoryOnlineDirectory(), close: async () => {} }),
  },
];
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL;
  kinds.push({
    name: 'redis',
    open: () => {
      const redis: Redis = createRedis(url, 'test-online', createSilentLogger());
      return { directory: new RedisOnlineDirectory(redis), close: async () => void (await redis.quit()) };
    },
    openEmpty: async () => {
      const emptyUrl = new URL(url);
      emptyUrl.pathname = `/${EMPTY_REDIS_DB}`;
      const redis: Redis = createRedis(emptyUrl.toString(), 'test-online-count', createSilentLogger());
      await redis.flushdb();
      return { directory: new RedisOnlineDirectory(redis), close: async () => void (await redis.quit()) };
    },
  });
}

function entry(characterId: string, roomId: string, since = 1_000): OnlineEntry {
  return { characterId, name: 'Ayla', area: 'town', roomId, sessionId: `${roomId}-s`, since };
}

for (const kind of kinds) {
  describe(`online directory (${kind.name})`, () => {
    let directory: OnlineDirectory;
    let close: () => Promise<void>;
    before(() => ({ directory, close } = kind.open()));
    after(() => close());

    it('records an entry, answers the replaced one and keeps its since across a hop', async () => {
      const id = randomUUID();
      assert.equal(await directory.put(entry(id, 'r1', 1_000), 30), null);
      const replaced = await directory.put({ ...entry(id, 'r2', 5_000), area: 'field' }, 30);
      assert.equal(replaced?.roomId, 'r1');
      const now = (await directory.get([id])).get(id);
      assert.deepEqual([now?.roomId, now?.area, now?.since], ['r2', 'field', 1_000]);
    });

    it('removes an entry only for the room and session that wrote it', async () => {
      const id = randomUUID();
      await directory.put(entry(id, 'r1'), 30);
      await directory.put(entry(id, 'r2'), 30);
      assert.equal(await directory.remove(id, { roomId: 'r1', sessionId: 'r1-s' }), false);
      assert.equal((await directory.get([id])).get(id)?.roomId, 'r2');
      assert.equal(await directory.remove(id, { roomId: 'r2', sessionId: 'r2-s' }), true);
      assert.equal((await directory.get([id])).size, 0);
    });

    it('refreshes its own entry, writes it again once expired, and leaves a newer room entry alone', async () => {
      const id = randomUUID();
      await directory.put(entry(id, 'r1'), 30);
      assert.equal(await directory.refresh(entry(id, 'r1'), 30), true);
      await directory.put(entry(id, 'r2'), 30);
      assert.equal(await directory.refresh(entry(id, 'r1'), 30), false);
      assert.equal((await directory.get([id])).get(id)?.roomId, 'r2');
      const gone = randomUUID();
      assert.equal(await directory.refresh(entry(gone, 'r3'), 30), true);
      assert.equal((await directory.get([gone])).get(gone)?.roomId, 'r3');
    });

    it('refreshes several entries at once with the same answer for each as one refresh gives', async () => {
      const [own, taken, expired] = [randomUUID(), randomUUID(), randomUUID()];
      await directory.put(entry(own, 'r1'), 30);
      await directory.put(entry(taken, 'r2'), 30);
      assert.deepEqual(await directory.refreshMany([entry(own, 'r1'), entry(taken, 'r1'), entry(expired, 'r1')], 30), [true, false, true]);
      const now = await directory.get([own, taken, expired]);
      assert.deepEqual([now.get(own)?.roomId, now.get(taken)?.roomId, now.get(expired)?.roomId], ['r1', 'r2', 'r1']);
      assert.deepEqual(await directory.refreshMany([], 30), []);
    });

    it('forgets an entry after its time to live', async () => {
      const id = randomUUID();
      await directory.put(entry(id, 'r1'), 1);
      assert.equal((await directory.get([id, randomUUID()])).size, 1);
      await new Promise((done) => setTimeout(done, 1_100));
      assert.equal((await directory.get([id])).size, 0);
    });

    it('counts online characters per area, once each, leaving out expired entries', async () => {
      const empty = await kind.openEmpty();
      try {
        assert.deepEqual(await empty.directory.countByArea(), { town: 0, field: 0, dungeon: 0 });
        const hopper = randomUUID();
        await empty.directory.put(entry(hopper, 'r1'), 30);
        await empty.directory.put({ ...entry(hopper, 'r2'), area: 'dungeon' }, 30);
        await empty.directory.put(entry(randomUUID(), 'r3'), 30);
        await empty.directory.put({ ...entry(randomUUID(), 'r4'), area: 'field' }, 30);
        await empty.directory.put({ ...entry(randomUUID(), 'r5'), area: 'field' }, 1);
        assert.deepEqual(await empty.directory.countByArea(), { town: 1, field: 2, dungeon: 1 });
        await new Promise((done) => setTimeout(done, 1_100));
        assert.deepEqual(await empty.directory.countByArea(), { town: 1, field: 1, dungeon: 1 });
      } finally {
        await empty.close();
      }
    });
  });
}
