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

  /** Gives back one attempt, e.g. when a counted attempt turned out to be legitimate. */
  async refund(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
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

/**
 * The key an address is rate-limited under. One IPv6 subscriber usually holds a whole /64, so
 * IPv6 addresses count by their /64 prefix; IPv4 (also when mapped into IPv6) by the address.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = ip.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
