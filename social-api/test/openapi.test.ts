import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { documentedOperations, mountedOperations } from '@mmo/platform';
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

  it('matches the checked-in social-api/openapi.json (regenerate with npm run openapi)', async () => {
    const file = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8')) as unknown;
    assert.deepEqual(file, document);
  });

  it('documents every route the app mounts, and mounts every documented one', () => {
    const mounted = mountedOperations(createSocialRouter(fixture.deps)).filter((op) => op !== 'GET /social/openapi.json');
    assert.deepEqual([...mounted].sort(), [...documentedOperations(document)].sort());
  });

  it('answers every documented operation: 401 without a token, 403 for a player on moderator routes', async () => {
    const player = await createSocialPlayer(fixture);
    for (const operation of documentedOperations(document)) {
      const [method, path] = operation.split(' ') as [string, string];
      const url = path.replace(/:[A-Za-z0-9_]+/g, '00000000-0000-4000-8000-000000000000');
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const anonymous = await request(fixture.app)[verb](url);
      assert.deepEqual([anonymous.status, anonymous.body.code], [401, 'UNAUTHENTICATED'], operation);
      if (path.startsWith('/admin/')) {
        const refused = await player.call(verb, url, {});
        assert.deepEqual([refused.status, refused.body.code], [403, 'FORBIDDEN'], operation);
      }
    }
  });

  it('lists each operation error codes under their HTTP statuses', () => {
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    const invite = paths['/social/parties/{partyId}/invites']!.post!.responses;
    assert.match(invite['409']!.description, /PARTY_FULL/);
    assert.match(invite['403']!.description, /BLOCKED/);
    assert.match(invite['401']!.description, /UNAUTHENTICATED/);
    assert.ok(invite['201']);
  });

  it('serves the document at /social/openapi.json', async () => {
    const res = await request(fixture.app).get('/social/openapi.json').expect(200);
    assert.equal(res.body.openapi, '3.1.0');
  });
});
