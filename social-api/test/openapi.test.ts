import assert from 'node:assert/strict';
import { checkOpenApiDocument } from '@mmo/platform/testing';
import request from 'supertest';
import { createSocialRouter, socialOpenApiDocument } from '../src/social.app.js';
import { createSocialPlayer, startSocial, testStacks, type SocialFixture } from './social.fixture.js';

const [embedded] = testStacks();

describe('social API OpenAPI document', () => {
  let fixture: SocialFixture;
  let closeStack: () => Promise<void>;
  const document = socialOpenApiDocument();

  before(async () => {
    const stack = await embedded!.open();
    closeStack = () => stack.close();
    fixture = await startSocial(stack);
  });
  after(async () => {
    await fixture.stop();
    await closeStack();
  });

  it('matches social-api/openapi.json and the mounted routes, and every operation answers by its access level', async () => {
    const player = await createSocialPlayer(fixture);
    const router = createSocialRouter(fixture.deps);
    // The router also serves its own document.
    router.stack.splice(router.stack.findIndex((layer) => (layer as { route?: { path: string } }).route?.path === '/social/openapi.json'), 1);
    await checkOpenApiDocument({ file: new URL('../openapi.json', import.meta.url), document, router, app: fixture.app, playerToken: player.token });
  });

  it('lists each operation error codes under their HTTP statuses, with Retry-After on 429', () => {
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, { description: string; headers?: object }> }>>;
    const invite = paths['/social/parties/{partyId}/invites']!.post!.responses;
    assert.match(invite['409']!.description, /PARTY_FULL/);
    assert.match(invite['403']!.description, /BLOCKED/);
    assert.match(invite['401']!.description, /UNAUTHENTICATED/);
    assert.ok(invite['429']!.headers);
    assert.ok(invite['201']);
  });

  it('serves the document at /social/openapi.json and the docs page at /docs', async () => {
    assert.equal((await request(fixture.app).get('/social/openapi.json').expect(200)).body.openapi, '3.1.0');
    assert.equal((await request(fixture.app).get('/docs/social.json').expect(200)).body.info.title, 'Social API');
    assert.match((await request(fixture.app).get('/docs').expect(200)).text, /<title>Social API<\/title>/);
  });
});
