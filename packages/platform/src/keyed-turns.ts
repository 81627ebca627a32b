import { ErrorCode } from '@mmo/shared';
import { DomainError } from './errors.js';

export interface KeyedTurnsOptions {
  /** Tasks allowed to wait on one key; one more is refused at once with 503 `SERVICE_UNAVAILABLE`. */
  maxWaitingPerKey: number;
  /** The `Retry-After` of a refusal, in seconds. */
  retryAfterSeconds?: number;
}

interface Line {
  /** Tasks of the key running or waiting. */
  count: number;
  /** Settles when the last task queued on the key has finished. */
  tail: Promise<void>;
}

/**
 * One task at a time per key in this process, in the order they came. Work that takes a
 * database row lock of its key (a character's inventory) waits here, in memory, for the
 * process's earlier tasks on that key, instead of each holding a pooled connection while it
 * waits for the lock: a burst on one character no longer starves the pool for everyone else.
 * The row lock still orders this process against the others. Bounded: past `maxWaitingPerKey`
 * waiting on one key, a new task is refused at once (503 with `Retry-After`). Keys with
 * nothing queued hold no memory.
 */
export class KeyedTurns {
  private readonly lines = new Map<string, Line>();

  constructor(private readonly options: KeyedTurnsOptions) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let line = this.lines.get(key);
    if (!line) {
      line = { count: 0, tail: Promise.resolve() };
      this.lines.set(key, line);
    }
    // One of the `count` is running; the rest wait.
    if (line.count > this.options.maxWaitingPerKey) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Too many changes of this at once; try again shortly.', {
        retryAfterSeconds: this.options.retryAfterSeconds ?? 1,
      });
    }
    line.count += 1;
    const before = line.tail;
    let done!: () => void;
    line.tail = new Promise<void>((resolve) => (done = resolve));
    await before;
    try {
      return await task();
    } finally {
      done();
      line.count -= 1;
      if (line.count === 0) this.lines.delete(key);
    }
  }

  /** Keys with a task running or waiting. */
  get busyKeys(): number {
    return this.lines.size;
  }
}
