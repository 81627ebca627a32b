import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError, configFields, parseConfig } from '../src/config.js';

const schema = z.object({
  PORT: configFields.port(2567),
  DATABASE_URL: configFields.databaseUrl,
  JWT_SECRET: configFields.jwtSecret,
});

describe('parseConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = parseConfig(schema, { DATABASE_URL: 'postgresql://db/x', JWT_SECRET: 'x'.repeat(32) });
    assert.equal(config.PORT, 2567);
  });

  it('names every bad key in one error when several are wrong', () => {
    try {
      parseConfig(schema, { PORT: 'eighty', JWT_SECRET: 'short' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT: /);
      assert.doesNotMatch(error.message, /PORT is required/);
      assert.match(error.message, /DATABASE_URL is required/);
      assert.match(error.message, /JWT_SECRET: must be at least 32 characters/);
      assert.equal(error.problems.length, 3);
    }
  });
});
