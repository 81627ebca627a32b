import assert from 'node:assert/strict';
import { checkOpenApiDocument, createTestInfra, createTestPlayer, testStacks } from '@mmo/platform/testing';
import request from 'supertest';
import { playerSettingsSchema } from '../src/config.js';
import { createPlayerApp, createPlayerDeps, createPlayerRouter, playerOpenApiDocument } from '../src/player.app.js';

const [embedded] = testStacks();

describe('player API OpenAPI document', () => {
  it('matches player-api/openapi.json and the mounted routes, every operation answers by its access level, and /docs serves it', async () => {
    const stack = await embedded!.open();
    const infra = await createTestInfra(stack);
    try {
      const deps = createPlayerDeps(infra, playerSettingsSchema.parse({}));
      const app = createPlayerApp(deps, { trustProxy: 'loopback' });
      const player = await createTestPlayer(infra);
      const document = playerOpenApiDocument();
      await checkOpenApiDocument({ file: new URL('../openapi.json', import.meta.url), document, router: createPlayerRouter(deps), app, playerToken: player.accessToken });
      assert.equal((await request(app).get('/docs/player.json').expect(200)).body.info.title, 'Player API');
      assert.match((await request(app).get('/docs').expect(200)).text, /<title>Player API<\/title>/);
    } finally {
      await infra.stop();
      await stack.close();
    }
  });
});
