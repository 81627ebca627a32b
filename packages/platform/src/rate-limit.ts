import { ErrorCode } from '@mmo/shared';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { DomainError } from './errors.js';

export interface RateLimitOptions {
  /** Distinguishes this limit's keys from every other's. */
  name: string;
  /** Attempts allowed per window. */
  points: number;
  windowSeconds: number;
  /** Shared counters across processes; in-process counters without it. */
  redis?: Redis;
}

/**
 * A fixed-window limit on attempts per key (an IP, an account). Over the limit, `consume`
 * throws `RATE_LIMITED` carrying the seconds to wait, which the HTTP edge sends as
 * `Retry-After`.
 */
export class RateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(options: RateLimitOptions) {
    const base = { keyPrefix: `mmo:rl:${options.name}`, points: options.points, duration: options.windowSeconds };
    this.limiter = options.redis
      ? new RateLimiterRedis({
          ...base,
          storeClient: options.redis,
          // While Redis is unreachable, limits still hold per process rather than vanish.
          insuranceLimiter: new RateLimiterMemory(base),
        })
      : new RateLimiterMemory(base);
  }

  /** Counts one attempt against `key`; throws `RATE_LIMITED` once the window's budget is spent. */
  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext);
      throw error;
    }
  }

  /** Throws `RATE_LIMITED` if the budget is already spent, without counting an attempt. */
  async check(key: string): Promise<void> {
    const state = await this.limiter.get(key);
    if (state && state.remainingPoints <= 0) throw rateLimited(state.msBeforeNext);
  }

  /** Clears `key`'s count, e.g. after a successful login. */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

function rateLimited(msBeforeNext: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });
}
