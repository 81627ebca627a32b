import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SessionDenylist } from '../src/denylist.js';
import { DomainError } from '../src/errors.js';
import { AccessTokenSigner, AccessTokenVerifier } from '../src/tokens.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

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
    const { token, expiresIn } = await new AccessTokenSigner(privateKey, 900, clock).sign(claims);
    const auth = await new AccessTokenVerifier(publicKey, new SessionDenylist(clock), clock).verify(token);
    assert.equal(expiresIn, 900);
    assert.deepEqual({ ...auth, expiresAt: undefined }, { ...claims, expiresAt: undefined });
  });

  it('refuses with TOKEN_EXPIRED once the lifetime has passed', async () => {
    const { token } = await new AccessTokenSigner(privateKey, 60, clock).sign(claims);
    now += 61_000;
    await rejectsWith(new AccessTokenVerifier(publicKey, new SessionDenylist(clock), clock).verify(token), 'TOKEN_EXPIRED');
  });

  it('refuses with UNAUTHENTICATED a token signed with another key', async () => {
    const { token } = await new AccessTokenSigner(other.privateKey, 60, clock).sign(claims);
    await rejectsWith(new AccessTokenVerifier(publicKey, new SessionDenylist(clock), clock).verify(token), 'UNAUTHENTICATED');
  });

  it('refuses with UNAUTHENTICATED an HS256 token, whatever its secret', async () => {
    const { SignJWT } = await import('jose');
    const forged = await new SignJWT({ sid: claims.sessionId, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.accountId)
      .setIssuer('mmo-primary')
      .setAudience('mmo')
      .setExpirationTime(Math.floor(now / 1000) + 60)
      .sign(new TextEncoder().encode('a guessed shared secret of some length'));
    await rejectsWith(new AccessTokenVerifier(publicKey, new SessionDenylist(clock), clock).verify(forged), 'UNAUTHENTICATED');
  });

  it('refuses with UNAUTHENTICATED a correctly signed token whose lifetime exceeds the maximum, or that has no issue time', async () => {
    const verifier = new AccessTokenVerifier(publicKey, new SessionDenylist(clock), clock);
    const longLived = await new AccessTokenSigner(privateKey, 3601, clock).sign(claims);
    await rejectsWith(verifier.verify(longLived.token), 'UNAUTHENTICATED');
    const atTheMaximum = await new AccessTokenSigner(privateKey, 3600, clock).sign(claims);
    assert.equal((await verifier.verify(atTheMaximum.token)).accountId, claims.accountId);
    const { SignJWT } = await import('jose');
    const withoutIat = await new SignJWT({ sid: claims.sessionId, role: 'player' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(claims.accountId)
      .setIssuer('mmo-primary')
      .setAudience('mmo')
      .setExpirationTime(Math.floor(now / 1000) + 60)
      .sign(privateKey);
    await rejectsWith(verifier.verify(withoutIat), 'UNAUTHENTICATED');
    const stricter = new AccessTokenVerifier(publicKey, new SessionDenylist(clock), clock, undefined, 600);
    await rejectsWith(stricter.verify(atTheMaximum.token), 'UNAUTHENTICATED');
  });

  it('refuses with SESSION_REVOKED while the session is on the denylist, and forgets it after', async () => {
    const denylist = new SessionDenylist(clock);
    const verifier = new AccessTokenVerifier(publicKey, denylist, clock);
    const { token } = await new AccessTokenSigner(privateKey, 900, clock).sign(claims);
    denylist.add(claims.sessionId, now + 1000);
    await rejectsWith(verifier.verify(token), 'SESSION_REVOKED');
    now += 1001;
    denylist.prune();
    assert.equal(denylist.size, 0);
    await verifier.verify(token);
  });
});
