// `npm run bench:game`: bots against a game server on this machine, loopback only, bounded in
// count (BENCH_BOTS, at most 1000) and time (BENCH_SECONDS, at most 120). Runs the same crowd
// twice, with interest management on and off, and prints one table plus the ratio of bytes.
// BENCH_MONSTERS (default 300, at most 2000) monsters live in the arena and the bots hunt them.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules/.bin/tsx');
const bots = Math.min(1000, Math.max(1, Number(process.env.BENCH_BOTS ?? 200)));
const seconds = Math.min(120, Math.max(5, Number(process.env.BENCH_SECONDS ?? 20)));
const monsters = Math.min(2000, Math.max(0, Number(process.env.BENCH_MONSTERS ?? 300)));

function start(script: string, env: Record<string, string>): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(tsx, [join(root, script)], { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  return { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

async function nextJson(lines: AsyncIterator<string>): Promise<Record<string, number | string>> {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error('the process ended early');
    try {
      return JSON.parse(value) as Record<string, number | string>;
    } catch {
      // Not ours (a library's notice): skip.
    }
  }
}

async function measure(aoi: boolean) {
  const server = start('scripts/bench/server.ts', { BENCH_AOI: String(aoi), BENCH_BOTS: String(bots), BENCH_MONSTERS: String(monsters) });
  const { port } = await nextJson(server.lines);
  const crowd = start('scripts/bench/bots.ts', { BENCH_BASE: `http://127.0.0.1:${port}`, BENCH_BOTS: String(bots), BENCH_SECONDS: String(seconds) });
  await nextJson(crowd.lines);
  server.child.stdin!.write('start\n');
  const downstream = await nextJson(crowd.lines);
  server.child.stdin!.write('stop\n');
  const figures = await nextJson(server.lines);
  crowd.child.kill();
  return { ...figures, ...downstream };
}

process.stdout.write(`bench:game: ${bots} bots hunting ${monsters} monsters in one ${96}x${96} area, ${seconds} s per run, 20 Hz\n`);
const on = await measure(true);
const off = await measure(false);
const row = (label: string, r: Record<string, number | string>) =>
  `| ${label} | ${r.clientsHeld} | ${Number(r.tickRate).toFixed(1)} | ${Number(r.tickP50).toFixed(2)} / ${Number(r.tickP99).toFixed(2)} | ` +
  `${Number(r.patchP50).toFixed(2)} / ${Number(r.patchP99).toFixed(2)} | ${Math.round(Number(r.bytesPerClientPerSecond))} | ` +
  `${Number(r.cpuPercent).toFixed(0)} % | ${Number(r.rssMb).toFixed(0)} MB |`;
process.stdout.write(
  [
    '| AOI | clients held | ticks/s | tick p50 / p99 ms | patch p50 / p99 ms | bytes/client/s | CPU | RSS |',
    '|---|---|---|---|---|---|---|---|',
    row('on', on),
    row('off', off),
    '',
    `downstream with AOI off / on: ${(Number(off.bytesPerClientPerSecond) / Number(on.bytesPerClientPerSecond)).toFixed(1)}x`,
  ].join('\n') + '\n',
);
