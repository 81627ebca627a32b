// `npm run bench:game`: the game server under a crowd of @colyseus/sdk bots, beside a bare
// Colyseus 0.18 room in the same run, checked against scripts/bench/budgets.json. Topology as
// in production: one real game process (PostgreSQL, Redis presence and driver) pinned to core 1;
// the primary and player API (register, login, characters, enter world), the bots and this
// orchestrator on core 0, with PostgreSQL and Redis moved there for the run. A fresh database
// per run (created, migrated, dropped) and its own Redis database (flushed before, between
// phases and after, unless --no-flush-redis). Every process it starts is stopped, also on a
// failure, Ctrl-C or a closed output. Figures, tables and budgets: bench/report.ts. The README's
// "Benchmark" section describes the options, the scenarios and the budgets.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTokenKeyPair, migratePostgres } from '@mmo/platform';
import { Redis } from 'ioredis';
import pg from 'pg';
import { GAME_NODE_FLAGS } from '../server/src/game/config.js';
import { ARENA_SIZE } from './bench/arena.js';
import { LONG_GC_MS, type ServerFigures } from './bench/metrics.js';
import { parseBenchOptions, type BenchOptions } from './bench/options.js';
import { ServicePinning, SERVICES_OFF_THE_SERVER_CORE } from './bench/pinning.js';
import { BenchProcess, canPin, killAllNow, stopAll, withTimeout } from './bench/procs.js';
import { budgetsFileSchema, fixed, judgeWindow, lastRow, LowerBound, metric, notMeasured, STEAL_LIMIT, table, windowsFor, type BotFigures, type Result, type Row, type Scenario, type Target } from './bench/report.js';
import { coreTimes, stealPercent } from './bench/steal.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = (line = '') => process.stdout.write(`${line}\n`);

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`bench:game: ${(error as Error).message}\n`);
  process.exit(2);
}

// --- Scenarios -----------------------------------------------------------------------------

function scenarios(o: BenchOptions): Scenario[] {
  const both: Target[] = o.bareOnly ? ['bare'] : o.compare ? ['ours', 'bare'] : ['ours'];
  const rampSteps = (max: number, step: number) => Array.from({ length: Math.floor(max / step) }, (_, i) => (i + 1) * step);
  if (o.smoke) {
    const per = o.players ?? 15;
    const instances = o.instances ?? 2;
    return [{ id: 'smoke', title: `smoke: ${per * instances} players over ${instances} instances, ${o.monsters ?? 40} monsters each, ${Math.min(o.portalBots, 2)} of them through a portal`, perInstance: per, monsters: o.monsters ?? 40, steps: [per * instances], ramp: false, targets: both, portalBots: Math.min(o.portalBots, 2) }];
  }
  if (o.ramp || o.players !== undefined || o.instances !== undefined) {
    const per = o.players ?? (o.ramp ? o.rampMax : 200);
    const instances = o.instances ?? 1;
    return [
      {
        id: 'custom',
        title: o.ramp ? `ramp in ${instances === 1 ? 'one instance' : `${instances} instances`}, +${o.rampStep} up to ${o.rampMax}` : `${per * instances} players, ${per} per instance`,
        perInstance: o.ramp ? Math.max(per, o.rampMax) : per,
        monsters: o.monsters ?? 300,
        steps: o.ramp ? rampSteps(o.rampMax, o.rampStep) : [per * instances],
        ramp: o.ramp,
        targets: both,
        portalBots: 0,
      },
    ];
  }
  const chosen = new Set(o.scenarios ?? ['a', 'b', 'c', 'd', 'e']);
  const all: Scenario[] = [
    // Each bare decoder decodes the whole crowd: 25 of them let the bots' core follow bare's
    // crowd in one instance up to where its server, not the bots, gives way.
    { id: 'a', title: `(a) one instance, ramp +${o.rampStep} up to ${o.rampMax}, ${o.monsters ?? 300} monsters, ${Math.min(25, o.maxDecoders)} decoders at most`, perInstance: o.rampMax, monsters: o.monsters ?? 300, steps: rampSteps(o.rampMax, o.rampStep), ramp: true, targets: both, portalBots: 0, maxDecoders: 25 },
    { id: 'b', title: `(b) 1,000 players in one instance, ${o.monsters ?? 300} monsters`, perInstance: 1000, monsters: o.monsters ?? 300, steps: [1000], ramp: false, targets: both, portalBots: 0 },
    { id: 'c', title: `(c) 3,000 players over 30 instances, ${o.monsters ?? 20} monsters each`, perInstance: 100, monsters: o.monsters ?? 20, steps: [3000], ramp: false, targets: both, portalBots: 0 },
    { id: 'd', title: '(d) idle process', perInstance: 100, monsters: o.monsters ?? 300, steps: [], ramp: false, targets: ['ours', 'bare'], portalBots: 0, idle: true },
    { id: 'e', title: `(e) zone transfers: ${o.portalBots} bots through a portal pair, 200 players walking in the source area, ${o.monsters ?? 300} monsters`, perInstance: 1000, monsters: o.monsters ?? 300, steps: [200 + o.portalBots], ramp: false, targets: ['ours'], portalBots: o.portalBots },
  ];
  return all.filter((s) => chosen.has(s.id as (typeof all)[number]['id']));
}

// --- Measuring -----------------------------------------------------------------------------

const STARTUP_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitHealthy(base: string, proc: BenchProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited while starting`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${proc.name} did not become healthy within ${STARTUP_MS / 1000} s`);
}

interface Stack {
  databaseUrl: string;
  redisUrl: string;
  keys: { privateKey: string; publicKey: string };
  primary: string;
  playerApi: string;
}

const quietServices = {
  LOG_LEVEL: 'warn',
  PASSWORD_HASH_COST: '10',
  LOGIN_RATE_LIMIT_PER_IP: '1000000',
  REGISTER_RATE_LIMIT_PER_IP: '1000000',
  LOGIN_FAILURES_PER_ACCOUNT_IP: '1000000',
  LOGIN_FAILURES_PER_ACCOUNT: '1000000',
  PUBLIC_RATE_LIMIT_PER_IP: '1000000',
  // The primary is not under test: logins wait for their password check instead of a 503.
  LOGIN_HASH_QUEUE_MAX: '100000',
};

/** The primary and player API on core 0, for register, login, characters and enter world. */
async function startServices(stack: Omit<Stack, 'primary' | 'playerApi'>): Promise<Stack> {
  const [primaryPort, playerPort] = [await freePort(), await freePort()];
  const env = { ...process.env, ...quietServices, DATABASE_URL: stack.databaseUrl, REDIS_URL: stack.redisUrl, TOKEN_PUBLIC_KEY: stack.keys.publicKey };
  const primary = new BenchProcess('primary', [join(root, 'server/src/primary/main.ts')], { core: 0, cwd: root, env: { ...env, PORT: String(primaryPort), TOKEN_PRIVATE_KEY: stack.keys.privateKey } });
  const player = new BenchProcess('player-api', [join(root, 'player-api/src/main.ts')], { core: 0, cwd: root, env: { ...env, PORT: String(playerPort) } });
  const urls = { primary: `http://127.0.0.1:${primaryPort}`, playerApi: `http://127.0.0.1:${playerPort}` };
  await Promise.all([waitHealthy(urls.primary, primary), waitHealthy(urls.playerApi, player)]);
  return { ...stack, ...urls };
}

async function startServer(target: Target, scenario: Scenario, stack: Stack): Promise<{ proc: BenchProcess; port: number }> {
  const port = await freePort();
  const common = { ...process.env, BENCH_PLAYERS_PER_INSTANCE: String(scenario.perInstance), BENCH_MONSTERS: String(scenario.monsters), PORT: String(port) };
  const proc =
    target === 'ours'
      ? new BenchProcess('game', [join(root, 'scripts/bench/game-server.ts')], {
          core: 1,
          cwd: root,
          // BENCH_GAME_NODE_OPTIONS: more flags for our game process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
          nodeOptions: ['--expose-gc', ...GAME_NODE_FLAGS, ...(process.env.BENCH_GAME_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])],
          env: { ...common, LOG_LEVEL: 'warn', DATABASE_URL: stack.databaseUrl, REDIS_URL: stack.redisUrl, TOKEN_PUBLIC_KEY: stack.keys.publicKey, PUBLIC_ADDRESS: `127.0.0.1:${port}`, BENCH_PORTALS: String(scenario.portalBots > 0) },
        })
      : new BenchProcess('bare', [join(root, 'scripts/bench/bare-server.ts')], {
          core: 1,
          cwd: root,
          // BENCH_BARE_NODE_OPTIONS: the same for bare Colyseus's process.
          nodeOptions: ['--expose-gc', ...(process.env.BENCH_BARE_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])],
          env: common,
        });
  await proc.expect('ready', STARTUP_MS);
  return { proc, port };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** How long joins may make no progress at all before the phase fails. */
const JOIN_STALL_MS = 60_000;

/** Waits for the bots' "added", as long as joins keep progressing. */
interface Joined {
  joinFailures: number;
  joinSeconds: number;
  retries: number;
  retryReasons: Record<string, number>;
  failureReasons: Record<string, number>;
}

async function joined(bots: BenchProcess, target: Target, adding: number): Promise<Joined> {
  let last = -1;
  let stalledSince = Date.now();
  for (;;) {
    const line = await bots.expect<{ added?: number; progress?: number; failed?: number }>(['added', 'progress'], JOIN_STALL_MS);
    if (line.added !== undefined) return line as unknown as Joined;
    const done = (line.progress ?? 0) + (line.failed ?? 0);
    if (done !== last) [last, stalledSince] = [done, Date.now()];
    else if (Date.now() - stalledSince > JOIN_STALL_MS) throw new Error(`bots (${target}): no join ended for ${JOIN_STALL_MS / 1000} s, at ${done} of ${adding}`);
  }
}

/** One measured window: the server's figures and the bots', read while every bot is connected. */
async function window(server: BenchProcess, bots: BenchProcess, size: number, joinFailures: number): Promise<Row> {
  server.send('start');
  await server.expect('started', 10_000);
  const serverCore = canPin ? 1 : 'all';
  const before = coreTimes(serverCore);
  bots.send({ cmd: 'window', seconds: options.seconds });
  const botFigures = await bots.expect<BotFigures & Record<string, unknown>>('bytesPerClientPerSecond', options.seconds * 1000 + 30_000);
  const steal = stealPercent(before, coreTimes(serverCore));
  server.send('report');
  const figures = await server.expect<ServerFigures & Record<string, unknown>>('ticks', 10_000);
  return { asked: size, server: figures, bots: botFigures, joinFailures, ...judgeWindow(figures, botFigures, size, steal), stealPercent: steal };
}

/**
 * The server's RSS after full collections (`gc`), as the idle figure is taken. Only once a
 * step's windows are over: the forced collections shrink V8's young generation, and the
 * scavenges that follow pause the server for 20-45 ms each for a second or so (measured at 1,250
 * players in one instance), so a window opened right after one began with late ticks of the
 * benchmark's own making.
 */
async function settledRss(server: BenchProcess): Promise<number> {
  server.send('gc');
  return (await server.expect<{ rssMb: number }>('rssMb', 10_000)).rssMb;
}

async function measure(target: Target, scenario: Scenario, stack: Stack): Promise<Result> {
  const { proc: server, port } = await startServer(target, scenario, stack);
  let bots: BenchProcess | undefined;
  try {
    // Idle: after start-up settles and full collections; the smaller of two samples 5 s apart
    // (one in the smoke run), as memory left over from start-up returns to the system lazily.
    let idleRssMb = Infinity;
    for (let sample = 0; sample < (options.smoke ? 1 : 2); sample += 1) {
      await sleep(5000);
      idleRssMb = Math.min(idleRssMb, await settledRss(server));
    }
    const result: Result = { target, idleRssMb, rows: [], held: 0 };
    if (scenario.idle) return result;
    bots = new BenchProcess(`bots (${target})`, [join(root, 'scripts/bench/bots.ts')], {
      core: 0,
      cwd: root,
      // BENCH_BOTS_NODE_OPTIONS: the same for the bots' process.
      nodeOptions: process.env.BENCH_BOTS_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [],
      env: {
        ...process.env,
        BENCH_TARGET: target,
        BENCH_DATABASE_URL: stack.databaseUrl,
        BENCH_PRIMARY: stack.primary,
        BENCH_PLAYER_API: stack.playerApi,
        BENCH_GAME: `http://127.0.0.1:${port}`,
        BENCH_JOIN_RATE: String(options.joinRate),
        BENCH_JOIN_CONCURRENCY: String(options.joinConcurrency),
        BENCH_DECODERS: String(options.decoders),
        BENCH_MAX_DECODERS: String(Math.min(options.maxDecoders, scenario.maxDecoders ?? Infinity) * Math.max(1, Math.ceil((scenario.steps.at(-1) ?? 0) / scenario.perInstance))),
        BENCH_PORTAL_BOTS: String(target === 'ours' ? scenario.portalBots : 0),
      },
    });
    await bots.expect('ready', STARTUP_MS);
    let crowd = 0;
    for (const size of scenario.steps) {
      const adding = size - crowd;
      bots.send({ cmd: 'add', count: adding });
      const added = await joined(bots, target, adding);
      out(`  ${target}: ${adding} bots joined in ${added.joinSeconds.toFixed(0)} s (${(adding / added.joinSeconds).toFixed(0)}/s)`);
      if (added.retries > 0) out(`  ${target}: ${added.retries} join steps retried: ${JSON.stringify(added.retryReasons)}`);
      if (added.joinFailures > 0) out(`  ${target}: ${added.joinFailures} bots failed to join after retries: ${JSON.stringify(added.failureReasons)}`);
      crowd = size;
      await sleep(3000);
      // A step that misses is measured once more before it counts (the machine may be shared),
      // and a third time when the hypervisor took more than STEAL_LIMIT % of the server's core
      // in the last window (a virtual machine's neighbours, not the server); every window is
      // printed here, the last goes in the table. Ours and bare get the same rule.
      let row: Row | undefined;
      for (let attempt = 1; attempt <= windowsFor(row) && !row?.steady; attempt += 1) {
        row = await window(server, bots, size, added.joinFailures);
        const { server: s, bots: b } = row;
        out(
          `  ${target} ${size} players: ${row.steady ? 'steady' : 'NOT steady'} (late ticks ${s.lateTicks}, late patches ${s.latePatches}, max gaps ${s.tickMaxGap.toFixed(0)} / ${s.patchMaxGap.toFixed(0)} ms, ` +
            `connected ${b.connected}/${size}, CPU ${s.cpuPercent.toFixed(0)} %, ${b.framesPerClientPerSecond.toFixed(1)} frames/s per client, bots' CPU ${b.botCpuPercent.toFixed(0)} %, ` +
            `GC pauses ≥ ${LONG_GC_MS} ms ${s.longGcs} (longest ${s.gcMaxPause.toFixed(0)} ms, spanned by ${s.lateAcrossGc} late ticks)` +
            `${row.stealPercent === undefined ? '' : `, steal on the server's core ${row.stealPercent.toFixed(1)} %`})`,
        );
        if (b.connected < size) out(`  ${target}: rooms closed under bots so far, by close code: ${JSON.stringify(b.leaveCodes)}`);
      }
      row!.server.rssMb = await settledRss(server);
      result.rows.push(row!);
      const { bots: botFigures, steady, botLimited, machineLimited } = row!;
      if (machineLimited) out(`  WARNING: the hypervisor took ${fixed(row!.stealPercent ?? 0, 1)} % of the server's core in this window: this step is machine-limited, not a figure of the server alone`);
      if (botLimited) out(`  WARNING: the bots' core is saturated (CPU ${botFigures.botCpuPercent.toFixed(0)} %, lag p99 ${botFigures.botLoopP99.toFixed(0)} ms): this step is bot-limited, not a figure of the server`);
      if (steady) result.held = size;
      if (scenario.ramp && (!steady || botLimited)) {
        // A step the bots' core limited says nothing of the server, steady or not; nor does
        // one missed while the hypervisor held the server's core.
        if (botLimited) result.heldIsLowerBound = LowerBound.bots;
        else if (machineLimited) result.heldIsLowerBound = LowerBound.machine;
        break;
      }
      // Steady at the last step: the server's limit lies beyond the ramp.
      if (scenario.ramp && size === scenario.steps.at(-1)) result.heldIsLowerBound = LowerBound.rampTop;
    }
    bots.send({ cmd: 'leave' });
    await bots.expect('left', 30_000).catch(() => undefined);
    return result;
  } finally {
    await bots?.stop();
    await server.stop(10_000);
  }
}

// --- Run -----------------------------------------------------------------------------------

const profile = options.budgets ?? (options.smoke ? 'smoke' : options.ramp || options.players !== undefined || options.instances !== undefined || options.scenarios ? 'none' : 'full');
const chosen = scenarios(options);
const runId = randomBytes(4).toString('hex');
const databaseUrl = new URL(options.databaseUrl);
const adminUrl = new URL(options.databaseUrl);
databaseUrl.pathname = `/bench_${runId}`;
adminUrl.pathname = '/postgres';
let createdDatabase = false;
let exitCode = 0;
const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });

const pinning = new ServicePinning();
let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write(`bench:game: ${signal}, stopping every process it started\n`);
  void cleanUp().then(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
// However it ends (an uncaught error, a reader of its output gone: EPIPE), nothing it started
// outlives it and the services it moved get their affinity back. Both are synchronous and do
// nothing after a normal `cleanUp`.
process.once('exit', () => {
  killAllNow();
  pinning.restore();
});
process.stdout.on('error', () => {
  if (!interrupted) onSignal('SIGPIPE');
});

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let cleaned: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaned ??= (async () => {
    await stopAll();
    pinning.restore();
    if (options.flushRedis) await redis.flushdb().catch(() => undefined);
    redis.disconnect();
    if (createdDatabase) await adminQuery(`DROP DATABASE IF EXISTS "bench_${runId}" WITH (FORCE)`).catch((error: unknown) => process.stderr.write(`bench:game: could not drop bench_${runId}: ${(error as Error).message}\n`));
  })();
  return cleaned;
}

try {
  const budgets = budgetsFileSchema.parse(JSON.parse(readFileSync(join(root, 'scripts/bench/budgets.json'), 'utf8')));
  out(`bench:game ${new Date().toISOString()}: ${chosen.length} scenario(s), ${options.seconds} s windows, joins at ${options.joinRate}/s (${options.joinConcurrency} at once at most), ${Math.round(options.decoders * 100)} % of bots decode patches, budgets: ${profile}`);
  out(canPin ? 'game server pinned to core 1; services, PostgreSQL clients, bots and this script on core 0' : 'WARNING: one core only: nothing is pinned and the figures include the bots\' load');
  if (canPin && options.pinServices) out(pinning.pin(0, SERVICES_OFF_THE_SERVER_CORE));
  await redis.connect();
  if (options.flushRedis) await redis.flushdb();
  await adminQuery(`CREATE DATABASE "bench_${runId}"`);
  createdDatabase = true;
  await migratePostgres(databaseUrl.toString());
  const pair = generateTokenKeyPair();
  const keys = { privateKey: Buffer.from(pair.privateKeyPem).toString('base64'), publicKey: Buffer.from(pair.publicKeyPem).toString('base64') };
  let stack = await withTimeout(startServices({ databaseUrl: databaseUrl.toString(), redisUrl: options.redisUrl, keys }), STARTUP_MS + 5000, 'starting the primary and player API');
  out(`arena ${ARENA_SIZE}×${ARENA_SIZE}; database bench_${runId}; Redis ${options.redisUrl.replace(/\/\/[^@/]*@/, '//')}`);
  out();
  const report: string[] = [];
  const failures: string[] = [];
  const byScenario = new Map<string, Result[]>();
  for (const scenario of chosen) {
    out(`${scenario.title}`);
    const results: Result[] = [];
    for (const target of scenario.targets) {
      // A phase's bound, against a hang (joins that stop progressing fail sooner, in `joined`):
      // start-up, every join at the join rate or at 8 a second (what the services' shared core
      // gave on a slow day) whichever is slower, every window.
      const bound = 120_000 + scenario.steps.reduce((ms, size) => ms + (size / Math.min(options.joinRate, 8)) * 1000 + options.seconds * 2000 + 30_000, 0);
      try {
        results.push(await withTimeout(measure(target, scenario, stack), bound, `${scenario.id} (${target})`));
      } catch (error) {
        // The other phases still run; this one's budgets count as missed (not measured).
        out(`  ${target} FAILED: ${(error as Error).message}`);
        failures.push(`${scenario.id} (${target}): ${(error as Error).message.split('\n')[0]}`);
        await stopAll();
        // stopAll ended the services too: start them again for the next phase.
        stack = await withTimeout(startServices(stack), STARTUP_MS + 5000, 'restarting the primary and player API');
      }
      if (options.flushRedis) await redis.flushdb().catch(() => undefined);
    }
    byScenario.set(scenario.id, results);
    const lines = table(scenario, results);
    report.push(...lines);
    out();
    out(lines.join('\n'));
  }
  const checks = profile === 'none' ? [] : budgets[profile];
  const missed: string[] = [];
  if (checks.length > 0) {
    out(`Budgets (${profile}, scripts/bench/budgets.json):`);
    for (const check of checks) {
      const results = byScenario.get(check.scenario);
      if (!results) continue;
      const value = metric(check.metric, results);
      const ok = value !== undefined && (check.min === undefined || value >= check.min) && (check.max === undefined || value <= check.max);
      const bound = check.min !== undefined ? `>= ${check.min}` : `<= ${check.max}`;
      const shown = value === undefined ? notMeasured(check.metric, results) : fixed(value, 2);
      const row = lastRow(results.find((r) => r.target === 'ours'));
      const machine = !ok && row?.machineLimited ? `; machine-limited: the hypervisor took ${fixed(row.stealPercent ?? 0, 1)} % of the server's core` : '';
      out(`- [${ok ? 'x' : ' '}] ${check.name}: ${shown} (budget ${bound}${machine})`);
      if (!ok) missed.push(`${check.name}: ${shown}, budget ${bound}`);
    }
  }
  const botLimited = [...byScenario.values()].flat().some((r) => r.rows.some((row) => row.botLimited));
  if (botLimited) out("WARNING: some steps were bot-limited (the bots' core saturated): those figures are the harness's limit, not the server's.");
  const machineLimited = [...byScenario.values()].flat().some((r) => r.rows.some((row) => row.machineLimited));
  if (machineLimited) out(`WARNING: some steps were machine-limited (steal time over ${STEAL_LIMIT} % on the server's core): those figures are the host's as much as the server's.`);
  for (const failure of failures) missed.push(`phase failed: ${failure}`);
  if (missed.length > 0) {
    process.stderr.write(`bench:game: ${missed.length} budget(s) missed:\n${missed.map((m) => `  - ${m}`).join('\n')}\n`);
    exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`bench:game: ${(error as Error).message}\n`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
