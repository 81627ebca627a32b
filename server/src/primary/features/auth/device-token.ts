import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const PREFIX = 'd1';

/**
 * A device token: given at each successful login and shown at the next one, it proves that
 * this browser logged into this account before, so its owner keeps a login budget of its own
 * while strangers have spent the account's (OWASP's "device cookies"). It is signed with the
 * token key (no storage) and names only the account and when it was issued; without the
 * password it grants nothing.
 */
export class DeviceTokens {
  private readonly publicKey: KeyObject;

  constructor(
    private readonly signingKey: KeyObject,
    private readonly ttlSeconds: number,
    private readonly clock: () => number,
  ) {
    this.publicKey = createPublicKey(signingKey);
  }

  issue(accountId: string): string {
    const payload = `${PREFIX}.${accountId}.${Math.floor(this.clock() / 1000)}`;
    return `${payload}.${sign(null, Buffer.from(payload), this.signingKey).toString('base64url')}`;
  }

  /** Whether `token` is a live device token of `accountId`. */
  isValidFor(token: string | undefined, accountId: string): boolean {
    if (!token) return false;
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX || parts[1] !== accountId) return false;
    const issuedAt = Number(parts[2]);
    if (!Number.isInteger(issuedAt) || this.clock() / 1000 - issuedAt > this.ttlSeconds) return false;
    const payload = parts.slice(0, 3).join('.');
    try {
      return verify(null, Buffer.from(payload), this.publicKey, Buffer.from(parts[3]!, 'base64url'));
    } catch {
      return false;
    }
  }
}
