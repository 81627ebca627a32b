// The metrics sink of both benchmark servers (ours and bare Colyseus): every tick and patch of
// every room, by start time, and the process's CPU and memory, over a window that the
// orchestrator opens ("start") and reads ("report") through stdin/stdout, one JSON line each.
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** A gap between two tick (or patch) starts of one room above this is a late tick. */
export const LATE_GAP_MS = 75;
/** Garbage collections that stopped the process at least this long are counted, and the late ticks whose gap spans one. */
export const LONG_GC_MS = 10;
/** The most late gaps and long collections a window keeps for matching them up (a saturated process has thousands). */
const KEPT_INTERVALS = 20_000;

export interface ServerFigures {
  clients: number;
  rooms: number;
  seconds: number;
  ticks: number;
  tickP50: number;
  tickP99: number;
  tickMaxGap: number;
  lateTicks: number;
  patchP50: number;
  patchP99: number;
  patchMaxGap: number;
  latePatches: number;
  cpuPercent: number;
  rssMb: number;
  heapMb: number;
  loopP99: number;
  /** Collections of LONG_GC_MS or more in the window, the longest, and the late tick gaps that spanned one. */
  longGcs: number;
  gcMaxPause: number;
  lateAcrossGc: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Durations and per-room start gaps of one kind of step (tick or patch). */
class Steps {
  readonly durations: number[] = [];
  private readonly lastStart = new Map<string, number>();
  maxGap = 0;
  late = 0;
  /** Each late gap's start and end (the two tick starts), up to KEPT_INTERVALS. */
  readonly lateGaps: number[] = [];

  record(roomId: string, startedAt: number, ms: number): void {
    this.durations.push(ms);
    const last = this.lastStart.get(roomId);
    this.lastStart.set(roomId, startedAt);
    if (last === undefined) return;
    const gap = startedAt - last;
    if (gap > this.maxGap) this.maxGap = gap;
    if (gap > LATE_GAP_MS) {
      this.late += 1;
      if (this.lateGaps.length < 2 * KEPT_INTERVALS) this.lateGaps.push(last, startedAt);
    }
  }

  reset(): void {
    this.durations.length = 0;
    this.maxGap = 0;
    this.late = 0;
    this.lateGaps.length = 0;
    // Start gaps span the window's opening only from the next step on.
    this.lastStart.clear();
  }

  forget(roomId: string): void {
    this.lastStart.delete(roomId);
  }
}

/** Metrics as `MapAreaDeps.metrics` takes them, plus the window's bookkeeping. */
export class BenchRecorder {
  private readonly ticks = new Steps();
  private readonly patches = new Steps();
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private cpuAtStart = process.cpuUsage();
  private startedAt = performance.now();
  /** Each long collection's start and end in the window (performance.now() time), up to KEPT_INTERVALS. */
  private readonly longGcs: number[] = [];
  private gcMaxPause = 0;

  constructor() {
    this.loop.enable();
    // Entries arrive after the collection, in a task of their own: matched with late gaps at the report.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.duration > this.gcMaxPause) this.gcMaxPause = entry.duration;
        if (entry.duration >= LONG_GC_MS && this.longGcs.length < 2 * KEPT_INTERVALS) this.longGcs.push(entry.startTime, entry.startTime + entry.duration);
      }
    }).observe({ entryTypes: ['gc'] });
  }

  recordTick(roomId: string, startedAt: number, ms: number): void {
    this.ticks.record(roomId, startedAt, ms);
  }

  recordPatch(roomId: string, startedAt: number, ms: number): void {
    this.patches.record(roomId, startedAt, ms);
  }

  /** A disposed room stops ticking: its last start must not make a gap with nothing. */
  forget(roomId: string): void {
    this.ticks.forget(roomId);
    this.patches.forget(roomId);
  }

  start(): void {
    this.ticks.reset();
    this.patches.reset();
    this.loop.reset();
    this.longGcs.length = 0;
    this.gcMaxPause = 0;
    this.cpuAtStart = process.cpuUsage();
    this.startedAt = performance.now();
  }

  report(clients: number, rooms: number): ServerFigures {
    const elapsedMs = performance.now() - this.startedAt;
    const cpu = process.cpuUsage(this.cpuAtStart);
    const memory = process.memoryUsage();
    return {
      clients,
      rooms,
      seconds: elapsedMs / 1000,
      ticks: this.ticks.durations.length,
      tickP50: percentile(this.ticks.durations, 50),
      tickP99: percentile(this.ticks.durations, 99),
      tickMaxGap: this.ticks.maxGap,
      lateTicks: this.ticks.late,
      patchP50: percentile(this.patches.durations, 50),
      patchP99: percentile(this.patches.durations, 99),
      patchMaxGap: this.patches.maxGap,
      latePatches: this.patches.late,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
      loopP99: this.loop.percentile(99) / 1e6,
      longGcs: this.longGcs.length / 2,
      gcMaxPause: this.gcMaxPause,
      lateAcrossGc: spanning(this.ticks.lateGaps, this.longGcs),
    };
  }
}

/**
 * How many of the `gaps` (start, end pairs) contain the whole of one of the `pauses` (start, end
 * pairs, in time order and apart, as collections are): a gap holds one when the first pause that
 * starts inside it also ends inside it. A saturated window keeps thousands of gaps.
 */
export function spanning(gaps: readonly number[], pauses: readonly number[]): number {
  let count = 0;
  for (let g = 0; g < gaps.length; g += 2) {
    // The first pause starting at or after the gap's start (binary search over pairs).
    let low = 0;
    let high = pauses.length / 2;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (pauses[2 * middle]! < gaps[g]!) low = middle + 1;
      else high = middle;
    }
    if (2 * low < pauses.length && pauses[2 * low + 1]! <= gaps[g + 1]!) count += 1;
  }
  return count;
}

/**
 * The control protocol of a benchmark server: prints {"ready", port, rssMb} once listening;
 * "start" opens a window, "report" prints its figures, "gc" collects garbage (when exposed) and
 * prints {"rssMb"}. The orchestrator stops the server with SIGTERM.
 */
export function serveControl(recorder: BenchRecorder, port: number, counts: () => { clients: number; rooms: number }): void {
  const print = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
  print({ ready: true, port, rssMb: process.memoryUsage().rss / 2 ** 20 });
  createInterface({ input: process.stdin }).on('line', (line) => {
    const command = line.trim();
    if (command === 'start') {
      recorder.start();
      print({ started: true });
    } else if (command === 'report') {
      const { clients, rooms } = counts();
      print(recorder.report(clients, rooms));
    } else if (command === 'gc') {
      // Twice, a second apart: freed pages go back to the system lazily.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      setTimeout(() => {
        gc?.();
        print({ rssMb: process.memoryUsage().rss / 2 ** 20 });
      }, 1000);
    }
  });
}
