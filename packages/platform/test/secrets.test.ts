import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMatchingKeyPair, parsePrivateKey, parsePublicKey } from '../src/keys.js';
import { loadOrCreateEmbeddedSecrets } from '../src/secrets.js';

describe('embedded secrets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmo-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a matching Ed25519 pair once, readable by its owner only, and keeps it', async () => {
    const first = await loadOrCreateEmbeddedSecrets(dir);
    assert.ok(isMatchingKeyPair(parsePrivateKey(first.tokenPrivateKey), parsePublicKey(first.tokenPublicKey)));
    assert.equal((await stat(join(dir, 'secrets.json'))).mode & 0o777, 0o600);
    assert.deepEqual(await loadOrCreateEmbeddedSecrets(dir), first);
  });

  it('replaces a secrets file from before token keys', async () => {
    await writeFile(join(dir, 'secrets.json'), JSON.stringify({ jwtSecret: 'x'.repeat(48) }));
    const secrets = await loadOrCreateEmbeddedSecrets(dir);
    assert.ok(parsePublicKey(secrets.tokenPublicKey));
    assert.doesNotMatch(await readFile(join(dir, 'secrets.json'), 'utf8'), /jwtSecret/);
  });
});
