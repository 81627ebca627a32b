import type { KeyObject } from 'node:crypto';
import { ErrorCode, Role } from '@mmo/shared';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { SessionDenylist } from './denylist.js';
import type { SanctionList } from './sanctions.js';
import { DomainError } from './errors.js';

import { MAX_ACCESS_TOKEN_TTL_SECONDS } from './denylist.js';

const ISSUER = 'mmo-primary';
/** How far ahead of this process's clock a token may say it was issued. */
const CLOCK_SKEW_MS = 60_000;
const AUDIENCE = 'mmo';

/** What an access token says about its bearer. */
export interface AccessClaims {
  accountId: string;
  sessionId: string;
  role: Role;
}

/** Verified claims plus the token's expiry (epoch ms). */
export interface AuthContext extends AccessClaims {
  expiresAt: number;
}

const payloadSchema = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  role: z.enum(Role),
  exp: z.number(),
  iat: z.number(),
});

/** Milliseconds since the epoch; injected so that tests control time. */
export type Clock = () => number;

/** Signs short-lived EdDSA (Ed25519) access tokens. Only the primary server holds the private key. */
export class AccessTokenSigner {
  constructor(
    private readonly privateKey: KeyObject,
    readonly ttlSeconds: number,
    private readonly clock: Clock = Date.now,
  ) {}

  async sign(claims: AccessClaims): Promise<{ token: string; expiresIn: number; expiresAt: number }> {
    const issuedAt = Math.floor(this.clock() / 1000);
    const expiresAtSeconds = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ sid: claims.sessionId, role: claims.role })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setSubject(claims.accountId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAtSeconds)
      .sign(this.privateKey);
    return { token, expiresIn: this.ttlSeconds, expiresAt: expiresAtSeconds * 1000 };
  }
}

/**
 * Verifies access tokens in any service without asking the primary: the signature (with the
 * primary's public key), issuer, audience and expiry, then the account's bans and the denylist
 * of revoked sessions, both kept current from the bus. A ban is checked first, so that a
 * banned player is told `ACCOUNT_BANNED` with its reason and end rather than a bare
 * `SESSION_REVOKED` (a ban also revokes every session).
 */
export class AccessTokenVerifier {
  constructor(
    private readonly publicKey: KeyObject,
    private readonly denylist: SessionDenylist,
    private readonly clock: Clock = Date.now,
    private readonly sanctions?: SanctionList,
    /**
     * The longest lifetime (`exp - iat`) accepted. Services remember a revoked session for
     * MAX_ACCESS_TOKEN_TTL_SECONDS only, so a longer-lived token (a leaked key, a misconfigured
     * signer) would outlive its revocation.
     */
    private readonly maxLifetimeSeconds: number = MAX_ACCESS_TOKEN_TTL_SECONDS,
  ) {}

  async verify(token: string): Promise<AuthContext> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
        currentDate: new Date(this.clock()),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new DomainError(ErrorCode.TOKEN_EXPIRED);
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is not valid.');
    }
    const claims = payloadSchema.safeParse(payload);
    if (!claims.success) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is not valid.');
    const lifetime = claims.data.exp - claims.data.iat;
    if (lifetime > this.maxLifetimeSeconds || claims.data.iat * 1000 > this.clock() + CLOCK_SKEW_MS) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is not valid.');
    }
    this.sanctions?.assertNotBanned(claims.data.sub);
    if (this.denylist.has(claims.data.sid)) throw new DomainError(ErrorCode.SESSION_REVOKED);
    return {
      accountId: claims.data.sub,
      sessionId: claims.data.sid,
      role: claims.data.role,
      expiresAt: claims.data.exp * 1000,
    };
  }
}
