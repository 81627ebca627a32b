import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../src/errors.js';
import { RateLimiter } from '../src/rate-limit.js';
import { createRedis } from '../src/redis.js';

const variants: Array<{ name: string; make(points: number): { limiter: RateLimiter; close(): Promise<void> } }> = [
  { name: 'in memory', make: (points) => ({ limiter: new RateLimiter({ name: 't', points, windowSeconds: 60 }), close: async () => {} }) },
];
const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  variants.push({
    name: 'on Redis',
    make(points) {
      const redis = createRedis(redisUrl, 'rate-limit-test');
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
