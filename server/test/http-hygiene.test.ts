import assert from 'node:assert/strict';
import { createGateway } from '../src/gateway/gateway.js';
import { createSilentLogger } from '@mmo/platform';
import { testStacks, type TestStack } from '@mmo/platform/testing';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { createPrimaryApp } from '../src/primary/primary.app.js';
import { PASSWORD, startPrimary, uniqueName, type PrimaryFixture } from './primary.fixture.js';

const ALLOWED = 'https://game.example';

function assertSecurityHeaders(res: request.Response, what: string): void {
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', what);
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, what);
  assert.match(String(res.headers['content-security-policy']), /connect-src 'self' ws: wss:/, what);
  assert.match(String(res.headers['x-request-id']), /^[A-Za-z0-9._:-]{8,64}$/, what);
}

for (const kind of testStacks()) {
  describe(`HTTP hygiene of a service (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;
    let app: PrimaryFixture['app'];

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack);
      app = createPrimaryApp(primary.deps, { trustProxy: 'loopback', corsOrigins: [ALLOWED] });
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    it('answers login, refresh and register with Cache-Control: no-store and the security headers', async () => {
      const username = uniqueName();
      const registered = await request(app).post('/auth/register').send({ username, password: PASSWORD }).expect(201);
      const login = await request(app).post('/auth/login').send({ username, password: PASSWORD }).expect(200);
      const refreshed = await request(app).post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
      for (const [what, res] of [['register', registered], ['login', login], ['refresh', refreshed]] as const) {
        assert.equal(res.headers['cache-control'], 'no-store', what);
        assertSecurityHeaders(res, what);
      }
      const docs = await request(app).get('/docs').expect(200);
      assertSecurityHeaders(docs, '/docs');
      assert.match(String(docs.headers['content-security-policy']), /script-src 'self' 'sha256-/);
    });

    it('keeps a sane incoming X-Request-Id and replaces one that is not', async () => {
      const kept = await request(app).get('/health').set('X-Request-Id', 'gateway-1234abcd');
      assert.equal(kept.headers['x-request-id'], 'gateway-1234abcd');
      const replaced = await request(app).get('/health').set('X-Request-Id', 'evil\tid with spaces and more');
      assert.notEqual(replaced.headers['x-request-id'], 'evil\tid with spaces and more');
      assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });

    it('lets an allowed origin call credentialed routes, gives a stranger no CORS headers, and varies on Origin', async () => {
      const allowed = await request(app).get('/auth/sessions').set('Origin', ALLOWED);
      assert.equal(allowed.headers['access-control-allow-origin'], ALLOWED);
      assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
      assert.match(String(allowed.headers.vary), /Origin/);
      const stranger = await request(app).get('/auth/sessions').set('Origin', 'https://evil.example');
      assert.equal(stranger.headers['access-control-allow-origin'], undefined);
      assert.equal(stranger.headers['access-control-allow-credentials'], undefined);
      assert.match(String(stranger.headers.vary), /Origin/);
      const preflight = await request(app)
        .options('/auth/sessions')
        .set('Origin', ALLOWED)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization, x-character-id')
        .expect(204);
      assert.match(String(preflight.headers['access-control-allow-headers']), /X-Character-Id/);
      const refused = await request(app).options('/auth/sessions').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET').expect(204);
      assert.equal(refused.headers['access-control-allow-origin'], undefined);
      // The default is no cross-origin caller at all.
      const byDefault = await request(primary.app).get('/auth/sessions').set('Origin', ALLOWED);
      assert.equal(byDefault.headers['access-control-allow-origin'], undefined);
    });
  });
}

describe('HTTP hygiene of the gateway', () => {
  let gateway: Server;
  let upstream: Server;
  let base: string;
  const seen: string[] = [];

  before(async () => {
    upstream = createServer((req, res) => {
      seen.push(String(req.headers['x-request-id']));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = createGateway({ routes: { primary: target, player: target, social: target }, logger: createSilentLogger() });
    await new Promise<void>((done) => gateway.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((done) => gateway.close(done));
    await new Promise((done) => upstream.close(done));
  });

  it('sends the security headers and a request id on its own answers, and passes the id to the service', async () => {
    const own = await request(base).get('/no-such-page').expect(404);
    assertSecurityHeaders(own, 'gateway 404');
    const docs = await request(base).get('/docs').expect(200);
    assertSecurityHeaders(docs, 'gateway /docs');
    const proxied = await request(base).get('/auth/sessions').expect(200);
    assert.equal(seen.at(-1), proxied.headers['x-request-id']);
  });
});
