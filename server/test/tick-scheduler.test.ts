import assert from 'node:assert/strict';
import { cycleForBeat, spread, TickScheduler, type TickTimers } from '../src/game/tick-scheduler.js';

/**
 * A clock that moves only when told: `advance` runs the timers that come due in order, each at
 * its time; a step that "takes" time moves the clock itself (`spend`), as a long tick or a
 * collection holding the event loop does.
 */
class FakeTimers implements TickTimers {
  time = 1000;
  /** Every delay asked for. */
  readonly delays: number[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; run: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): number {
    const id = this.nextId++;
    this.delays.push(ms);
    this.pending.set(id, { at: this.time + Math.max(0, ms), run });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.pending.delete(timer as number);
  }

  spend(ms: number): void {
    this.time += ms;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let next: [number, { at: number; run: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.pending.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].run();
    }
    this.time = Math.max(this.time, until);
  }
}

const PERIOD = 40;
const fail = (error: unknown) => assert.fail(String(error));
const phaseOf = (at: number) => ((at % PERIOD) + PERIOD) % PERIOD;

describe('TickScheduler', () => {
  it('hands out phases spread over the period, halving the gaps as steps come', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(spread), [0, 0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875]);
  });

  it('runs each step once a period at a phase of its own', () => {
    const timers = new FakeTimers();
    const scheduler = new TickScheduler(PERIOD, { timers });
    const starts: number[][] = [[], [], [], []];
    for (const list of starts) scheduler.every(() => void list.push(timers.now()), fail);
    timers.advance(PERIOD * 10);
    for (const list of starts) {
      assert.equal(list.length, 10);
      for (let i = 1; i < list.length; i += 1) assert.equal(list[i]! - list[i - 1]!, PERIOD);
    }
    assert.deepEqual(starts.map((list) => phaseOf(list[0]!)), [0, 20, 10, 30]);
  });

  it('asks for whole milliseconds, never earlier than due (one Node timer list per distinct delay)', () => {
    const timers = new FakeTimers();
    timers.time = 1000.37;
    const scheduler = new TickScheduler(PERIOD, { timers });
    const starts: number[] = [];
    scheduler.every(() => {
      starts.push(timers.now());
      timers.spend(0.61);
    }, fail);
    timers.advance(PERIOD * 5);
    assert.ok(timers.delays.every((ms) => Number.isInteger(ms)), `delays ${timers.delays.join(', ')}`);
    assert.ok(starts.every((at) => at >= 1040 && phaseOf(at) < 1), `starts ${starts.join(', ')}`);
  });

  it('keeps to its phase when the loop is late, where an interval would fall in step with the others', () => {
    const timers = new FakeTimers();
    const scheduler = new TickScheduler(PERIOD, { timers });
    const first: number[] = [];
    const second: number[] = [];
    let holdOnce = true;
    scheduler.every(() => {
      first.push(timers.now());
      // One tick holds the loop for 30 ms: the other room's turn (20 ms later) runs late.
      if (first.length === 3 && holdOnce) {
        holdOnce = false;
        timers.spend(30);
      }
    }, fail);
    scheduler.every(() => void second.push(timers.now()), fail);
    timers.advance(PERIOD * 8);
    // The second room ran 10 ms late once, then went back to its phase (20 ms after the first).
    assert.ok(second.some((at) => phaseOf(at) === 30), `a late turn: ${second.map(phaseOf).join(', ')}`);
    assert.deepEqual(second.slice(-4).map(phaseOf), [20, 20, 20, 20]);
    assert.deepEqual(first.slice(-4).map(phaseOf), [0, 0, 0, 0]);
  });

  it('runs a turn that came due while the step ran at once, late, and then goes back to its phase', () => {
    const timers = new FakeTimers();
    const scheduler = new TickScheduler(PERIOD, { timers });
    const starts: number[] = [];
    scheduler.every(() => {
      starts.push(timers.now());
      // The second turn starts 6 ms late (something else held the loop) and takes 38 ms: it ends
      // 4 ms after the third was due.
      if (starts.length === 1) timers.spend(PERIOD + 6);
      else if (starts.length === 2) timers.spend(38);
    }, fail);
    timers.advance(PERIOD * 6);
    assert.deepEqual(starts.slice(0, 5), [1040, 1086, 1124, 1160, 1200]);
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    assert.ok(gaps.every((gap) => gap <= PERIOD + 6), `gaps ${gaps.join(', ')}`);
  });

  it('skips the turns a long stall missed instead of running them back to back', () => {
    const timers = new FakeTimers();
    const scheduler = new TickScheduler(PERIOD, { timers });
    const starts: number[] = [];
    scheduler.every(() => {
      starts.push(timers.now());
      if (starts.length === 2) timers.spend(PERIOD * 3.4);
    }, fail);
    timers.advance(PERIOD * 10);
    // 1,080 held the loop until 1,216: one late turn runs then for the turns of 1,120 to 1,200,
    // and 1,240 is next, at the phase again.
    assert.deepEqual(starts.slice(0, 6), [1040, 1080, 1216, 1240, 1280, 1320]);
    assert.ok(starts.filter((at) => at !== 1216).every((at) => phaseOf(at) === 0), `phases ${starts.map(phaseOf).join(', ')}`);
  });

  it('stops a step for good, and gives its phase to the next', () => {
    const timers = new FakeTimers();
    const scheduler = new TickScheduler(PERIOD, { timers });
    let runs = 0;
    const handle = scheduler.every(() => void (runs += 1), fail);
    const other: number[] = [];
    scheduler.every(() => void other.push(timers.now()), fail);
    timers.advance(PERIOD * 3);
    handle.stop();
    handle.stop();
    assert.equal(runs, 3);
    timers.advance(PERIOD * 3);
    assert.equal(runs, 3);
    const next: number[] = [];
    scheduler.every(() => void next.push(timers.now()), fail);
    timers.advance(PERIOD * 2);
    assert.deepEqual(next.map(phaseOf), [0, 0], 'the freed phase 0, not a third one');
    assert.ok(other.every((at) => phaseOf(at) === 20));
  });

  it('hands what a step throws to its error handler, and goes on', () => {
    const timers = new FakeTimers();
    const scheduler = new TickScheduler(PERIOD, { timers });
    let runs = 0;
    const errors: unknown[] = [];
    scheduler.every(
      () => {
        runs += 1;
        if (runs === 1) throw new Error('first tick fails');
      },
      (error) => errors.push(error),
    );
    timers.advance(PERIOD * 4);
    assert.equal(runs, 4);
    assert.deepEqual(errors.map((error) => (error as Error).message), ['first tick fails']);
  });

  it('keeps the turns going when the error handler itself throws, whose exception goes on to the caller', () => {
    const timers = new FakeTimers();
    const scheduler = new TickScheduler(PERIOD, { timers });
    let runs = 0;
    scheduler.every(
      () => {
        runs += 1;
        if (runs === 1) throw new Error('first tick fails');
      },
      () => {
        throw new Error('the handler fails too');
      },
    );
    assert.throws(() => timers.advance(PERIOD), /the handler fails too/);
    timers.advance(PERIOD * 3);
    assert.equal(runs, 4);
  });

  it('runs on the process\'s own timers by default', async () => {
    const scheduler = new TickScheduler(10);
    let runs = 0;
    const handle = scheduler.every(() => void (runs += 1), fail);
    await new Promise((done) => setTimeout(done, 100));
    handle.stop();
    assert.ok(runs >= 3 && runs <= 11, `about one a period: ${runs}`);
  });

  it('spreads over a cycle of several periods the turns that open each step\'s cycles, every step still once a period', () => {
    const timers = new FakeTimers();
    const CYCLE = PERIOD * 2;
    const scheduler = new TickScheduler(PERIOD, { cycleMs: CYCLE, timers });
    const starts: number[][] = [[], [], [], []];
    const opens = starts.map((list) => timers.now() + scheduler.every(() => void list.push(timers.now()), fail).cycleOpensInMs);
    timers.advance(CYCLE * 5);
    for (const list of starts) {
      assert.ok(list.length >= 9, `${list.length} turns in five cycles`);
      for (let i = 1; i < list.length; i += 1) assert.equal(list[i]! - list[i - 1]!, PERIOD);
    }
    assert.deepEqual(starts.map((list) => list[0]), opens, 'the first turn opens the first cycle');
    // Cycle phases 0, 1/2, 1/4, 3/4 of the cycle: two steps on each of two phases of the period,
    // one opening its cycle where the other is halfway through its own.
    assert.deepEqual(opens.map((at) => at % CYCLE), [0, 40, 20, 60]);
    assert.deepEqual(starts.map((list) => phaseOf(list[0]!)), [0, 0, 20, 20]);
  });

  it('takes the beat as its cycle when the beat is a whole number of periods, else the period', () => {
    assert.equal(cycleForBeat(50, 100), 100);
    assert.equal(cycleForBeat(1000 / 30, 100), 100);
    assert.equal(cycleForBeat(1000 / 15, 100), 1000 / 15);
    assert.equal(cycleForBeat(200, 100), 200);
    assert.equal(cycleForBeat(100, 100), 100);
  });

  it('refuses a period that is not positive, and a cycle that is not a whole number of periods', () => {
    assert.throws(() => new TickScheduler(0), RangeError);
    assert.throws(() => new TickScheduler(40, { cycleMs: 60 }), /whole number of periods/);
    assert.throws(() => new TickScheduler(40, { cycleMs: 20 }), /whole number of periods/);
    assert.doesNotThrow(() => new TickScheduler(1000 / 30, { cycleMs: 100 }));
  });
});
