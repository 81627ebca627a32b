/**
 * The fixed-rate steps of every room in one process, each at a phase of its own.
 *
 * A room's `setInterval` re-arms from the moment its callback ran: whenever the event loop is
 * late, every interval that came due meanwhile runs in one go and re-arms within a millisecond
 * or two of the others. Phases merge a little at each delay and never part again, until the
 * process's rooms tick back to back, one long run of steps per period, and the last of them
 * starts late by the length of the others, while nothing else (reading the clients) can run.
 *
 * Here each step keeps its own phase: the next is due one period after the previous was due
 * (not after it ran), and phases are handed out spread over the period (0, 1/2, 1/4, 3/4,
 * 1/8 ... of it, the lowest free first), so that N rooms take N evenly spaced turns.
 *
 * With a cycle of several periods (`cycleMs`), the phases are spread over the cycle instead and
 * each step runs every period at its phase's place in the period: the turns that open its cycles
 * (the first, then one every cycle) are spread over the cycle as evenly as the turns are over the
 * period without one. Rooms heavier on some turns than on others (the movement beat,
 * `STEP_BEAT_MS`: most frames leave on the beat's turns) open their cycles on those, so that the
 * process's heavy turns are spread over the cycle: with a cycle of two periods, the rooms pair
 * up on the period's phases, one on its beat and one off it at each.
 *
 * A turn that came due while the loop was busy (this room's own long step, or anything else)
 * runs as soon as the loop is free, late, and the next goes back to the phase. Only turns missed
 * by a whole period or more are skipped: one late turn stands for all of them, rather than a
 * burst of steps. (Skipping every turn that is late at all made a 45 ms step that started 6 ms
 * late into a 100 ms gap: a missed turn where a 51 ms one would have done.)
 */
export class TickScheduler {
  /** Phase indices in use (index k: phase `spread(k)` of the cycle). */
  private readonly used = new Set<number>();
  readonly periodMs: number;
  /** The span the phases are spread over: the period, or a whole number of periods. */
  readonly cycleMs: number;
  private readonly timers: TickTimers;

  constructor(periodMs: number, options: { cycleMs?: number; timers?: TickTimers } = {}) {
    if (!(periodMs > 0)) throw new RangeError(`a tick period must be positive, not ${periodMs}`);
    const cycleMs = options.cycleMs ?? periodMs;
    if (wholePeriodsIn(cycleMs, periodMs) < 1) {
      throw new RangeError(`a cycle must be a whole number of periods (${periodMs} ms), not ${cycleMs} ms`);
    }
    this.periodMs = periodMs;
    this.cycleMs = cycleMs;
    this.timers = options.timers ?? realTimers;
  }

  /**
   * Runs `step` once per period at a phase of its own, until `stop()`; what it throws goes to
   * `onError`, and the steps go on. `cycleOpensInMs`: from now to the first turn, which opens
   * the step's first cycle (one opens every `cycleMs` after).
   */
  every(step: () => void, onError: (error: unknown) => void): { stop(): void; readonly cycleOpensInMs: number } {
    let index = 0;
    while (this.used.has(index)) index += 1;
    this.used.add(index);
    const { periodMs, cycleMs, timers } = this;
    const phase = spread(index) * cycleMs;
    const start = timers.now();
    // The first turn at this phase of the cycle after now.
    let due = start - (start % cycleMs) + phase;
    if (due <= start) due += cycleMs;
    const cycleOpensInMs = due - start;
    let timer: unknown;
    let stopped = false;
    const run = () => {
      if (stopped) return;
      try {
        step();
      } catch (error) {
        onError(error);
      } finally {
        // Even when `onError` throws: its exception goes on to the process, the turns go on here.
        if (!stopped) {
          due += periodMs;
          const now = timers.now();
          // A turn already due runs at once; those missed by a whole period are skipped.
          if (now - due >= periodMs) due += Math.floor((now - due) / periodMs) * periodMs;
          timer = timers.setTimeout(run, delayTo(due, now));
        }
      }
    };
    timer = timers.setTimeout(run, delayTo(due, start));
    return {
      cycleOpensInMs,
      stop: () => {
        if (stopped) return;
        stopped = true;
        timers.clearTimeout(timer);
        this.used.delete(index);
      },
    };
  }
}

/**
 * Whole milliseconds, rounded up: Node keeps one timer list per distinct delay, and fractional
 * delays would make one list per timer (thousands of them for the benchmark's bots). Node counts
 * the delay on libuv's millisecond clock, so a turn may still run up to a millisecond before
 * `due`; the next is due a period after `due` all the same.
 */
function delayTo(due: number, now: number): number {
  return Math.max(0, Math.ceil(due - now));
}

/** The clock and timers a scheduler runs on: the process's own, or a test's. */
export interface TickTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const realTimers: TickTimers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * The cycle for a scheduler of `periodMs` whose steps are heavier every `beatMs`: the beat when
 * it is a whole number of periods (two at 20 Hz and a beat of 100 ms), else the period (every
 * turn the same).
 */
export function cycleForBeat(periodMs: number, beatMs: number): number {
  return wholePeriodsIn(beatMs, periodMs) > 1 ? beatMs : periodMs;
}

/** How many periods `spanMs` holds when that is a whole number (33.3… ms three times in 100), else 0. */
function wholePeriodsIn(spanMs: number, periodMs: number): number {
  const periods = spanMs / periodMs;
  const whole = Math.round(periods);
  return Math.abs(periods - whole) < 1e-9 ? whole : 0;
}

/** The k-th point of the van der Corput sequence in base 2, in [0, 1): 0, 1/2, 1/4, 3/4, 1/8, 5/8 ... */
export function spread(k: number): number {
  let value = 0;
  let weight = 0.5;
  for (let rest = k; rest > 0; rest >>= 1, weight /= 2) if (rest & 1) value += weight;
  return value;
}
