// The game benchmark's smoke run (`npm run bench:game -- --smoke`): tens of bots for a few
// seconds against the real game process and a bare Colyseus room, checked against the smoke
// budgets, so that the benchmark cannot rot. Needs the real stack, so it is defined only when
// DATABASE_URL and REDIS_URL are set (as in CI).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { DATABASE_URL: serverUrl, REDIS_URL: redisUrl } = process.env;

function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench-game.ts'), ...args], {
      cwd: root,
      // The suite's Redis database is shared with the other tests: the bench must not flush it.
      env: { ...process.env, DATABASE_URL: serverUrl, REDIS_URL: redisUrl, BENCH_FLUSH_REDIS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      // SIGINT: the bench's own clean-up stops what it started and drops its database.
      child.kill('SIGINT');
      fail(new Error(`bench:game did not finish within ${timeoutMs / 1000} s:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('bench:game', function () {
  this.timeout(120_000);

  it('refuses a bad option with a one-line error', async () => {
    const { code, stderr } = await runBench(['--players=many'], 30_000);
    assert.equal(code, 2);
    assert.match(stderr, /^bench:game: --players: .+\n$/);
  });

  if (serverUrl && redisUrl) {
    it('runs the smoke scenario, ours beside bare Colyseus, within the smoke budgets, and leaves no database behind', async () => {
      const { code, stdout, stderr } = await runBench(['--smoke', '--seconds=3'], 100_000);
      assert.equal(code, 0, `exit ${code}:\n${stdout}\n${stderr}`);
      // Steadiness is not a smoke budget (a shared CI machine has hiccups); every bot held is.
      assert.match(stdout, /\| ours \| 30 \/ 30 \| (yes|no)/);
      assert.match(stdout, /\| bare \| 30 \/ 30 \| (yes|no)/);
      assert.match(stdout, /Zone transfers: [1-9]\d* \(failed \d+\)/);
      assert.match(stdout, /Ours \/ bare: idle RSS [\d.]+×, CPU per player [\d.]+×, bytes per player [\d.]+×/);
      assert.match(stdout, /Budgets \(smoke/);
      assert.doesNotMatch(stdout, /- \[ \]/);
      const database = /database (bench_[0-9a-f]+)/.exec(stdout)?.[1];
      assert.ok(database, 'the bench names its database');
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        assert.equal(found.rowCount, 0, `${database} was dropped`);
      } finally {
        await client.end();
      }
    });
  }
});
