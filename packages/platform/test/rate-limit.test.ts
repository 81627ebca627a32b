import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../src/errors.js';
import { addressKey, RateLimiter } from '../src/rate-limit.js';
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
