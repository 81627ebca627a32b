import assert from 'node:assert/strict';
import {
  createCharacterRequestSchema,
  loadWorld,
  normalizeName,
  registerRequestSchema,
  STARTING_POSITION,
  validateWorld,
  WORLD_AREAS,
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

describe('world data', () => {
  it('validates the shipped areas, with the starting position on the town spawn', () => {
    const world = loadWorld();
    assert.deepEqual([...world.keys()].sort(), ['dungeon', 'field', 'town']);
    const town = world.get('town');
    assert.deepEqual(town?.spawn, { x: STARTING_POSITION.x, y: STARTING_POSITION.y });
  });

  it('names every problem of broken world data at once', () => {
    const broken = structuredClone(WORLD_AREAS) as unknown as Array<{ tiles: string[]; portals: Array<{ x: number; y: number }> }>;
    broken[0]!.tiles[3] = '#';
    broken[1]!.portals[0]!.x = 0;
    assert.throws(() => validateWorld(broken), /town: row 3 is 1 tiles wide.*field: portal at 0,10 is not walkable/);
  });
});
