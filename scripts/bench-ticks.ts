// Room ticks in one busy process: Colyseus's `setInterval` per room against TickScheduler.
//
//   npm run bench:ticks [-- --rooms=30 --step-ms=1.2 --load=0.35 --seconds=20]
//
// Each room's step busy-waits `step-ms` (a tick and its patch), every period of 50 ms; between
// them the event loop also runs the rest of a game process's work: short tasks (reading clients'
// messages, 0.05-0.5 ms each) arriving at random to fill `load` of the core, and a 10 ms pause
// (a scavenge) every 400 ms. Both ways draw steps and load from the same seeds (their sequences
// part as the two ways run different numbers of steps). Prints, for each,
// the late ticks (a gap over 75 ms between a room's tick starts), the largest gap, and how far
// apart the rooms' ticks start (the spread of their phases over the period).
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { TickScheduler } from '../server/src/game/tick-scheduler.js';
import { createRng, nextFloat } from '../server/src/game/world/rng.js';
import { LATE_GAP_MS } from './bench/metrics.js';
import { parseFlags } from './bench/options.js';

const PERIOD_MS = 50;

const optionsSchema = z
  .object({
    rooms: z.coerce.number().int().min(1).max(500).default(30),
    stepMs: z.coerce.number().min(0).max(20).default(1.2),
    load: z.coerce.number().min(0).max(0.9).default(0.35),
    seconds: z.coerce.number().min(2).max(300).default(20),
  })
  .strict();
let options: z.infer<typeof optionsSchema>;
try {
  options = parseFlags(optionsSchema, process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench:ticks: ${(error as Error).message}\n`);
  process.exit(2);
}

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Figures {
  ticks: number;
  /** The ticks 20 Hz would have run in the measured stretch. */
  expected: number;
  late: number;
  maxGap: number;
  p99Gap: number;
  /** The mean distance, as a share of the period, from each room's phase to the nearest other room's. */
  spread: number;
}

async function run(way: 'setInterval' | 'TickScheduler'): Promise<Figures> {
  const rng = createRng(7);
  const loadRng = createRng(11);
  const starts: number[][] = Array.from({ length: options.rooms }, () => []);
  const scheduler = new TickScheduler(PERIOD_MS);
  const stops: (() => void)[] = [];
  // Rooms are created a little apart, as players arrive.
  for (let room = 0; room < options.rooms; room += 1) {
    const step = () => {
      starts[room]!.push(performance.now());
      busy(options.stepMs * (0.5 + nextFloat(rng)));
    };
    if (way === 'setInterval') {
      const timer = setInterval(step, PERIOD_MS);
      stops.push(() => clearInterval(timer));
    } else {
      const handle = scheduler.every(step, (error) => {
        throw error;
      });
      stops.push(() => handle.stop());
    }
    await sleep(3 + nextFloat(rng) * 20);
  }
  // The rest of the process's work: short tasks at random, and a pause now and then.
  const endAt = performance.now() + options.seconds * 1000;
  const meanTaskMs = 0.275;
  const tasksPerMs = options.load / meanTaskMs;
  let running = true;
  const background = (async () => {
    let nextPause = performance.now() + 400;
    while (running) {
      // The tasks of the next millisecond, then yield to timers.
      const count = Math.round(tasksPerMs * 2 * nextFloat(loadRng));
      for (let i = 0; i < count; i += 1) busy(0.05 + nextFloat(loadRng) * 0.45);
      if (performance.now() >= nextPause) {
        busy(10);
        nextPause += 400;
      }
      await new Promise((done) => setImmediate(done));
      await sleep(1);
    }
  })();
  const measureFrom = performance.now() + 2000;
  await sleep(endAt - performance.now());
  const measureTo = performance.now();
  running = false;
  await background;
  stops.forEach((stop) => stop());

  const gaps: number[] = [];
  let ticks = 0;
  for (const list of starts) {
    const measured = list.filter((at) => at >= measureFrom && at < measureTo);
    ticks += measured.length;
    for (let i = 1; i < measured.length; i += 1) gaps.push(measured[i]! - measured[i - 1]!);
  }
  gaps.sort((a, b) => a - b);
  // Each room's phase: the circular mean of its measured starts modulo the period (a late start
  // moves it a little, not to where that one start fell).
  const phases = starts
    .map((list) => {
      let sin = 0;
      let cos = 0;
      for (const at of list.filter((start) => start >= measureFrom && start < measureTo)) {
        const angle = ((at % PERIOD_MS) / PERIOD_MS) * 2 * Math.PI;
        sin += Math.sin(angle);
        cos += Math.cos(angle);
      }
      return ((Math.atan2(sin, cos) / (2 * Math.PI)) * PERIOD_MS + PERIOD_MS) % PERIOD_MS;
    })
    .sort((a, b) => a - b);
  const nearest = phases.map((phase, i) => {
    const before = phases[(i - 1 + phases.length) % phases.length]!;
    const after = phases[(i + 1) % phases.length]!;
    const d = (a: number, b: number) => Math.min(Math.abs(a - b), PERIOD_MS - Math.abs(a - b));
    return phases.length > 1 ? Math.min(d(phase, before), d(phase, after)) : PERIOD_MS;
  });
  return {
    ticks,
    expected: Math.round((options.rooms * (measureTo - measureFrom)) / PERIOD_MS),
    late: gaps.filter((gap) => gap > LATE_GAP_MS).length,
    maxGap: gaps.at(-1) ?? 0,
    p99Gap: gaps[Math.floor(gaps.length * 0.99)] ?? 0,
    spread: nearest.reduce((sum, d) => sum + d, 0) / nearest.length / PERIOD_MS,
  };
}

const out = (line: string) => process.stdout.write(`${line}\n`);
out(`bench:ticks: ${options.rooms} rooms, steps of ~${options.stepMs} ms every ${PERIOD_MS} ms, other work ${Math.round(options.load * 100)} % of the core, a 10 ms pause every 400 ms, ${options.seconds} s each`);
const results = { setInterval: await run('setInterval'), TickScheduler: await run('TickScheduler') };
out('');
out('| ticks by | ticks (at 20 Hz) | late ticks (gap > 75 ms) | gap p99 ms | max gap ms | mean distance to the nearest room\'s phase |');
out('|---|---|---|---|---|---|');
for (const [way, f] of Object.entries(results)) {
  out(`| ${way} | ${f.ticks} (${f.expected}) | ${f.late} | ${f.p99Gap.toFixed(1)} | ${f.maxGap.toFixed(1)} | ${(f.spread * 100).toFixed(1)} % of the period (even: ${(100 / options.rooms).toFixed(1)} %) |`);
}
const a = results.setInterval;
const b = results.TickScheduler;
out('');
out(`late ticks: ${a.late} → ${b.late}; max gap ${a.maxGap.toFixed(0)} → ${b.maxGap.toFixed(0)} ms (${(a.maxGap / Math.max(b.maxGap, 1)).toFixed(2)}×)`);
