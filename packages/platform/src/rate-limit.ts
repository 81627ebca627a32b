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

  /**
   * Counts one attempt against `key`; throws `RATE_LIMITED` once the window's budget is spent.
   * An attempt refused because the budget is already spent is not counted, so that a stranger
   * hammering a key cannot keep it refused past its window.
   */
  async consume(key: string): Promise<void> {
    await this.check(key);
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

export interface FailureBackoffOptions {
  /** Distinguishes this backoff's keys from every other's. */
  name: string;
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; each further failure doubles it. */
  baseSeconds: number;
  /** The longest wait, however many failures. */
  maxSeconds: number;
  /** A key's failures are forgotten this long after its last one. */
  forgetSeconds: number;
  /** Shared counters across processes; in-process counters without it. */
  redis?: Redis;
  /** Milliseconds since the epoch; `Date.now` by default. */
  clock?: () => number;
}

const MEMORY_SWEEP_SIZE = 10_000;

interface FailureState {
  failures: number;
  lastFailureAt: number;
}

/** The outcome of `FailureBackoff.attempt`. */
export interface BackoffAttempt {
  /** Seconds still to wait; 0 when the attempt was allowed and counted. */
  waitSeconds: number;
  /** Takes the counted failure back exactly (the attempt was refused elsewhere, or succeeded). */
  undo(): Promise<void>;
}

/** Counts a failure unless the key must wait; the decision and the count are one step. */
const ATTEMPT_SCRIPT = `
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'lastFailureAt') or '0')
local now, free, base, max, forget, force = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
if force ~= '1' and failures >= free then
  local delay = math.min(max, base * 2 ^ math.min(failures - free, 30)) * 1000
  if last + delay > now then return {last + delay - now, failures, last} end
end
redis.call('HSET', KEYS[1], 'failures', failures + 1, 'lastFailureAt', now)
redis.call('EXPIRE', KEYS[1], forget)
return {0, failures, last}
`;

const UNDO_SCRIPT = `
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if failures <= 1 then redis.call('DEL', KEYS[1]) return 0 end
redis.call('HSET', KEYS[1], 'failures', failures - 1, 'lastFailureAt', ARGV[1])
return 0
`;

/**
 * Exponential backoff on failures per key (an account and an address): after `freeFailures`
 * failures, the key must wait `baseSeconds`, then twice that after each further failure, up
 * to `maxSeconds`. Unlike a fixed window it never locks a key for long after a few failures,
 * and attempts refused while waiting are not failures, so hammering does not prolong the wait.
 *
 * An attempt is counted as a failure when it is allowed, before the password is checked, so
 * that parallel guesses cannot all pass under the budget; a success takes it back.
 */
export class FailureBackoff {
  private readonly memory = new Map<string, FailureState>();
  private readonly clock: () => number;

  constructor(private readonly options: FailureBackoffOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Counts one failure against `key` unless it must wait (then counts nothing). With `force`,
   * counts it whatever the wait (a caller allowed through by another rule).
   */
  async attempt(key: string, force = false): Promise<BackoffAttempt> {
    const now = this.clock();
    const { freeFailures, baseSeconds, maxSeconds, forgetSeconds, redis } = this.options;
    let waitMs: number;
    let previous: FailureState;
    if (redis) {
      const [wait, failures, last] = (await redis.eval(ATTEMPT_SCRIPT, 1, this.redisKey(key), now, freeFailures, baseSeconds, maxSeconds, forgetSeconds, force ? '1' : '0')) as number[];
      waitMs = Number(wait);
      previous = { failures: Number(failures), lastFailureAt: Number(last) };
    } else {
      previous = this.readMemory(key) ?? { failures: 0, lastFailureAt: 0 };
      waitMs = force ? 0 : previous.lastFailureAt + this.delayMs(previous.failures) - now;
      if (waitMs <= 0) {
        this.memory.set(key, { failures: previous.failures + 1, lastFailureAt: now });
        if (this.memory.size > MEMORY_SWEEP_SIZE) this.sweep();
      }
    }
    if (waitMs > 0) return { waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)), undo: async () => {} };
    return { waitSeconds: 0, undo: () => this.restore(key, previous) };
  }

  /** Forgets every failure of `key`, e.g. after a successful login from it. */
  async reset(key: string): Promise<void> {
    if (this.options.redis) await this.options.redis.del(this.redisKey(key));
    else this.memory.delete(key);
  }

  private delayMs(failures: number): number {
    if (failures < this.options.freeFailures) return 0;
    const exponent = Math.min(failures - this.options.freeFailures, 30);
    return Math.min(this.options.maxSeconds, this.options.baseSeconds * 2 ** exponent) * 1000;
  }

  /**
   * Takes one failure back and puts back the time of the one before. A decrement rather than
   * a restored snapshot, so that failures counted meanwhile by parallel attempts stay counted.
   */
  private async restore(key: string, previous: FailureState): Promise<void> {
    if (this.options.redis) {
      await this.options.redis.eval(UNDO_SCRIPT, 1, this.redisKey(key), previous.lastFailureAt);
      return;
    }
    const state = this.memory.get(key);
    if (!state) return;
    if (state.failures <= 1) this.memory.delete(key);
    else this.memory.set(key, { failures: state.failures - 1, lastFailureAt: previous.lastFailureAt });
  }

  /** Drops forgotten keys, so that a flood of distinct keys cannot grow memory for ever. */
  private sweep(): void {
    for (const key of [...this.memory.keys()]) this.readMemory(key);
  }

  private redisKey(key: string): string {
    return `mmo:backoff:${this.options.name}:${key}`;
  }

  private readMemory(key: string): FailureState | undefined {
    const state = this.memory.get(key);
    if (state && this.clock() - state.lastFailureAt > this.options.forgetSeconds * 1000) {
      this.memory.delete(key);
      return undefined;
    }
    return state;
  }
}
