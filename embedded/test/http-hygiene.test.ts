import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '@mmo/platform';
import { TEST_TOKEN_KEYS } from '@mmo/platform/testing';
import { embeddedConfigSchema } from '../src/config.js';
import { startEmbedded, type RunningEmbedded } from '../src/embedded.js';

const ALLOWED = 'https://game.example';
const STRANGER = 'https://evil.example';

/**
 * Embedded mode shares its HTTP server with Colyseus, whose own request listener answers
 * before Express and used to reflect any origin with credentials, on every route.
 */
describe('HTTP hygiene of embedded mode (Colyseus and every service on one port)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let running: RunningEmbedded;
  let base: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mmo-hygiene-'));
    const config = embeddedConfigSchema.parse({
      PORT: '0',
      DATA_DIR: dataDir,
      TOKEN_PRIVATE_KEY: TEST_TOKEN_KEYS.privateKeyPem,
      TOKEN_PUBLIC_KEY: TEST_TOKEN_KEYS.publicKeyPem,
      PASSWORD_HASH_COST: '10',
      CORS_ORIGINS: ALLOWED,
    });
    running = await startEmbedded(config, createSilentLogger());
    base = `http://127.0.0.1:${running.port}`;
  });
  after(async () => {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const preflight = (path: string, origin: string) =>
    fetch(`${base}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-character-id' } });

  it('answers preflights of /matchmake and of the services by the allowlist, never to a stranger', async () => {
    for (const path of ['/matchmake/joinOrCreate/map_area', '/auth/login', '/social/friends']) {
      const stranger = await preflight(path, STRANGER);
      assert.equal(stranger.headers.get('access-control-allow-origin'), null, `${path} from a stranger`);
      assert.equal(stranger.headers.get('access-control-allow-credentials'), null, `${path} from a stranger`);
      const allowed = await preflight(path, ALLOWED);
      assert.equal(allowed.headers.get('access-control-allow-origin'), ALLOWED, path);
      assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true', path);
      assert.match(String(allowed.headers.get('access-control-allow-headers')), /X-Character-Id/i, path);
    }
  });

  it('gives a stranger no CORS headers on credentialed routes, keeps /public open, and sends the security headers on pages and API', async () => {
    const credentialed = await fetch(`${base}/auth/sessions`, { headers: { origin: STRANGER } });
    assert.equal(credentialed.headers.get('access-control-allow-origin'), null);
    assert.match(String(credentialed.headers.get('vary')), /Origin/i);
    const open = await fetch(`${base}/public/online`, { headers: { origin: STRANGER } });
    assert.equal(open.status, 200);
    assert.equal(open.headers.get('access-control-allow-origin'), '*');
    assert.equal(open.headers.get('access-control-allow-credentials'), null);
    for (const path of ['/health', '/docs', '/auth/sessions', '/public/online', '/nowhere']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.match(String(res.headers.get('content-security-policy')), /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      assert.ok(res.headers.get('x-request-id'), path);
    }
  });
});
