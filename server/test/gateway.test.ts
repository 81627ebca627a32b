import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSilentLogger } from '@mmo/platform';
import request from 'supertest';
import { createGateway } from '../src/gateway/gateway.js';

function listen(server: Server): Promise<number> {
  return new Promise((done) => server.listen(0, () => done((server.address() as AddressInfo).port)));
}

describe('gateway', () => {
  let upstream: Server;
  let gateway: Server;
  let seen: Array<{ url?: string; forwardedFor?: string | string[] }>;

  before(async () => {
    seen = [];
    upstream = createServer((req, res) => {
      seen.push({ url: req.url, forwardedFor: req.headers['x-forwarded-for'] });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ from: 'upstream' }));
    });
    const upstreamPort = await listen(upstream);
    gateway = createGateway({
      routes: {
        primary: `http://127.0.0.1:${upstreamPort}`,
        player: `http://127.0.0.1:${upstreamPort}`,
        // Nothing listens here: the service is down.
        social: `http://127.0.0.1:1`,
      },
      logger: createSilentLogger(),
    });
  });
  after(() => {
    upstream.close();
  });

  it('routes by first path segment and forwards the client address', async () => {
    const res = await request(gateway).get('/characters?x=1').expect(200);
    assert.deepEqual(res.body, { from: 'upstream' });
    assert.equal(seen.at(-1)?.url, '/characters?x=1');
    assert.ok(seen.at(-1)?.forwardedFor);
  });

  it('routes a path whatever its letter case, as Express does behind it', async () => {
    await request(gateway).get('/Characters').expect(200);
    assert.equal(seen.at(-1)?.url, '/Characters');
  });

  it('answers 503 SERVICE_UNAVAILABLE when the owning service is down', async () => {
    const res = await request(gateway).get('/social/friends').expect(503);
    assert.equal(res.body.code, 'SERVICE_UNAVAILABLE');
  });

  it('sends moderators social routes to the social API and other admin routes to the primary', async () => {
    assert.equal((await request(gateway).get('/admin/social/reports').expect(503)).body.code, 'SERVICE_UNAVAILABLE');
    assert.equal((await request(gateway).get('/Admin/Social?x=1').expect(503)).body.code, 'SERVICE_UNAVAILABLE');
    await request(gateway).get('/admin/accounts').expect(200);
    assert.equal(seen.at(-1)?.url, '/admin/accounts');
  });

  it('serves the docs page itself and fetches each document from its service', async () => {
    const page = await request(gateway).get('/docs').expect(200);
    assert.match(page.text, /"primary","player","social"/);
    await request(gateway).get('/docs/player.json').expect(200);
    assert.equal(seen.at(-1)?.url, '/docs/player.json');
    assert.equal((await request(gateway).get('/docs/social.json').expect(503)).body.code, 'SERVICE_UNAVAILABLE');
  });

  it('serves the admin panel page at /admin/ from the client build while the API below it goes to the primary', async () => {
    const dist = await mkdtemp(join(tmpdir(), 'mmo-dist-'));
    try {
      await mkdir(join(dist, 'admin'));
      await writeFile(join(dist, 'admin', 'index.html'), '<title>panel</title>');
      const withClient = createGateway({ routes: { primary: 'http://127.0.0.1:1', player: 'http://127.0.0.1:1', social: 'http://127.0.0.1:1' }, logger: createSilentLogger(), clientDist: dist });
      assert.equal((await request(withClient).get('/admin').expect(301)).headers.location, '/admin/');
      assert.match((await request(withClient).get('/admin/').expect(200)).text, /panel/);
      assert.equal((await request(withClient).get('/admin/accounts').expect(503)).body.code, 'SERVICE_UNAVAILABLE');
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });

  it('answers 404 NOT_FOUND for a path no service owns', async () => {
    const res = await request(gateway).get('/authx').expect(404);
    assert.equal(res.body.code, 'NOT_FOUND');
    assert.equal(seen.some((s) => s.url === '/authx'), false);
  });
});
