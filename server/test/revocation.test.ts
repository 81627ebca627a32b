import assert from 'node:assert/strict';
import { createHttpApp, finishHttpApp, requireAuth } from '@mmo/platform';
import { createTestInfra, testStacks, waitUntil, type TestStack } from '@mmo/platform/testing';
import request from 'supertest';
import { registerAndLogin, startPrimary, type PrimaryFixture } from './primary.fixture.js';

for (const kind of testStacks()) {
  describe(`session revocation across services (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;
    let other: Awaited<ReturnType<typeof createTestInfra>>;
    let otherApp: ReturnType<typeof createHttpApp>;

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack);
      // A second service process with its own bus connection, denylist and verifier, as the
      // player or social API has: it shares only the signing secret and the bus with the primary.
      other = await createTestInfra(stack);
      otherApp = createHttpApp({ trustProxy: 'loopback' });
      otherApp.get('/protected', requireAuth(other.verifier), (_req, res) => void res.json({ ok: true }));
      finishHttpApp(otherApp, other.logger);
    });
    after(async () => {
      await other.stop();
      await primary.stop();
      await stack.close();
    });

    it('makes another service refuse a logged-out session token within 1 s', async () => {
      const login = await registerAndLogin(primary.app);
      await request(otherApp).get('/protected').auth(login.accessToken, { type: 'bearer' }).expect(200);
      await request(primary.app).post('/auth/logout').auth(login.accessToken, { type: 'bearer' }).expect(204);
      const elapsed = await waitUntil(async () => {
        const res = await request(otherApp).get('/protected').auth(login.accessToken, { type: 'bearer' });
        return res.status === 401 && res.body.code === 'SESSION_REVOKED';
      }, 1000, 5);
      assert.ok(elapsed <= 1000);
    });

    it('makes a service that starts after the logout refuse the token too', async () => {
      const login = await registerAndLogin(primary.app);
      await request(primary.app).post('/auth/logout').auth(login.accessToken, { type: 'bearer' }).expect(204);
      const late = await createTestInfra(stack);
      try {
        await assert.rejects(late.verifier.verify(login.accessToken), { code: 'SESSION_REVOKED' });
      } finally {
        await late.stop();
      }
    });

    it('makes another service refuse the tokens of a session revoked for refresh-token reuse', async () => {
      const login = await registerAndLogin(primary.app);
      const rotated = await request(primary.app).post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(200);
      await request(otherApp).get('/protected').auth(rotated.body.accessToken, { type: 'bearer' }).expect(200);
      await request(primary.app).post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(401);
      await waitUntil(async () => {
        const res = await request(otherApp).get('/protected').auth(rotated.body.accessToken, { type: 'bearer' });
        return res.status === 401;
      }, 1000, 5);
    });
  });
}
