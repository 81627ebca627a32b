import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Access tokens are signed with Ed25519: only the primary holds the private key, every other
 * service verifies with the public key, so none of them can mint a token.
 *
 * Keys travel as PEM. In environment variables, where newlines are awkward, the PEM may also
 * be given base64-encoded on one line (`base64 -w0 key.pem`).
 */
export interface TokenKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A new Ed25519 key pair, as PEM. */
export function generateTokenKeyPair(): TokenKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function pemText(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('-----BEGIN') ? trimmed : Buffer.from(trimmed, 'base64').toString('utf8');
}

/** Parses an Ed25519 private key (PEM, or base64 of PEM); throws on anything else. */
export function parsePrivateKey(value: string): KeyObject {
  const key = createPrivateKey(pemText(value));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

/** Parses an Ed25519 public key (PEM, or base64 of PEM); throws on anything else. */
export function parsePublicKey(value: string): KeyObject {
  const key = createPublicKey(pemText(value));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

/** Whether a private and a public key belong together (a signature of one verifies with the other). */
export function isMatchingKeyPair(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const probe = Buffer.from('mmo key pair check');
  return verify(null, probe, publicKey, sign(null, probe, privateKey));
}
