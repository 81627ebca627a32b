import assert from 'node:assert/strict';
import {
  createCharacterRequestSchema,
  normalizeName,
  registerRequestSchema,
} from '../src/index.js';

describe('shared contract', () => {
  it('accepts a well-formed registration', () => {
    assert.ok(registerRequestSchema.safeParse({ username: 'Aria_01', password: 'correct horse' }).success);
  });

  it('refuses a username that starts with a digit', () => {
    const result = registerRequestSchema.safeParse({ username: '1aria', password: 'correct horse' });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['username']);
  });

  it('refuses a password shorter than 8 characters', () => {
    const result = registerRequestSchema.safeParse({ username: 'aria', password: 'short' });
    assert.deepEqual(result.error?.issues[0]?.path, ['password']);
  });

  it('refuses a character class outside the class list', () => {
    const result = createCharacterRequestSchema.safeParse({ name: 'Aria', class: 'necromancer' });
    assert.deepEqual(result.error?.issues[0]?.path, ['class']);
  });

  it('folds case and compatibility forms into one name key', () => {
    assert.equal(normalizeName('ＡRIA'), normalizeName('aria'));
  });
});
