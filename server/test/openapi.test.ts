import assert from 'node:assert/strict';
import { checkOpenApiDocument, createTestInfra, createTestPlayer, testSigningKey, testStacks } from '@mmo/platform/testing';
import request from 'supertest';
import { primarySettingsSchema } from '../src/primary/config.js';
import { createPrimaryApp, createPrimaryDeps, createPrimaryRouter, primaryOpenApiDocument } from '../src/primary/primary.app.js';

const [embedded] = testStacks();

describe('primary server OpenAPI document', () => {
  it('matches server/openapi.json and the mounted routes, every operation answers by its access level, and /docs serves it', async () => {
    const stack = await embedded!.open();
    const infra = await createTestInfra(stack);
    try {
      const deps = createPrimaryDeps(infra, primarySettingsSchema.parse({}), async () => {
        throw new Error('no game server in this test');
      }, testSigningKey);
      const app = createPrimaryApp(deps, { trustProxy: 'loopback' });
      const player = await createTestPlayer(infra);
      const document = primaryOpenApiDocument();
      await checkOpenApiDocument({ file: new URL('../openapi.json', import.meta.url), document, router: createPrimaryRouter(deps), app, playerToken: player.accessToken });
      assert.equal((await request(app).get('/docs/primary.json').expect(200)).body.info.title, 'Primary server');
      assert.match((await request(app).get('/docs').expect(200)).text, /Primary server API/);
    } finally {
      await infra.stop();
      await stack.close();
    }
  });
});
