import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { BusEvent } from '@mmo/shared';
import type { Redis } from 'ioredis';
import { LocalEventBus } from '../src/bus/local-event-bus.js';
import { RedisEventBus } from '../src/bus/redis-event-bus.js';
import type { EventBus } from '../src/bus/event-bus.js';
import { createSilentLogger } from '../src/logger.js';
import { createRedis } from '../src/redis.js';
import { waitUntil } from '../src/testing/index.js';

/**
 * One contract for every EventBus. `connect` returns two buses as two processes would hold
 * them (the same one for the in-process bus) and a way to inject raw text on the wire.
 */
interface BusFixture {
  a: EventBus;
  b: EventBus;
  injectRaw?: (topic: string, text: string) => Promise<void>;
  close(): Promise<void>;
}

const implementations: Array<{ name: string; connect(): Promise<BusFixture> }> = [
  {
    name: 'LocalEventBus',
    async connect() {
      const bus = new LocalEventBus(createSilentLogger());
      return { a: bus, b: bus, close: () => bus.close() };
    },
  },
];

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  implementations.push({
    name: 'RedisEventBus',
    async connect() {
      const connections: Redis[] = [0, 1, 2, 3].map((i) => createRedis(redisUrl, `bus-test-${i}`, createSilentLogger()));
      const [pubA, subA, pubB, subB] = connections as [Redis, Redis, Redis, Redis];
      const a = new RedisEventBus(pubA, subA, createSilentLogger());
      const b = new RedisEventBus(pubB, subB, createSilentLogger());
      return {
        a,
        b,
        injectRaw: async (topic, text) => {
          await pubA.publish(`mmo:bus:${topic}`, text);
        },
        async close() {
          await a.close();
          await b.close();
          await Promise.all(connections.map((c) => c.quit()));
        },
      };
    },
  });
}

function revocation(): BusEvent<'auth.session_revoked'> {
  return { sessionId: randomUUID(), accountId: randomUUID(), until: Date.now() + 60_000 };
}

for (const implementation of implementations) {
  describe(`EventBus contract: ${implementation.name}`, () => {
    let fixture: BusFixture;
    beforeEach(async () => {
      fixture = await implementation.connect();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('delivers a published event to a subscriber of the other process', async () => {
      const received: BusEvent<'auth.session_revoked'>[] = [];
      await fixture.b.subscribe('auth.session_revoked', (event) => void received.push(event));
      const event = revocation();
      await fixture.a.publish('auth.session_revoked', event);
      await waitUntil(() => received.length === 1, 2000);
      assert.deepEqual(received[0], event);
    });

    it('delivers one event to every subscriber', async () => {
      let count = 0;
      await fixture.b.subscribe('auth.session_revoked', () => void count++);
      await fixture.b.subscribe('auth.session_revoked', () => void count++);
      await fixture.a.publish('auth.session_revoked', revocation());
      await waitUntil(() => count === 2, 2000);
    });

    it('stops delivering once the subscription is ended', async () => {
      let count = 0;
      const unsubscribe = await fixture.b.subscribe('auth.session_revoked', () => void count++);
      await unsubscribe();
      let witness = 0;
      await fixture.b.subscribe('auth.session_revoked', () => void witness++);
      await fixture.a.publish('auth.session_revoked', revocation());
      await waitUntil(() => witness === 1, 2000);
      assert.equal(count, 0);
    });

    it('refuses to publish a payload that does not match its schema', async () => {
      const bad = { sessionId: 'not-a-uuid', accountId: randomUUID(), until: 1 };
      await assert.rejects(fixture.a.publish('auth.session_revoked', bad));
    });

    it('keeps delivering to other handlers when one handler throws', async () => {
      let delivered = 0;
      await fixture.b.subscribe('auth.session_revoked', () => {
        throw new Error('handler bug');
      });
      await fixture.b.subscribe('auth.session_revoked', () => void delivered++);
      await fixture.a.publish('auth.session_revoked', revocation());
      await fixture.a.publish('auth.session_revoked', revocation());
      await waitUntil(() => delivered === 2, 2000);
    });

    if (implementation.name !== 'RedisEventBus') return;

    it('drops malformed events from the wire without calling handlers', async () => {
      assert.ok(fixture.injectRaw);
      const received: unknown[] = [];
      await fixture.b.subscribe('auth.session_revoked', (event) => void received.push(event));
      await fixture.injectRaw('auth.session_revoked', 'not json');
      await fixture.injectRaw('auth.session_revoked', JSON.stringify({ sessionId: 'x' }));
      const good = revocation();
      await fixture.a.publish('auth.session_revoked', good);
      await waitUntil(() => received.length >= 1, 2000);
      assert.deepEqual(received, [good]);
    });
  });
}
