// Benchmark server: the embedded composition on PGlite in a temporary folder, with the arena
// world and a metrics recorder. Prints {"port"} when ready; on "start" on stdin it resets its
// counters, on "stop" it prints the figures of the window as one JSON line and exits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { embeddedConfigSchema, startEmbedded } from '@mmo/embedded';
import { matchMaker } from '@colyseus/core';
import { createLogger, createSilentLogger } from '@mmo/platform';
import { arenaWorld } from './arena.js';

const bots = Number(process.env.BENCH_BOTS ?? 200);
const monsters = Number(process.env.BENCH_MONSTERS ?? 0);
const dataDir = await mkdtemp(join(tmpdir(), 'mmo-bench-'));
const config = embeddedConfigSchema.parse({
  PORT: '0',
  DATA_DIR: dataDir,
  AOI_ENABLED: process.env.BENCH_AOI ?? 'true',
  PASSWORD_HASH_COST: '10',
  LOGIN_RATE_LIMIT_PER_IP: '100000',
  REGISTER_RATE_LIMIT_PER_IP: '100000',
  LOGIN_FAILURES_PER_ACCOUNT_IP: '100000',
  LOGIN_FAILURES_PER_ACCOUNT: '100000',
});

const ticks: number[] = [];
const patches: number[] = [];
const metrics = { recordTick: (_room: string, _at: number, ms: number) => void ticks.push(ms), recordPatch: (_room: string, _at: number, ms: number) => void patches.push(ms) };
const running = await startEmbedded(config, process.env.BENCH_LOG ? createLogger({ service: 'bench', level: process.env.BENCH_LOG }) : createSilentLogger(), { world: arenaWorld(96, bots + 10, monsters), metrics });
process.stdout.write(`${JSON.stringify({ port: running.port })}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

let cpuAtStart = process.cpuUsage();
let startedAt = performance.now();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'start') {
    ticks.length = 0;
    patches.length = 0;
    cpuAtStart = process.cpuUsage();
    startedAt = performance.now();
    return;
  }
  if (line !== 'stop') return;
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuAtStart);
  process.stdout.write(
    `${JSON.stringify({
      clientsHeld: matchMaker.stats.local.ccu,
      ticks: ticks.length,
      tickRate: ticks.length / (elapsedMs / 1000),
      tickP50: percentile(ticks, 50),
      tickP99: percentile(ticks, 99),
      patchP50: percentile(patches, 50),
      patchP99: percentile(patches, 99),
      cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    })}\n`,
  );
  void running
    .close()
    .then(() => rm(dataDir, { recursive: true, force: true }))
    .then(() => process.exit(0));
});
