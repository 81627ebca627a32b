import { ErrorCode } from '@mmo/shared';
import { DomainError } from './errors.js';

export interface WorkQueueOptions {
  /** Tasks run at once (for CPU-bound work such as password hashing: about the cores). */
  concurrency: number;
  /** Tasks allowed to wait; one more is refused at once with 503 `SERVICE_UNAVAILABLE`. */
  maxWaiting: number;
  /** The `Retry-After` of a refusal, in seconds. */
  retryAfterSeconds?: number;
}

/** Thrown for a task whose caller went away while it waited: nobody is left to answer. */
export class CallerGoneError extends Error {
  constructor() {
    super('the caller went away before its turn');
    this.name = 'CallerGoneError';
  }
}

/**
 * A bounded queue of expensive work that sheds load rather than piling it up: when more
 * than `maxWaiting` tasks wait, a new one is refused at once (503 with `Retry-After`), and a
 * task whose caller has gone (a closed connection) is dropped when its turn comes instead of
 * burning the work nobody will read. Without it, a login flood queued every hash on libuv's
 * pool and answered, much later, callers that had long given up.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Counters for measurement: tasks run, refused for a full queue, dropped for a gone caller. */
  readonly stats = { ran: 0, shed: 0, dropped: 0 };

  constructor(private readonly options: WorkQueueOptions) {}

  /** Runs `task` in its turn; `isGone` is asked just before it starts. */
  async run<T>(task: () => Promise<T>, isGone: () => boolean = () => false): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.maxWaiting) {
        this.stats.shed += 1;
        throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The server is busy; try again shortly.', {
          retryAfterSeconds: this.options.retryAfterSeconds ?? 1,
        });
      }
      await new Promise<void>((turn) => this.waiting.push(turn));
    } else {
      this.running += 1;
    }
    // The slot is ours here (handed over by `release`, or taken above).
    try {
      if (isGone()) {
        this.stats.dropped += 1;
        throw new CallerGoneError();
      }
      this.stats.ran += 1;
      return await task();
    } finally {
      this.release();
    }
  }

  /** Waiting tasks now. */
  get depth(): number {
    return this.waiting.length;
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next task, so `running` stays counted for it.
    if (next) next();
    else this.running -= 1;
  }
}
