import assert from 'node:assert/strict';
import { z } from 'zod';
import { AccessTokenVerifier, defineRoute, mountRoutes, SessionDenylist, type PrismaClient } from '../src/index.js';
import { testVerifyingKey } from '../src/testing/index.js';

describe('route tables: audit of staff routes', () => {
  const verifier = new AccessTokenVerifier(testVerifyingKey, new SessionDenylist());
  const auditLog = { service: 'test', prisma: {} as PrismaClient };
  const route = (access: 'player' | 'moderator' | 'admin', audited: boolean) =>
    defineRoute({
      method: 'post', path: '/admin/things', tag: 'test', access, summary: 'a thing', response: z.object({}),
      ...(audited ? { audit: { action: 'thing.do', targetType: 'thing' } } : {}),
      handle: async () => ({}),
    });

  it('refuses to mount a moderator or admin route that declares no audit row', () => {
    for (const access of ['moderator', 'admin'] as const) {
      assert.throws(() => mountRoutes([route(access, false)], verifier, auditLog), /needs an audit declaration/);
    }
  });

  it('refuses to mount a staff route without an audit log to write to, and mounts player routes without one', () => {
    assert.throws(() => mountRoutes([route('moderator', true)], verifier), /needs an audit declaration and an audit log/);
    assert.doesNotThrow(() => mountRoutes([route('player', false)], verifier));
    assert.doesNotThrow(() => mountRoutes([route('admin', true)], verifier, auditLog));
  });
});
