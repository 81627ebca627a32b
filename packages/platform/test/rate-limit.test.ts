import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../src/errors.js';
import { addressKey, FailureBackoff, RateLimiter } from '../src/rate-limit.js';
import { createSilentLogger } from '../src/logger.js';
import { createRedis } from '../src/redis.js';

const variants: Array<{ name: string; make(points: number): { limiter: RateLimiter; close(): Promise<void> } }> = [
  { name: 'in memory', make: (points) => ({ limiter: new RateLimiter({ name: 't', points, windowSeconds: 60 }), close: async () => {} }) },
];
const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  variants.push({
    name: 'on Redis',
    make(points) {
      const redis = createRedis(redisUrl, 'rate-limit-test', createSilentLogger());
      const limiter = new RateLimiter({ name: `t-${randomUUID()}`, points, windowSeconds: 60, redis });
      return { limiter, close: async () => void (await redis.quit()) };
    },
  });
}

for (const variant of variants) {
  describe(`RateLimiter ${variant.name}`, () => {
    it('throws RATE_LIMITED with a Retry-After once the budget is spent', async () => {
      const { limiter, close } = variant.make(2);
      try {
        await limiter.consume('k');
        await limiter.consume('k');
        await assert.rejects(limiter.consume('k'), (error: unknown) => {
          assert.ok(error instanceof DomainError);
          assert.equal(error.code, 'RATE_LIMITED');
          assert.ok(error.extra.retryAfterSeconds !== undefined && error.extra.retryAfterSeconds >= 1);
          return true;
        });
        await limiter.consume('other-key');
      } finally {
        await close();
      }
    });

    it('lets a key through again after reset', async () => {
      const { limiter, close } = variant.make(1);
      try {
        await limiter.consume('k');
        await assert.rejects(limiter.check('k'));
        await limiter.reset('k');
        await limiter.check('k');
      } finally {
        await close();
      }
    });
  });
}

describe('addressKey', () => {
  it('keys IPv4 by address, also when mapped into IPv6', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it('keys IPv6 by its /64 prefix, however it is written', () => {
    assert.equal(addressKey('2001:db8:0001:0002:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2::ffff'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
  });
});

for (const where of ['in memory', ...(redisUrl ? ['on Redis'] : [])]) {
  describe(`FailureBackoff ${where}`, () => {
    let now = Date.UTC(2026, 10, 30, 12);
    const make = () => {
      const redis = where === 'on Redis' ? createRedis(redisUrl!, 'backoff-test', createSilentLogger()) : undefined;
      const backoff = new FailureBackoff({ name: `b-${randomUUID()}`, freeFailures: 2, baseSeconds: 2, maxSeconds: 16, forgetSeconds: 3600, clock: () => now, ...(redis ? { redis } : {}) });
      return { backoff, close: async () => void (await redis?.quit()) };
    };

    it('waits 2, 4, 8 then at most 16 s after the free failures, and does not count refused attempts', async () => {
      const { backoff, close } = make();
      try {
        assert.equal((await backoff.attempt('k')).waitSeconds, 0);
        assert.equal((await backoff.attempt('k')).waitSeconds, 0);
        const waits: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          const refused = await backoff.attempt('k');
          waits.push(refused.waitSeconds);
          // Hammering while refused changes nothing.
          assert.equal((await backoff.attempt('k')).waitSeconds, refused.waitSeconds);
          now += refused.waitSeconds * 1000;
          assert.equal((await backoff.attempt('k')).waitSeconds, 0);
        }
        assert.deepEqual(waits, [2, 4, 8, 16, 16]);
      } finally {
        await close();
      }
    });

    it('takes back a counted failure with undo and forgets everything with reset', async () => {
      const { backoff, close } = make();
      try {
        await backoff.attempt('k');
        const second = await backoff.attempt('k');
        await second.undo();
        assert.equal((await backoff.attempt('k')).waitSeconds, 0, 'the undone failure left a free one');
        assert.ok((await backoff.attempt('k')).waitSeconds > 0);
        await backoff.reset('k');
        assert.equal((await backoff.attempt('k')).waitSeconds, 0);
      } finally {
        await close();
      }
    });
  });
}
