// Login under overload: the primary server in this process (PGlite in memory), one account,
// logins sent at 10× the rate the machine can hash for BENCH_SECONDS, each caller giving up
// after BENCH_PATIENCE_MS (it closes its connection, as a browser tab or a load balancer does).
// Run once with an unbounded hashing queue (every login hashed at once: the old behaviour) and
// once with the bounded queue (LOGIN_HASH_CONCURRENCY, LOGIN_HASH_QUEUE_MAX defaults).
// Prints p50 of the answers and how many passwords were hashed.
//   npx tsx scripts/bench-login.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testStacks, createTestInfra, testSigningKey } from '@mmo/platform/testing';
import { createPrimaryApp, createPrimaryDeps, primarySettingsSchema } from '@mmo/server/primary';

const seconds = Math.min(30, Number(process.env.BENCH_SECONDS ?? 5));
const patienceMs = Number(process.env.BENCH_PATIENCE_MS ?? 3000);
const cost = process.env.PASSWORD_HASH_COST ?? '14';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(label: string, overrides: Record<string, string>, ratePerSecond?: number): Promise<number> {
  const stack = await testStacks()[0]!.open();
  const infra = await createTestInfra(stack);
  const settings = primarySettingsSchema.parse({
    PASSWORD_HASH_COST: cost,
    LOGIN_RATE_LIMIT_PER_IP: '1000000',
    LOGIN_FAILURES_PER_ACCOUNT_IP: '1000000',
    LOGIN_FAILURES_PER_ACCOUNT: '1000000',
    ...overrides,
  });
  const deps = createPrimaryDeps(infra, settings, async () => {
    throw new Error('no game servers in this benchmark');
  }, testSigningKey);
  const server = createServer(createPrimaryApp(deps, { trustProxy: 'loopback' }));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const body = JSON.stringify({ username: 'bench', password: 'correct horse battery' });
  const post = (signal?: AbortSignal) => fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...(signal ? { signal } : {}) });
  await fetch(`${base}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  try {
    if (!ratePerSecond) {
      // The sustainable rate: the throughput of a batch of logins sent together.
      const started = performance.now();
      await Promise.all(Array.from({ length: 16 }, () => post().then((res) => res.arrayBuffer())));
      const rate = 16 / ((performance.now() - started) / 1000);
      console.info(`${label}: 16 logins at once took ${(16000 / rate).toFixed(0)} ms: about ${rate.toFixed(1)} logins/s sustainable`);
      return rate;
    }
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const pending: Promise<void>[] = [];
    const before = deps.loginQueue.stats.ran;
    const interval = 1000 / ratePerSecond;
    const end = performance.now() + seconds * 1000;
    for (let next = performance.now(); next < end; next += interval) {
      await new Promise((done) => setTimeout(done, Math.max(0, next - performance.now())));
      const sent = performance.now();
      pending.push(
        post(AbortSignal.timeout(patienceMs)).then(
          async (res) => {
            await res.arrayBuffer();
            latencies.push(performance.now() - sent);
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          },
          () => {
            statuses['gave up'] = (statuses['gave up'] ?? 0) + 1;
          },
        ),
      );
    }
    await Promise.all(pending);
    // Hashes already started for callers that gave up still finish on the pool.
    await new Promise((done) => setTimeout(done, 2000));
    const hashed = deps.loginQueue.stats.ran - before;
    console.info(
      `${label}: ${pending.length} logins at ${ratePerSecond.toFixed(1)}/s for ${seconds} s, callers give up after ${patienceMs} ms: ` +
        `answered p50 ${percentile(latencies, 50).toFixed(0)} ms, p90 ${percentile(latencies, 90).toFixed(0)} ms; ` +
        `statuses ${JSON.stringify(statuses)}; hashed ${hashed}; shed ${deps.loginQueue.stats.shed}; dropped (caller gone) ${deps.loginQueue.stats.dropped}`,
    );
    return 0;
  } finally {
    server.close();
    await infra.stop();
    await stack.close();
  }
}

const sustainable = await run('calibration', {});
const unbounded = { LOGIN_HASH_CONCURRENCY: '100000', LOGIN_HASH_QUEUE_MAX: '100000' };
await run('before (unbounded: every login hashed at once)', unbounded, sustainable * 10);
await run('after (bounded queue, callers that gave up dropped)', {}, sustainable * 10);
