import { WorkQueue, type WorkQueueOptions } from './work-queue.js';

/** A `WorkQueue`'s bounds, for each key's queue (`maxWaiting`: tasks waiting on one key). */
export type KeyedTurnsOptions = Omit<WorkQueueOptions, 'concurrency'>;

interface Line {
  queue: WorkQueue;
  /** Calls of the key not ended yet: running, waiting, or being refused. */
  count: number;
}

/**
 * One task at a time per key in this process, in the order they came: a `WorkQueue` of
 * concurrency 1 per key, made when a key gets work and dropped when its last task ends. Work
 * that takes a database lock of its key (a character's inventory) waits here, in memory, for
 * the process's earlier tasks on that key, instead of each holding a pooled connection while it
 * waits for the lock: a burst on one character no longer starves the pool for everyone else.
 * The database lock still orders this process against the others. As in `WorkQueue`, past
 * `maxWaiting` waiting on one key a new task is refused at once (503 with `Retry-After`),
 * and a task whose caller has gone when its turn comes is dropped (`CallerGoneError`) rather
 * than run for nobody: a client that gave up and sent its change again gets it done once.
 */
export class KeyedTurns {
  private readonly lines = new Map<string, Line>();

  constructor(private readonly options: KeyedTurnsOptions) {
    if (!Number.isInteger(options.maxWaiting) || options.maxWaiting < 0) {
      throw new RangeError(`maxWaiting must be a whole number of tasks, not ${options.maxWaiting}`);
    }
  }

  /** Runs `task` in its key's turn; `isGone` is asked just before it starts. */
  async run<T>(key: string, task: () => Promise<T>, isGone?: () => boolean): Promise<T> {
    let line = this.lines.get(key);
    if (!line) {
      line = { queue: new WorkQueue({ ...this.options, concurrency: 1 }), count: 0 };
      this.lines.set(key, line);
    }
    line.count += 1;
    try {
      return await line.queue.run(task, isGone);
    } finally {
      // Run, refused or dropped: the key is forgotten once nothing of it is left.
      line.count -= 1;
      if (line.count === 0) this.lines.delete(key);
    }
  }

  /** Keys with a task running or waiting. */
  get busyKeys(): number {
    return this.lines.size;
  }
}
