import assert from 'node:assert/strict';
import {
  attackMessageSchema,
  combatMessageSchema,
  pickupMessageSchema,
  useItemMessageSchema,
  createCharacterRequestSchema,
  ITEMS,
  loadMonsterKinds,
  MONSTER_KIND_DATA,
  validateMonsterKinds,
  loadWorld,
  normalizeName,
  registerRequestSchema,
  STARTING_POSITION,
  MAX_AREA_SIDE,
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

  it('refuses an area wider than a position byte can address', () => {
    const wide = structuredClone(WORLD_AREAS) as unknown as Array<{ tiles: string[] }>;
    wide[1]!.tiles = wide[1]!.tiles.map((row) => row + '#'.repeat(MAX_AREA_SIDE + 1 - row.length));
    assert.throws(() => validateWorld(wide), new RegExp(`field: larger than ${MAX_AREA_SIDE} tiles a side`));
  });

  it('fills the field and the cellars with monsters, a boss among them, and leaves the town safe', () => {
    const world = loadWorld();
    const kinds = loadMonsterKinds();
    assert.deepEqual(world.get('town')?.spawnZones, []);
    assert.ok((world.get('field')?.spawnZones.length ?? 0) >= 3);
    const cellars = world.get('dungeon')!.spawnZones.map((zone) => kinds.get(zone.kind)!);
    assert.ok(cellars.some((kind) => kind.boss));
    const fieldLevels = world.get('field')!.spawnZones.map((zone) => kinds.get(zone.kind)!.level);
    assert.ok(Math.min(...cellars.map((kind) => kind.level)) > Math.min(...fieldLevels), 'the cellars are harder');
  });

  it('names every problem of spawn zones: outside the area, too few walkable tiles, unknown kind, aggro on an arrival', () => {
    const broken = structuredClone(WORLD_AREAS) as unknown as Array<{ spawnZones: Array<Record<string, unknown>> }>;
    broken[1]!.spawnZones.push(
      { id: 'outside', kind: 'wolf', x: 30, y: 18, width: 5, height: 5, count: 1 },
      { id: 'walled', kind: 'wolf', x: 10, y: 6, width: 3, height: 1, count: 1 },
      { id: 'ghosts', kind: 'ghost', x: 25, y: 1, width: 2, height: 2, count: 1 },
      { id: 'doorstep', kind: 'wolf', x: 11, y: 15, width: 2, height: 2, count: 1 },
    );
    assert.throws(
      () => validateWorld(broken),
      /spawn zone outside reaches outside the area.*spawn zone walled has 0 walkable tiles for 1 monsters.*spawn zone ghosts names an unknown monster kind ghost.*spawn zone doorstep is within aggro radius of the arrival at 10,15/,
    );
  });

  it('drops only items that exist, and potions that heal', () => {
    for (const kind of loadMonsterKinds().values()) {
      for (const entry of kind.loot.items) assert.ok(ITEMS.has(entry.itemId), `${kind.id} drops unknown ${entry.itemId}`);
    }
    assert.ok((ITEMS.get('health_potion')?.heal ?? 0) > 0);
  });

  it('refuses monster data with a kind defined twice or a leash shorter than the aggro radius', () => {
    assert.throws(() => validateMonsterKinds([...MONSTER_KIND_DATA, MONSTER_KIND_DATA[0]]), /field_rat: defined twice/);
    assert.throws(() => validateMonsterKinds([{ ...MONSTER_KIND_DATA[0], leashRadius: 1 }]), /leashRadius/);
  });

  it('parses attack, pickup and use messages and refuses extra fields', () => {
    assert.ok(attackMessageSchema.safeParse({ targetId: 'm1' }).success);
    assert.ok(pickupMessageSchema.safeParse({ dropId: 'd1' }).success);
    assert.ok(useItemMessageSchema.safeParse({ slot: 0 }).success);
    assert.equal(attackMessageSchema.safeParse({ targetId: 'm1', damage: 9999 }).success, false);
    assert.equal(useItemMessageSchema.safeParse({ slot: -1 }).success, false);
  });

  it('parses a combat message as a union of hits, deaths, experience, level ups, loot, heals and respawns', () => {
    const message = {
      events: [
        { type: 'hit', attackerId: 'abc', targetId: 'm1', targetKind: 'monster', damage: 12 },
        { type: 'death', id: 'm1', kind: 'monster', killerId: 'abc' },
        { type: 'xp', playerId: 'abc', amount: 12, xp: 40, level: 1 },
        { type: 'levelUp', playerId: 'abc', level: 2, maxHp: 132 },
        { type: 'loot', playerId: 'abc', itemId: null, quantity: 3 },
      ],
    };
    assert.ok(combatMessageSchema.safeParse(message).success);
    assert.equal(combatMessageSchema.safeParse({ events: [{ type: 'hit', damage: 1 }] }).success, false);
  });
});
