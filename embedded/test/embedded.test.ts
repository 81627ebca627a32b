import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@colyseus/sdk';
import { callJson } from '@mmo/platform/testing';
import { ClientMessage, characterListSchema, enterWorldResponseSchema, tokenPairSchema } from '@mmo/shared';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Running {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

/**
 * Starts embedded mode as `npm start` does (its entry point, in its own process) with a fresh
 * data folder, on a free port, and resolves once it says it listens.
 */
async function startEmbedded(dataDir: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', PASSWORD_HASH_COST: '10' };
  // Embedded defaults only: nothing of the real stack may leak in from the test environment.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.TOKEN_PRIVATE_KEY;
  delete env.TOKEN_PUBLIC_KEY;
  // As `npm start` runs it: node with tsx's loader, so that SIGTERM reaches the process itself.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'embedded/src/main.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const base = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error('embedded mode did not start within 30 s'));
    }, 30_000);
    child.once('exit', (code) => fail(new Error(`embedded mode exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; url?: string } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        // Not a log line of ours (a dependency's banner): ignore it.
      }
      if (entry.msg === 'all services listening on one port' && entry.url) {
        clearTimeout(timer);
        done(entry.url);
      }
    });
  });
  return { child, base, exited };
}


describe('embedded mode (npm start)', function () {
  this.timeout(90_000);
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mmo-embedded-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves register, login, characters and the world on one port; a SIGTERM saves players and a restart keeps everything', async () => {
    const first = await startEmbedded(dataDir);
    let accessToken: string;
    let walkedTo = 0;
    try {
      assert.equal((await callJson(first.base, '/health')).body.service, 'embedded');
      assert.equal((await callJson(first.base, '/auth/register', { method: 'POST', body: { username: 'Aria', password: 'correct horse' } })).status, 201);
      const login = await callJson(first.base, '/auth/login', { method: 'POST', body: { username: 'aria', password: 'correct horse' } });
      assert.equal(login.status, 200);
      accessToken = tokenPairSchema.parse(login.body).accessToken;
      const created = await callJson(first.base, '/characters', { method: 'POST', token: accessToken, body: { name: 'Aria', class: 'mage' } });
      assert.equal(created.status, 201);
      const list = await callJson(first.base, '/characters', { token: accessToken });
      assert.deepEqual(characterListSchema.parse(list.body).characters.map((c) => c.name), ['Aria']);
      assert.equal((await callJson(first.base, '/no/such/route')).body.code, 'NOT_FOUND');

      // Walk a few tiles and stay connected: the shutdown, not a leave, must save the position.
      const characterId = String(created.body.id);
      const entered = enterWorldResponseSchema.parse((await callJson(first.base, '/world/enter', { method: 'POST', token: accessToken, body: { characterId } })).body);
      const room = await new Client(first.base).consumeSeatReservation(entered.reservation);
      room.reconnection.enabled = false;
      const position = () => [...((room.state as { players?: Map<string, { x: number }> } | undefined)?.players?.values() ?? [])][0]?.x ?? 0;
      const deadline = Date.now() + 4000;
      while (position() === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
      room.send(ClientMessage.move, { dx: 1, dy: 0 });
      while (position() < 13 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
      room.send(ClientMessage.move, { dx: 0, dy: 0 });
      await new Promise((done) => setTimeout(done, 300));
      walkedTo = position();
      assert.ok(walkedTo >= 13, `walked to x=${walkedTo}`);
    } finally {
      first.child.kill('SIGTERM');
    }
    assert.equal(await first.exited, 0, 'SIGTERM exits cleanly');

    // The secret was generated once and kept, private to its owner.
    assert.equal((await stat(join(dataDir, 'secrets.json'))).mode & 0o777, 0o600);

    const second = await startEmbedded(dataDir);
    try {
      const list = await callJson(second.base, '/characters', { token: accessToken });
      assert.equal(list.status, 200, 'the access token survives a restart because the secret is kept');
      const [aria] = characterListSchema.parse(list.body).characters;
      assert.deepEqual([aria?.name, aria?.area, aria?.x], ['Aria', 'town', walkedTo], 'the shutdown saved the position');
    } finally {
      second.child.kill('SIGTERM');
    }
    assert.equal(await second.exited, 0);
  });
});
