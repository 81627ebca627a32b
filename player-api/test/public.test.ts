import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { MemoryLeaderboardStore, RedisLeaderboardStore, type LeaderboardStore } from '@mmo/platform';
import { createTestInfra, createTestPlayer, testStacks, type TestStack } from '@mmo/platform/testing';
import { normalizeName, type AreaId, type CharacterClass } from '@mmo/shared';
import type { Express } from 'express';
import request from 'supertest';
import { playerSettingsSchema } from '../src/config.js';
import { createPlayerApp, createPlayerDeps } from '../src/player.app.js';

/** Letters only, unique per call: character names allow no digits. */
function uniqueLetters(length: number): string {
  return [...randomBytes(length)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
}

/** An address of the documentation range with its own /64, so that each test has its own budget. */
function uniqueAddress(): string {
  return `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`;
}

const sortedKeys = (value: object) => Object.keys(value).sort();

for (const kind of testStacks()) {
  describe(`public widget endpoints (${kind.name} stack)`, () => {
    let stack: TestStack;
    let infra: Awaited<ReturnType<typeof createTestInfra>>;
    let leaderboards: LeaderboardStore;
    let accountId: string;

    /** A player API app on this stack, with these settings over the defaults. */
    function appWith(settings: Record<string, string> = {}): Express {
      const deps = createPlayerDeps(infra, playerSettingsSchema.parse({ PUBLIC_RATE_LIMIT_PER_IP: '10000', ...settings }));
      return createPlayerApp({ ...deps, leaderboards }, { trustProxy: 'loopback' });
    }

    async function createCharacter(fields: { class?: CharacterClass; level?: number; hidden?: boolean; lastSeenAt?: Date } = {}) {
      const name = `Pub${uniqueLetters(10)}`;
      return stack.db.prisma.character.create({
        data: { accountId, name, nameKey: normalizeName(name), class: fields.class ?? 'ranger', level: fields.level ?? 1, area: 'town', x: 1, y: 1, ...fields },
      });
    }

    before(async () => {
      stack = await kind.open();
      infra = await createTestInfra(stack);
      // Boards of their own: other suites on the same Redis must not show up on these.
      leaderboards = stack.redis ? new RedisLeaderboardStore(stack.redis, `mmo:test:public:${randomUUID()}:`) : new MemoryLeaderboardStore();
      accountId = (await createTestPlayer(infra)).accountId;
    });
    after(async () => {
      await infra.stop();
      await stack.close();
    });

    it('answers the card with exactly name, class, level, guild, online and lastSeen, for the name in any letter case', async () => {
      const lastSeenAt = new Date('2025-03-04T05:06:07.089Z');
      const character = await createCharacter({ class: 'mage', level: 7, lastSeenAt });
      const guildName = `Order ${uniqueLetters(8)}`;
      const tag = uniqueLetters(4).toUpperCase();
      const guild = await stack.db.prisma.guild.create({
        data: {
          name: guildName, nameKey: normalizeName(guildName), tag, tagKey: normalizeName(tag), motd: 'members only',
          ranks: { create: { name: 'Leader', position: 0, permissions: ['invite'] } },
        },
        include: { ranks: true },
      });
      await stack.db.prisma.guildMember.create({ data: { characterId: character.id, guildId: guild.id, rankId: guild.ranks[0]!.id } });

      const res = await request(appWith()).get(`/public/characters/${character.name.toUpperCase()}`).expect(200);
      assert.deepEqual(sortedKeys(res.body), ['class', 'guild', 'lastSeen', 'level', 'name', 'online']);
      assert.deepEqual(sortedKeys(res.body.guild), ['name', 'tag']);
      assert.deepEqual(res.body, {
        name: character.name, class: 'mage', level: 7, guild: { name: guildName, tag }, online: false, lastSeen: lastSeenAt.toISOString(),
      });
    });

    it('answers guild null and lastSeen null for a character without a guild that never played', async () => {
      const character = await createCharacter();
      const res = await request(appWith()).get(`/public/characters/${character.name.toLowerCase()}`).expect(200);
      assert.deepEqual(res.body, { name: character.name, class: 'ranger', level: 1, guild: null, online: false, lastSeen: null });
    });

    it('shows a character online, with lastSeen null, while the online directory lists it', async () => {
      const character = await createCharacter({ lastSeenAt: new Date() });
      const owner = { roomId: `room-${randomUUID()}`, sessionId: 'session' };
      await stack.online.put({ characterId: character.id, name: character.name, area: 'field', ...owner, since: Date.now() }, 30);
      const online = await request(appWith()).get(`/public/characters/${character.name}`).expect(200);
      assert.deepEqual([online.body.online, online.body.lastSeen], [true, null]);
      await stack.online.remove(character.id, owner);
      const offline = await request(appWith()).get(`/public/characters/${character.name}`).expect(200);
      assert.equal(offline.body.online, false);
      assert.equal(typeof offline.body.lastSeen, 'string');
    });

    it('answers 404 CHARACTER_NOT_FOUND for a hidden character, as for a name nobody has', async () => {
      const hidden = await createCharacter({ hidden: true, level: 30 });
      const app = appWith();
      const res = await request(app).get(`/public/characters/${hidden.name}`).expect(404);
      assert.deepEqual(sortedKeys(res.body), ['code', 'message']);
      assert.equal(res.body.code, 'CHARACTER_NOT_FOUND');
      const unknown = await request(app).get(`/public/characters/Nobody${uniqueLetters(8)}`).expect(404);
      assert.deepEqual(unknown.body, res.body);
    });

    it('answers 400 VALIDATION_FAILED for a name that breaks the name rules', async () => {
      const res = await request(appWith()).get('/public/characters/Bad1Name').expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    });

    it('counts online characters in all and per area, then reuses the count for PUBLIC_ONLINE_COUNT_SECONDS', async () => {
      const base = await stack.online.countByArea();
      const owner = { roomId: `room-${randomUUID()}`, sessionId: 'session' };
      const added: Record<AreaId, number> = { town: 2, field: 0, dungeon: 1 };
      const ids: string[] = [];
      for (const area of ['town', 'town', 'dungeon'] as const) {
        const characterId = randomUUID();
        ids.push(characterId);
        await stack.online.put({ characterId, name: 'Counted', area, ...owner, since: Date.now() }, 30);
      }
      const app = appWith({ PUBLIC_ONLINE_COUNT_SECONDS: '60' });
      const res = await request(app).get('/public/online').expect(200);
      assert.deepEqual(sortedKeys(res.body), ['areas', 'total']);
      assert.deepEqual(sortedKeys(res.body.areas), ['dungeon', 'field', 'town']);
      const areas = { town: base.town + added.town, field: base.field + added.field, dungeon: base.dungeon + added.dungeon };
      assert.deepEqual(res.body, { total: areas.town + areas.field + areas.dungeon, areas });
      for (const id of ids) await stack.online.remove(id, owner);
      const reused = await request(app).get('/public/online').expect(200);
      assert.deepEqual(reused.body, res.body);
    });

    it('answers the top of a board with exactly rank, name, class, level and score per entry, best first', async () => {
      const low = await createCharacter({ class: 'warrior', level: 3 });
      const high = await createCharacter({ class: 'mage', level: 9 });
      const middle = await createCharacter({ class: 'warrior', level: 5 });
      for (const row of [low, high, middle]) {
        await leaderboards.record({ characterId: row.id, name: row.name, class: row.class as CharacterClass, level: row.level, xp: 0, gold: 0, monstersDefeated: row.level, hidden: false });
      }
      const app = appWith();
      const res = await request(app).get('/public/leaderboards/monsters?limit=2').expect(200);
      assert.deepEqual(sortedKeys(res.body), ['board', 'class', 'entries']);
      for (const entry of res.body.entries) assert.deepEqual(sortedKeys(entry), ['class', 'level', 'name', 'rank', 'score']);
      assert.deepEqual(res.body, {
        board: 'monsters', class: null,
        entries: [
          { rank: 1, name: high.name, class: 'mage', level: 9, score: 9 },
          { rank: 2, name: middle.name, class: 'warrior', level: 5, score: 5 },
        ],
      });
      const warriors = await request(app).get('/public/leaderboards/level?class=warrior').expect(200);
      assert.equal(warriors.body.class, 'warrior');
      assert.deepEqual(warriors.body.entries.map((e: { rank: number; name: string }) => [e.rank, e.name]), [[1, middle.name], [2, low.name]]);
    });

    it('answers 400 VALIDATION_FAILED for an unknown board or a limit past the maximum', async () => {
      const app = appWith();
      assert.equal((await request(app).get('/public/leaderboards/charisma').expect(400)).body.code, 'VALIDATION_FAILED');
      assert.equal((await request(app).get('/public/leaderboards/level?limit=51').expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('opens CORS to any origin and lets caches keep answers with stale-while-revalidate on every public route', async () => {
      const character = await createCharacter();
      const app = appWith({ PUBLIC_CACHE_SECONDS: '30', PUBLIC_STALE_SECONDS: '300' });
      for (const path of [`/public/characters/${character.name}`, '/public/online', '/public/leaderboards/level']) {
        const res = await request(app).get(path).set('Origin', 'https://fan-site.example').expect(200);
        assert.equal(res.headers['access-control-allow-origin'], '*', path);
        assert.equal(res.headers['cache-control'], 'public, max-age=30, stale-while-revalidate=300', path);
        assert.equal(res.headers['access-control-allow-credentials'], undefined, path);
      }
    });

    it('answers 304 with no body to a matching If-None-Match, and 200 once the answer changed', async () => {
      const character = await createCharacter({ level: 4 });
      const app = appWith();
      for (const path of [`/public/characters/${character.name}`, '/public/online', '/public/leaderboards/gold']) {
        const first = await request(app).get(path).expect(200);
        const etag = first.headers.etag;
        assert.ok(etag, `${path} has an ETag`);
        const again = await request(app).get(path).set('If-None-Match', etag).expect(304);
        assert.equal(again.text, '');
      }
      const first = await request(app).get(`/public/characters/${character.name}`).expect(200);
      await stack.db.prisma.character.update({ where: { id: character.id }, data: { level: 5 } });
      const changed = await request(app).get(`/public/characters/${character.name}`).set('If-None-Match', first.headers.etag!).expect(200);
      assert.equal(changed.body.level, 5);
    });

    it('answers 429 RATE_LIMITED with Retry-After, CORS and no-store past the per-address limit, shared by every public route', async () => {
      const app = appWith({ PUBLIC_RATE_LIMIT_PER_IP: '3', PUBLIC_RATE_WINDOW_SECONDS: '60' });
      const address = uniqueAddress();
      await request(app).get('/public/online').set('X-Forwarded-For', address).expect(200);
      await request(app).get('/public/leaderboards/level').set('X-Forwarded-For', address).expect(200);
      await request(app).get(`/public/characters/Nobody${uniqueLetters(6)}`).set('X-Forwarded-For', address).expect(404);
      const refused = await request(app).get('/public/online').set('X-Forwarded-For', address).expect(429);
      assert.equal(refused.body.code, 'RATE_LIMITED');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.equal(refused.headers['access-control-allow-origin'], '*');
      assert.equal(refused.headers['cache-control'], 'no-store');
      await request(app).get('/public/online').set('X-Forwarded-For', uniqueAddress()).expect(200);
    });
  });
}
