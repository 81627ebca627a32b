import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SessionDenylist } from '../src/denylist.js';
import { DomainError } from '../src/errors.js';
import { AccessTokenSigner, AccessTokenVerifier } from '../src/tokens.js';

const secret = 'a-test-secret-that-is-long-enough-0123456789';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof DomainError && error.code === code);
}

describe('access tokens', () => {
  let now: number;
  const clock = () => now;
  const claims = { accountId: randomUUID(), sessionId: randomUUID(), role: 'player' as const };

  beforeEach(() => {
    now = Date.UTC(2026, 10, 26, 12);
  });

  it('verifies a token it signed and returns its claims', async () => {
    const { token, expiresIn } = await new AccessTokenSigner(secret, 900, clock).sign(claims);
    const auth = await new AccessTokenVerifier(secret, new SessionDenylist(clock), clock).verify(token);
    assert.equal(expiresIn, 900);
    assert.deepEqual({ ...auth, expiresAt: undefined }, { ...claims, expiresAt: undefined });
  });

  it('refuses with TOKEN_EXPIRED once the lifetime has passed', async () => {
    const { token } = await new AccessTokenSigner(secret, 60, clock).sign(claims);
    now += 61_000;
    await rejectsWith(new AccessTokenVerifier(secret, new SessionDenylist(clock), clock).verify(token), 'TOKEN_EXPIRED');
  });

  it('refuses with UNAUTHENTICATED a token signed with another secret', async () => {
    const { token } = await new AccessTokenSigner(`${secret}-other`, 60, clock).sign(claims);
    await rejectsWith(new AccessTokenVerifier(secret, new SessionDenylist(clock), clock).verify(token), 'UNAUTHENTICATED');
  });

  it('refuses with SESSION_REVOKED while the session is on the denylist, and forgets it after', async () => {
    const denylist = new SessionDenylist(clock);
    const verifier = new AccessTokenVerifier(secret, denylist, clock);
    const { token } = await new AccessTokenSigner(secret, 900, clock).sign(claims);
    denylist.add(claims.sessionId, now + 1000);
    await rejectsWith(verifier.verify(token), 'SESSION_REVOKED');
    now += 1001;
    denylist.prune();
    assert.equal(denylist.size, 0);
    await verifier.verify(token);
  });
});
