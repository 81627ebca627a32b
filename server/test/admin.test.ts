import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestInfra, createTestStaff, testStacks, waitUntil, type TestStack } from '@mmo/platform/testing';
import {
  accountDetailSchema,
  accountSearchPageSchema,
  adminAuditPageSchema,
  normalizeName,
  sanctionResultSchema,
} from '@mmo/shared';
import request from 'supertest';
import { registerAndLogin, startPrimary, uniqueName, type PrimaryFixture } from './primary.fixture.js';

for (const kind of testStacks()) {
  describe(`primary: moderation routes (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;
    let moderator: { accountId: string; accessToken: string };
    let admin: { accountId: string; accessToken: string };

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack);
      moderator = await createTestStaff(stack.db, 'moderator', uniqueName('mod'));
      admin = await createTestStaff(stack.db, 'admin', uniqueName('adm'));
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    const call = (token: string | undefined, method: 'get' | 'post' | 'put', path: string, body?: object) => {
      const req = request(primary.app)[method](path);
      if (token) req.auth(token, { type: 'bearer' });
      return body === undefined ? req : req.send(body);
    };
    const accountIdOf = async (username: string) =>
      (await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(username) } })).id;

    it('answers 401 without a token, 403 FORBIDDEN to a player, and serves moderators and admins', async () => {
      const player = await registerAndLogin(primary.app);
      const id = await accountIdOf(player.username);
      assert.equal((await call(undefined, 'get', `/admin/accounts/${id}`).expect(401)).body.code, 'UNAUTHENTICATED');
      assert.equal((await call(player.accessToken, 'get', `/admin/accounts/${id}`).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await call(player.accessToken, 'post', `/admin/accounts/${id}/ban`, { reason: 'self service', durationSeconds: 60 }).expect(403)).body.code, 'FORBIDDEN');
      for (const staff of [moderator, admin]) {
        const detail = accountDetailSchema.parse((await call(staff.accessToken, 'get', `/admin/accounts/${id}`).expect(200)).body);
        assert.equal(detail.username, player.username);
        assert.equal(detail.sessions.length, 1);
      }
      assert.equal((await call(moderator.accessToken, 'get', `/admin/accounts/${randomUUID()}`).expect(404)).body.code, 'ACCOUNT_NOT_FOUND');
    });

    it('lets only an admin change roles, and ends the sessions of the account whose role changed', async () => {
      const player = await registerAndLogin(primary.app);
      const id = await accountIdOf(player.username);
      const body = { role: 'moderator', reason: 'new team member' };
      assert.equal((await call(moderator.accessToken, 'put', `/admin/accounts/${id}/role`, body).expect(403)).body.code, 'FORBIDDEN');
      assert.deepEqual((await call(admin.accessToken, 'put', `/admin/accounts/${id}/role`, body).expect(200)).body, { role: 'moderator' });
      assert.equal((await call(player.accessToken, 'get', '/auth/sessions').expect(401)).body.code, 'SESSION_REVOKED');
      const relogin = await request(primary.app).post('/auth/login').send({ username: player.username, password: 'correct horse battery' }).expect(200);
      await call(relogin.body.accessToken as string, 'get', `/admin/accounts/${id}`).expect(200);
    });

    it('refuses a moderator acting on a moderator or an admin with TARGET_PROTECTED, and lets an admin ban a moderator', async () => {
      const otherModerator = await createTestStaff(stack.db, 'moderator', uniqueName('mod'));
      const ban = { reason: 'abuse of power', durationSeconds: 3600 };
      for (const target of [admin.accountId, otherModerator.accountId]) {
        assert.equal((await call(moderator.accessToken, 'post', `/admin/accounts/${target}/ban`, ban).expect(403)).body.code, 'TARGET_PROTECTED');
        assert.equal((await call(moderator.accessToken, 'post', `/admin/accounts/${target}/mute`, ban).expect(403)).body.code, 'TARGET_PROTECTED');
        assert.equal((await call(moderator.accessToken, 'post', `/admin/accounts/${target}/kick`, { reason: 'go away' }).expect(403)).body.code, 'TARGET_PROTECTED');
      }
      const banned = sanctionResultSchema.parse((await call(admin.accessToken, 'post', `/admin/accounts/${otherModerator.accountId}/ban`, ban).expect(201)).body);
      assert.equal(banned.sanction.kind, 'ban');
      assert.equal(banned.sanction.active, true);
    });

    it('bans with a reason and an end: login, refresh and the access token answer 403 ACCOUNT_BANNED with both; unban lets the player log in again', async () => {
      const player = await registerAndLogin(primary.app);
      const id = await accountIdOf(player.username);
      const before = Date.now();
      const banned = sanctionResultSchema.parse(
        (await call(moderator.accessToken, 'post', `/admin/accounts/${id}/ban`, { reason: 'gold selling', durationSeconds: 3600 }).expect(201)).body,
      );
      const endsAt = banned.sanction.endsAt!;
      assert.ok(Math.abs(Date.parse(endsAt) - before - 3_600_000) < 5000);
      const notice = { kind: 'ban', reason: 'gold selling', endsAt };
      const access = await call(player.accessToken, 'get', '/auth/sessions').expect(403);
      assert.deepEqual([access.body.code, access.body.sanction], ['ACCOUNT_BANNED', notice]);
      const login = await request(primary.app).post('/auth/login').send({ username: player.username, password: 'correct horse battery' }).expect(403);
      assert.deepEqual([login.body.code, login.body.sanction], ['ACCOUNT_BANNED', notice]);
      const refresh = await request(primary.app).post('/auth/refresh').send({ refreshToken: player.refreshToken }).expect(403);
      assert.equal(refresh.body.code, 'ACCOUNT_BANNED');
      const detail = accountDetailSchema.parse((await call(moderator.accessToken, 'get', `/admin/accounts/${id}`).expect(200)).body);
      assert.deepEqual([detail.banned, detail.ban?.reason, detail.sessions.every((s) => s.revokedReason === 'banned')], [true, 'gold selling', true]);

      assert.equal((await call(moderator.accessToken, 'post', `/admin/accounts/${id}/unmute`, { reason: 'nothing to lift' }).expect(404)).body.code, 'SANCTION_NOT_FOUND');
      const lifted = sanctionResultSchema.parse((await call(moderator.accessToken, 'post', `/admin/accounts/${id}/unban`, { reason: 'appeal accepted' }).expect(200)).body);
      assert.deepEqual([lifted.sanction.active, lifted.sanction.liftReason, lifted.sanction.liftedBy !== null], [false, 'appeal accepted', true]);
      await request(primary.app).post('/auth/login').send({ username: player.username, password: 'correct horse battery' }).expect(200);
    });

    it('keeps a permanent ban, and replaces a ban in force with a new one (the old one lifted)', async () => {
      const player = await registerAndLogin(primary.app);
      const id = await accountIdOf(player.username);
      await call(moderator.accessToken, 'post', `/admin/accounts/${id}/ban`, { reason: 'first', durationSeconds: 60 }).expect(201);
      const permanent = sanctionResultSchema.parse((await call(moderator.accessToken, 'post', `/admin/accounts/${id}/ban`, { reason: 'second', durationSeconds: null }).expect(201)).body);
      assert.equal(permanent.sanction.endsAt, null);
      const detail = accountDetailSchema.parse((await call(moderator.accessToken, 'get', `/admin/accounts/${id}`).expect(200)).body);
      assert.deepEqual(detail.sanctions.map((s) => [s.reason, s.active, s.liftReason]), [['second', true, null], ['first', false, 'replaced by a new ban']]);
      const login = await request(primary.app).post('/auth/login').send({ username: player.username, password: 'correct horse battery' }).expect(403);
      assert.deepEqual(login.body.sanction, { kind: 'ban', reason: 'second', endsAt: null });
    });

    it('records kicks and ended sessions in the history; an ended session stops working everywhere', async () => {
      const player = await registerAndLogin(primary.app);
      const second = await request(primary.app).post('/auth/login').send({ username: player.username, password: 'correct horse battery', device: 'phone' }).expect(200);
      const id = await accountIdOf(player.username);
      const sessions = await stack.db.prisma.session.findMany({ where: { accountId: id }, orderBy: { createdAt: 'asc' } });
      await call(moderator.accessToken, 'post', `/admin/accounts/${id}/kick`, { reason: 'stuck in a wall' }).expect(201);
      const ended = sanctionResultSchema.parse(
        (await call(moderator.accessToken, 'post', `/admin/accounts/${id}/sessions/${sessions[1]!.id}/end`, { reason: 'stolen phone' }).expect(201)).body,
      );
      assert.equal(ended.sanction.sessionId, sessions[1]!.id);
      assert.equal((await call(second.body.accessToken as string, 'get', '/auth/sessions').expect(401)).body.code, 'SESSION_REVOKED');
      await call(player.accessToken, 'get', '/auth/sessions').expect(200);
      const again = await call(moderator.accessToken, 'post', `/admin/accounts/${id}/sessions/${sessions[1]!.id}/end`, { reason: 'twice' }).expect(404);
      assert.equal(again.body.code, 'SESSION_NOT_FOUND');
      const detail = accountDetailSchema.parse((await call(moderator.accessToken, 'get', `/admin/accounts/${id}`).expect(200)).body);
      assert.deepEqual(detail.sanctions.map((s) => [s.kind, s.reason]), [['session_end', 'stolen phone'], ['kick', 'stuck in a wall']]);
    });

    it('finds accounts by username, character name and session address, a page at a time', async () => {
      const prefix = uniqueName('find');
      const players = [];
      for (let i = 0; i < 3; i += 1) players.push(await registerAndLogin(primary.app, `${prefix}n${i}`));
      const id = await accountIdOf(players[1]!.username);
      const name = `Zed${prefix}`.slice(0, 16);
      await stack.db.prisma.character.create({ data: { accountId: id, name, nameKey: normalizeName(name), class: 'mage', area: 'town', x: 1, y: 1 } });
      await stack.db.prisma.session.updateMany({ where: { accountId: id }, data: { ip: '203.0.113.77' } });
      const search = async (query: string) => accountSearchPageSchema.parse((await call(moderator.accessToken, 'get', `/admin/accounts?${query}`).expect(200)).body);
      const first = await search(`q=${prefix.toUpperCase()}&limit=2`);
      assert.deepEqual([first.total, first.accounts.map((a) => a.username)], [3, [players[0]!.username, players[1]!.username]]);
      const next = await search(`q=${prefix}&limit=2&page=2`);
      assert.deepEqual(next.accounts.map((a) => a.username), [players[2]!.username]);
      assert.deepEqual((await search(`by=character&q=${name.toLowerCase()}`)).accounts.map((a) => a.id), [id]);
      assert.deepEqual((await search('by=address&q=203.0.113.')).accounts.map((a) => a.id), [id]);
      assert.equal((await call(moderator.accessToken, 'get', '/admin/accounts?q=').expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('writes every moderator action to the audit log with who, what, target, reason, when and address, read with filters', async () => {
      const player = await registerAndLogin(primary.app);
      const id = await accountIdOf(player.username);
      await call(moderator.accessToken, 'post', `/admin/accounts/${id}/mute`, { reason: 'spamming trade', durationSeconds: 600 }).expect(201);
      const log = adminAuditPageSchema.parse((await call(moderator.accessToken, 'get', `/admin/audit?targetId=${id}&action=account.mute`).expect(200)).body);
      assert.equal(log.entries.length, 1);
      const [entry] = log.entries;
      assert.deepEqual(
        [entry!.service, entry!.actorId, entry!.actorName !== null, entry!.action, entry!.targetType, entry!.targetId, entry!.reason],
        ['primary', moderator.accountId, true, 'account.mute', 'account', id, 'spamming trade'],
      );
      assert.match(entry!.ip ?? '', /127\.0\.0\.1/);
      const byActor = adminAuditPageSchema.parse((await call(moderator.accessToken, 'get', `/admin/audit?actorId=${moderator.accountId}&limit=1`).expect(200)).body);
      assert.equal(byActor.entries.length, 1);
      assert.ok(byActor.nextBefore);
      const older = adminAuditPageSchema.parse((await call(moderator.accessToken, 'get', `/admin/audit?actorId=${moderator.accountId}&limit=1&before=${byActor.nextBefore}`).expect(200)).body);
      assert.notEqual(older.entries[0]!.id, byActor.entries[0]!.id);
      assert.equal((await call(moderator.accessToken, 'get', `/admin/audit?before=${randomUUID()}`).expect(404)).body.code, 'NOT_FOUND');
    });

    it('makes another service refuse a banned account with ACCOUNT_BANNED within 1 s, and a service started after the ban too', async () => {
      const other = await createTestInfra(stack);
      try {
        const player = await registerAndLogin(primary.app);
        const id = await accountIdOf(player.username);
        await other.verifier.verify(player.accessToken);
        await call(moderator.accessToken, 'post', `/admin/accounts/${id}/ban`, { reason: 'cheating', durationSeconds: 3600 }).expect(201);
        const elapsed = await waitUntil(
          () => other.verifier.verify(player.accessToken).then(() => false, (error: { code?: string }) => error.code === 'ACCOUNT_BANNED'),
          1000,
          5,
        );
        assert.ok(elapsed <= 1000);
      } finally {
        await other.stop();
      }
      // Restarted: this process missed the event and reads the ban from the database at start.
      const player = await registerAndLogin(primary.app);
      await call(moderator.accessToken, 'post', `/admin/accounts/${await accountIdOf(player.username)}/ban`, { reason: 'while you were down', durationSeconds: 3600 }).expect(201);
      const late = await createTestInfra(stack);
      try {
        await assert.rejects(late.verifier.verify(player.accessToken), (error: { code?: string; extra?: { sanction?: { reason: string } } }) => {
          return error.code === 'ACCOUNT_BANNED' && error.extra?.sanction?.reason === 'while you were down';
        });
      } finally {
        await late.stop();
      }
    });

    it('ends a short mute on time in another process without any message or restart', async () => {
      const other = await createTestInfra(stack);
      try {
        const player = await registerAndLogin(primary.app);
        const id = await accountIdOf(player.username);
        // Two seconds: the other process hears of it within one (the budget), and a slow
        // machine's late delivery still finds the mute running when it is checked.
        await call(moderator.accessToken, 'post', `/admin/accounts/${id}/mute`, { reason: 'cool down', durationSeconds: 2 }).expect(201);
        await waitUntil(() => other.sanctions.muteOf(id) !== null, 1000, 5);
        assert.throws(() => other.sanctions.assertNotMuted(id), { code: 'MUTED' });
        await waitUntil(() => other.sanctions.muteOf(id) === null, 3000, 20);
        const detail = accountDetailSchema.parse((await call(moderator.accessToken, 'get', `/admin/accounts/${id}`).expect(200)).body);
        assert.deepEqual([detail.muted, detail.sanctions[0]!.active], [false, false]);
      } finally {
        await other.stop();
      }
    });
  });
}
