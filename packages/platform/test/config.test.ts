import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError, configFields, parseConfig } from '../src/config.js';
import { generateTokenKeyPair } from '../src/keys.js';

const schema = z.object({
  PORT: configFields.port(2567),
  DATABASE_URL: configFields.databaseUrl,
  TOKEN_PUBLIC_KEY: configFields.tokenPublicKey,
});

describe('parseConfig', () => {
  it('accepts a key as PEM and as base64 of PEM, and refuses a private key where the public one goes', () => {
    const pair = generateTokenKeyPair();
    const env = { DATABASE_URL: 'postgresql://db/x' };
    parseConfig(schema, { ...env, TOKEN_PUBLIC_KEY: Buffer.from(pair.publicKeyPem).toString('base64') });
    assert.throws(() => parseConfig(schema, { ...env, TOKEN_PUBLIC_KEY: pair.privateKeyPem.replace('PRIVATE', 'PUBLIC') }), ConfigError);
  });

  it('applies defaults and coerces numbers', () => {
    const config = parseConfig(schema, { DATABASE_URL: 'postgresql://db/x', TOKEN_PUBLIC_KEY: generateTokenKeyPair().publicKeyPem });
    assert.equal(config.PORT, 2567);
  });

  it('names every bad key in one error when several are wrong', () => {
    try {
      parseConfig(schema, { PORT: 'eighty', TOKEN_PUBLIC_KEY: 'not a key' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT: /);
      assert.doesNotMatch(error.message, /PORT is required/);
      assert.match(error.message, /DATABASE_URL is required/);
      assert.match(error.message, /TOKEN_PUBLIC_KEY: must be an Ed25519 public key/);
      assert.equal(error.problems.length, 3);
    }
  });
});
