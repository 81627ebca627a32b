import assert from 'node:assert/strict';
import { AccessTokenSigner, leaderboardCharacterOf, MemoryLeaderboardStore, type LeaderboardCharacter } from '@mmo/platform';
import { createTestInfra, createTestPlayer, testSigningKey, testStacks, type TestStack } from '@mmo/platform/testing';
import { PrismaCharacterStore } from '@mmo/server/game';
import { leaderboardPageSchema, normalizeName, type CharacterClass } from '@mmo/shared';
import type { Express } from 'express';
import request from 'supertest';
import { playerSettingsSchema } from '../src/config.js';
import { forgetCharacter, rebuildLeaderboardsIfEmpty, recordCharacter } from '../src/features/leaderboards/leaderboard.service.js';
import { createPlayerApp, createPlayerDeps, type PlayerDeps } from '../src/player.app.js';

let counter = 0;
function uniqueName(): string {
  counter += 1;
  // Letters only: the pid and counter spelled with a-j.
  return `Lb${`${process.pid}${counter}`.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)))}`.slice(0, 16);
}

interface Progress {
  class?: CharacterClass;
  level?: number;
  xp?: number;
  gold?: number;
  monstersDefeated?: number;
  hidden?: boolean;
}

for (const kind of testStacks()) {
  describe(`leaderboards (${kind.name} stack)`, () => {
    let stack: TestStack;
    let infra: Awaited<ReturnType<typeof createTestInfra>>;
    let deps: PlayerDeps;
    let app: Express;
    let owner: Awaited<ReturnType<typeof createTestPlayer>>;

    /** A character row as the game would have left it, not yet on any board. */
    async function createCharacter(progress: Progress = {}): Promise<{ id: string; name: string }> {
      const name = uniqueName();
      const row = await infra.prisma.character.create({
        data: {
          accountId: owner.accountId, name, nameKey: normalizeName(name), class: progress.class ?? 'warrior', area: 'town', x: 5, y: 5,
          level: progress.level ?? 1, xp: BigInt(progress.xp ?? 0), gold: BigInt(progress.gold ?? 0),
          monstersDefeated: progress.monstersDefeated ?? 0, hidden: progress.hidden ?? false,
        },
      });
      return { id: row.id, name };
    }

    /** Creates characters and records each, as the player API does on creation. */
    async function createRecorded(list: Progress[]): Promise<string[]> {
      const ids: string[] = [];
      for (const progress of list) {
        const { id } = await createCharacter(progress);
        await recordCharacter(deps, id);
        ids.push(id);
      }
      return ids;
    }

    async function readBoard(path: string) {
      const res = await request(app).get(path).auth(owner.accessToken, { type: 'bearer' }).expect(200);
      return leaderboardPageSchema.parse(res.body);
    }

    async function moderatorToken(): Promise<string> {
      const moderator = await createTestPlayer(infra);
      await infra.prisma.account.update({ where: { id: moderator.accountId }, data: { role: 'moderator' } });
      // The role travels in the token, as the primary signs it at login.
      return (await new AccessTokenSigner(testSigningKey, 900).sign({ accountId: moderator.accountId, sessionId: moderator.sessionId, role: 'moderator' })).token;
    }

    before(async () => {
      stack = await kind.open();
      infra = await createTestInfra(stack);
      deps = createPlayerDeps(infra, playerSettingsSchema.parse({}));
      app = createPlayerApp(deps, { trustProxy: 'loopback' });
      owner = await createTestPlayer(infra);
    });
    after(async () => {
      await infra.stop();
      await stack.close();
    });
    // Every test starts from no characters and empty boards.
    beforeEach(async () => {
      await infra.prisma.character.deleteMany({});
      await infra.leaderboards.rebuild([]);
    });

    it('answers a board best first with ranks, overall and for one class', async () => {
      const [low, high, mid] = await createRecorded([
        { class: 'mage', level: 2, xp: 50 },
        { class: 'warrior', level: 7 },
        { class: 'mage', level: 2, xp: 90 },
      ]);
      const overall = await readBoard('/leaderboards/level');
      assert.equal(overall.total, 3);
      assert.deepEqual(overall.entries.map((e) => [e.rank, e.characterId, e.level]), [[1, high, 7], [2, mid, 2], [3, low, 2]]);
      const mages = await readBoard('/leaderboards/level?class=mage');
      assert.deepEqual([mages.class, mages.total], ['mage', 2]);
      assert.deepEqual(mages.entries.map((e) => [e.rank, e.characterId, e.class]), [[1, mid, 'mage'], [2, low, 'mage']]);
      const gold = await readBoard('/leaderboards/gold?class=cleric');
      assert.deepEqual([gold.board, gold.total, gold.entries], ['gold', 0, []]);
    });

    it('pages through a board with offset and limit, ranks continuing across pages', async () => {
      const ids = await createRecorded([50, 40, 30, 20, 10].map((monstersDefeated) => ({ monstersDefeated })));
      const page = await readBoard('/leaderboards/monsters?offset=1&limit=2');
      assert.deepEqual([page.offset, page.limit, page.total], [1, 2, 5]);
      assert.deepEqual(page.entries.map((e) => [e.rank, e.characterId, e.score]), [[2, ids[1], 40], [3, ids[2], 30]]);
      const last = await readBoard('/leaderboards/monsters?offset=4&limit=2');
      assert.deepEqual(last.entries.map((e) => e.rank), [5]);
    });

    it('answers 400 VALIDATION_FAILED naming the field for an unknown board, class, or a bad page', async () => {
      const cases: [string, string[]][] = [
        ['/leaderboards/wealth', ['board']],
        ['/leaderboards/level?class=necromancer', ['class']],
        ['/leaderboards/gold?limit=0', ['limit']],
        ['/leaderboards/gold?limit=101&offset=-1', ['offset', 'limit']],
      ];
      for (const [path, fields] of cases) {
        const res = await request(app).get(path).auth(owner.accessToken, { type: 'bearer' }).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(res.body.fields.map((f: { field: string }) => f.field), fields, path);
      }
    });

    it('takes a character off the boards when it is hidden or deleted', async () => {
      const [hidden, deleted, kept] = await createRecorded([{ gold: 30 }, { gold: 20 }, { gold: 10 }]);
      await infra.prisma.character.update({ where: { id: hidden! }, data: { hidden: true } });
      await recordCharacter(deps, hidden!);
      await infra.prisma.character.delete({ where: { id: deleted! } });
      await forgetCharacter(deps, deleted!);
      const board = await readBoard('/leaderboards/gold');
      assert.deepEqual(board.entries.map((e) => [e.rank, e.characterId]), [[1, kept]]);
      assert.equal((await readBoard('/leaderboards/gold?class=warrior')).total, 1);
    });

    it('keeps a hidden or deleted character off the boards when a game save that read it earlier lands late', async () => {
      const [hidden, deleted] = await createRecorded([{ gold: 30 }, { gold: 20 }]);
      // A game save read each row (UPDATE ... RETURNING) while the character was still shown...
      const staleHidden = await infra.prisma.character.update({ where: { id: hidden! }, data: { x: 6 } });
      const staleDeleted = await infra.prisma.character.update({ where: { id: deleted! }, data: { x: 6 } });
      // ...then the player hid one and deleted the other...
      await new Promise((done) => setTimeout(done, 5));
      await infra.prisma.character.update({ where: { id: hidden! }, data: { hidden: true } });
      await recordCharacter(deps, hidden!);
      await infra.prisma.character.delete({ where: { id: deleted! } });
      await forgetCharacter(deps, deleted!);
      // ...and only then did the saves record what they had read.
      await infra.leaderboards.record(leaderboardCharacterOf(staleHidden)!);
      await infra.leaderboards.record(leaderboardCharacterOf(staleDeleted)!);
      assert.deepEqual((await readBoard('/leaderboards/gold')).entries, []);
    });

    it('rebuilds every board from the database for a moderator, leaving hidden characters out', async () => {
      const visible = await createCharacter({ class: 'ranger', level: 4 });
      await createCharacter({ level: 9, hidden: true });
      const token = await moderatorToken();
      const res = await request(app).post('/admin/leaderboards/rebuild').auth(token, { type: 'bearer' }).expect(200);
      assert.deepEqual(res.body, { characters: 1 });
      const board = await readBoard('/leaderboards/level?class=ranger');
      assert.deepEqual(board.entries.map((e) => [e.rank, e.characterId, e.name, e.level]), [[1, visible.id, visible.name, 4]]);
      assert.equal((await readBoard('/leaderboards/level')).total, 1);
    });

    it('rebuilds a characters table larger than one read batch, missing nobody', async () => {
      const count = 1_205;
      const letters = (n: number) => `${n}`.padStart(4, '0').replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)));
      await infra.prisma.character.createMany({
        data: Array.from({ length: count }, (_, i) => ({
          accountId: owner.accountId, name: `Bulk${letters(i)}`, nameKey: `bulk${letters(i)}`, class: 'cleric', area: 'town', x: 5, y: 5, gold: BigInt(i),
        })),
      });
      const res = await request(app).post('/admin/leaderboards/rebuild').auth(await moderatorToken(), { type: 'bearer' }).expect(200);
      assert.deepEqual(res.body, { characters: count });
      const bottom = await readBoard(`/leaderboards/gold?class=cleric&offset=${count - 1}&limit=1`);
      assert.deepEqual([bottom.total, bottom.entries[0]?.rank, bottom.entries[0]?.score, bottom.entries[0]?.name], [count, count, 0, 'Bulkaaaa']);
    });

    it('answers 403 FORBIDDEN to a player and 401 UNAUTHENTICATED without a token on rebuild', async () => {
      await createCharacter();
      const player = await createTestPlayer(infra);
      const forbidden = await request(app).post('/admin/leaderboards/rebuild').auth(player.accessToken, { type: 'bearer' }).expect(403);
      assert.equal(forbidden.body.code, 'FORBIDDEN');
      const anonymous = await request(app).post('/admin/leaderboards/rebuild').expect(401);
      assert.equal(anonymous.body.code, 'UNAUTHENTICATED');
      assert.equal((await readBoard('/leaderboards/level')).total, 0);
    });

    it('rebuilds at start only when the boards are empty', async () => {
      const first = await createCharacter({ level: 3 });
      assert.equal(await rebuildLeaderboardsIfEmpty(deps), true);
      assert.deepEqual((await readBoard('/leaderboards/level')).entries.map((e) => e.characterId), [first.id]);
      await createCharacter({ level: 5 });
      assert.equal(await rebuildLeaderboardsIfEmpty(deps), false);
      assert.equal((await readBoard('/leaderboards/level')).total, 1);
    });

    it('moves a character up the boards when a game server saves its progress', async () => {
      const [leader, climber] = await createRecorded([{ level: 5, gold: 100 }, { level: 1 }]);
      // The game changed level, experience and gold; its next progress save carries them over.
      await infra.prisma.character.update({ where: { id: climber! }, data: { level: 6, xp: 10n, gold: 500n, monstersDefeated: 3 } });
      const store = new PrismaCharacterStore(infra.prisma, infra.logger, { attempts: 1, firstDelayMs: 1 }, infra.leaderboards);
      await store.saveProgress(climber!, { area: 'town', x: 6, y: 5 });
      const level = await readBoard('/leaderboards/level');
      assert.deepEqual(level.entries.map((e) => [e.rank, e.characterId, e.level]), [[1, climber, 6], [2, leader, 5]]);
      assert.deepEqual((await readBoard('/leaderboards/gold')).entries.map((e) => [e.characterId, e.score]), [[climber, 500], [leader, 100]]);
      assert.equal((await readBoard('/leaderboards/monsters?class=warrior')).entries[0]?.characterId, climber);
    });

    it('saves progress even when the leaderboards cannot be written', async () => {
      const { id } = await createCharacter();
      class UnreachableLeaderboards extends MemoryLeaderboardStore {
        override async record(_character: LeaderboardCharacter): Promise<void> {
          throw new Error('leaderboards unreachable');
        }
      }
      const store = new PrismaCharacterStore(infra.prisma, infra.logger, { attempts: 1, firstDelayMs: 1 }, new UnreachableLeaderboards());
      await store.saveProgress(id, { area: 'field', x: 2, y: 3 });
      const row = await infra.prisma.character.findUniqueOrThrow({ where: { id } });
      assert.deepEqual([row.area, row.x, row.y], ['field', 2, 3]);
    });
  });
}
