import assert from 'node:assert/strict';
import { healthSchema } from '@mmo/shared';
import { createTestInfra, testStacks, type TestStack } from '@mmo/platform/testing';
import request from 'supertest';
import { createSocialApp, createSocialDeps } from '../src/social.app.js';

for (const kind of testStacks()) {
  describe(`social API app (${kind.name} stack)`, () => {
    let stack: TestStack;
    let infra: Awaited<ReturnType<typeof createTestInfra>>;
    let app: ReturnType<typeof createSocialApp>;

    before(async () => {
      stack = await kind.open();
      infra = await createTestInfra(stack);
      app = createSocialApp(createSocialDeps(infra), { trustProxy: 'loopback' });
    });
    after(async () => {
      await infra.stop();
      await stack.close();
    });

    it('reports itself healthy', async () => {
      const res = await request(app).get('/health').expect(200);
      assert.deepEqual(healthSchema.parse(res.body), { service: 'social-api', status: 'ok' });
    });

    it('answers 404 NOT_FOUND as JSON for a route it does not have', async () => {
      const res = await request(app).get('/social/friends').expect(404);
      assert.equal(res.body.code, 'NOT_FOUND');
    });
  });
}
