// The cluster as `npm run cluster` starts it: every service its own process, PostgreSQL and
// Redis between them, one base URL at the gateway. Needs the real stack, so it is defined
// only when DATABASE_URL and REDIS_URL are set (as in CI).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { callJson, waitUntil } from '@mmo/platform/testing';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { DATABASE_URL: serverUrl, REDIS_URL: redisUrl } = process.env;


if (serverUrl && redisUrl) {
  describe('cluster (npm run cluster) on PostgreSQL and Redis', function () {
    this.timeout(120_000);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const base = `http://127.0.0.1:${port}`;
    const dbName = `mmo_cluster_${randomBytes(5).toString('hex')}`;
    let cluster: ChildProcess;
    let exited: Promise<number | null>;

    before(async () => {
      const databaseUrl = new URL(serverUrl);
      databaseUrl.pathname = `/${dbName}`;
      cluster = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/cluster.ts')], {
        cwd: root,
        env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl.toString(), REDIS_URL: redisUrl, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      exited = new Promise((done) => cluster.once('exit', (code) => done(code)));
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => {
          cluster.kill('SIGTERM');
          fail(new Error('the cluster did not become ready within 60 s'));
        }, 60_000);
        cluster.once('exit', (code) => fail(new Error(`the cluster exited with ${code}`)));
        createInterface({ input: cluster.stdout! }).on('line', (line) => {
          if (line.startsWith('cluster: ready')) {
            clearTimeout(timer);
            done();
          }
        });
      });
    });

    after(async () => {
      cluster.kill('SIGTERM');
      assert.equal(await exited, 0, 'the cluster stops cleanly on SIGTERM');
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    });

    it('serves register, login, create and list characters through the gateway', async () => {
      assert.equal((await callJson(base, '/auth/register', { method: 'POST', body: { username: 'Borin', password: 'correct horse' } })).status, 201);
      const login = await callJson(base, '/auth/login', { method: 'POST', body: { username: 'borin', password: 'correct horse' } });
      assert.equal(login.status, 200);
      const token = String(login.body.accessToken);
      assert.equal((await callJson(base, '/characters', { method: 'POST', token, body: { name: 'Borin', class: 'warrior' } })).status, 201);
      const list = await callJson(base, '/characters', { token });
      assert.deepEqual((list.body.characters as Array<{ name: string }>).map((c) => c.name), ['Borin']);
    });

    it('has two game processes up, each at its own address', async () => {
      for (const gamePort of [port + 4, port + 5]) {
        assert.equal((await callJson(`http://127.0.0.1:${gamePort}`, '/health')).body.service, 'game');
        const unknown = await callJson(`http://127.0.0.1:${gamePort}`, '/nowhere');
        assert.deepEqual([unknown.status, unknown.body.code], [404, 'NOT_FOUND']);
      }
    });

    it('makes the player API process refuse a session within 1 s of logout at the primary process', async () => {
      await callJson(base, '/auth/register', { method: 'POST', body: { username: 'Cyra', password: 'correct horse' } });
      const login = await callJson(base, '/auth/login', { method: 'POST', body: { username: 'cyra', password: 'correct horse' } });
      const token = String(login.body.accessToken);
      assert.equal((await callJson(base, '/characters', { token })).status, 200);
      assert.equal((await callJson(base, '/auth/logout', { method: 'POST', token })).status, 204);
      const elapsed = await waitUntil(async () => (await callJson(base, '/characters', { token })).body.code === 'SESSION_REVOKED', 1000, 5);
      assert.ok(elapsed <= 1000, `refused after ${elapsed} ms`);
    });

    it('answers JSON 404 NOT_FOUND at the gateway for a path no service owns', async () => {
      const res = await callJson(base, '/nowhere');
      assert.deepEqual([res.status, res.body.code], [404, 'NOT_FOUND']);
    });
  });
}
