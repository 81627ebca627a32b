import assert from 'node:assert/strict';
import { testSigningKey, testStacks, type TestStack } from '@mmo/platform/testing';
import { AccessTokenSigner } from '@mmo/platform';
import { pruneEndedSessions } from '../src/primary/features/auth/session.service.js';
import { normalizeName, tokenPairSchema } from '@mmo/shared';
import request from 'supertest';
import { PASSWORD, registerAndLogin, startPrimary, uniqueName, type PrimaryFixture } from './primary.fixture.js';

for (const kind of testStacks()) {
  describe(`primary auth (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack);
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    describe('POST /auth/register', () => {
      it('answers 201 with the new account id', async () => {
        const res = await request(primary.app)
          .post('/auth/register')
          .send({ username: uniqueName(), password: PASSWORD })
          .expect(201);
        assert.match(res.body.accountId, /^[0-9a-f-]{36}$/);
      });

      it('answers 409 USERNAME_TAKEN when the name exists in another letter case', async () => {
        const username = uniqueName('Case');
        await request(primary.app).post('/auth/register').send({ username, password: PASSWORD }).expect(201);
        const res = await request(primary.app)
          .post('/auth/register')
          .send({ username: username.toUpperCase(), password: PASSWORD })
          .expect(409);
        assert.equal(res.body.code, 'USERNAME_TAKEN');
      });

      it('answers 400 VALIDATION_FAILED naming the username when it breaks the rules', async () => {
        const res = await request(primary.app)
          .post('/auth/register')
          .send({ username: '9lives', password: PASSWORD })
          .expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(res.body.fields.map((f: { field: string }) => f.field), ['username']);
      });

      it('answers 400 VALIDATION_FAILED naming the password when it is missing', async () => {
        const res = await request(primary.app).post('/auth/register').send({ username: uniqueName() }).expect(400);
        assert.match(res.body.message, /password: is required/);
      });
    });

    describe('POST /auth/login', () => {
      it('answers 200 with an access token, a refresh token and the lifetime', async () => {
        const username = uniqueName();
        await request(primary.app).post('/auth/register').send({ username, password: PASSWORD }).expect(201);
        const res = await request(primary.app).post('/auth/login').send({ username, password: PASSWORD }).expect(200);
        const tokens = tokenPairSchema.parse(res.body);
        assert.equal(tokens.expiresIn, 900);
        const account = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(username) } });
        assert.ok(account.lastLoginAt);
      });

      it('answers 401 INVALID_CREDENTIALS for a wrong password', async () => {
        const { username } = await registerAndLogin(primary.app);
        const res = await request(primary.app).post('/auth/login').send({ username, password: 'wrong password' }).expect(401);
        assert.equal(res.body.code, 'INVALID_CREDENTIALS');
      });

      it('answers an unknown username exactly as a wrong password, after the same hashing work', async () => {
        const { username } = await registerAndLogin(primary.app);
        const hasher = primary.deps.hasher;
        let verifications = 0;
        const original = hasher.verify.bind(hasher);
        hasher.verify = async (password, stored) => {
          verifications += 1;
          return original(password, stored);
        };
        try {
          const wrong = await request(primary.app).post('/auth/login').send({ username, password: 'nope-nope' }).expect(401);
          const unknown = await request(primary.app)
            .post('/auth/login')
            .send({ username: uniqueName('ghost'), password: 'nope-nope' })
            .expect(401);
          assert.deepEqual(unknown.body, wrong.body);
          assert.equal(verifications, 2);
        } finally {
          hasher.verify = original;
        }
      });

      it('answers 403 ACCOUNT_BANNED for the right password of a banned account', async () => {
        const { username } = await registerAndLogin(primary.app);
        const account = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(username) } });
        const endsAt = new Date(Date.now() + 3_600_000);
        // Written straight into the table, as a process that missed the bus would find it.
        await stack.db.prisma.sanction.create({ data: { accountId: account.id, kind: 'ban', reason: 'cheating', endsAt } });
        const res = await request(primary.app).post('/auth/login').send({ username, password: PASSWORD }).expect(403);
        assert.equal(res.body.code, 'ACCOUNT_BANNED');
        assert.deepEqual(res.body.sanction, { kind: 'ban', reason: 'cheating', endsAt: endsAt.toISOString() });
      });

      it('answers 400 VALIDATION_FAILED, not 500, for NUL or an unpaired surrogate in the username, password or device', async () => {
        const { username } = await registerAndLogin(primary.app);
        for (const body of [
          { username: `${username}\u0000`, password: PASSWORD },
          { username, password: `${PASSWORD}\u0000` },
          { username, password: PASSWORD, device: 'laptop\u0000' },
          { username, password: PASSWORD, device: 'laptop\uD800' },
        ]) {
          const res = await request(primary.app).post('/auth/login').send(body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(res.body.code, 'VALIDATION_FAILED');
        }
      });

      it('answers 400 VALIDATION_FAILED when the body is not an object', async () => {
        const res = await request(primary.app).post('/auth/login').send([1, 2]).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
      });
    });

    describe('POST /auth/refresh', () => {
      it('rotates both tokens, and the new access token works', async () => {
        const first = await registerAndLogin(primary.app);
        const res = await request(primary.app).post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
        const next = tokenPairSchema.parse(res.body);
        assert.notEqual(next.refreshToken, first.refreshToken);
        await request(primary.app).get('/auth/sessions').auth(next.accessToken, { type: 'bearer' }).expect(200);
      });

      it('revokes the whole session with REFRESH_TOKEN_REUSED when a rotated token comes back', async () => {
        const first = await registerAndLogin(primary.app);
        const rotated = await request(primary.app).post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
        const reuse = await request(primary.app).post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
        assert.equal(reuse.body.code, 'REFRESH_TOKEN_REUSED');
        // Both the thief's and the player's copies are now dead, refresh and access alike.
        const latest = await request(primary.app)
          .post('/auth/refresh')
          .send({ refreshToken: rotated.body.refreshToken })
          .expect(401);
        assert.equal(latest.body.code, 'SESSION_REVOKED');
        const access = await request(primary.app).get('/auth/sessions').auth(rotated.body.accessToken, { type: 'bearer' }).expect(401);
        assert.equal(access.body.code, 'SESSION_REVOKED');
      });

      it('lets only one of two concurrent refreshes with the same token win', async () => {
        const first = await registerAndLogin(primary.app);
        const results = await Promise.all(
          [0, 1].map(() => request(primary.app).post('/auth/refresh').send({ refreshToken: first.refreshToken })),
        );
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 401]);
      });

      it('answers 403 ACCOUNT_BANNED and ends the session when a banned account refreshes', async () => {
        const login = await registerAndLogin(primary.app);
        const account = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(login.username) } });
        await stack.db.prisma.sanction.create({ data: { accountId: account.id, kind: 'ban', reason: 'botting', endsAt: null } });
        const res = await request(primary.app).post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(403);
        assert.equal(res.body.code, 'ACCOUNT_BANNED');
        assert.deepEqual(res.body.sanction, { kind: 'ban', reason: 'botting', endsAt: null });
        const access = await request(primary.app).get('/auth/sessions').auth(login.accessToken, { type: 'bearer' }).expect(401);
        assert.equal(access.body.code, 'SESSION_REVOKED');
      });

      it('answers 401 INVALID_REFRESH_TOKEN once the session has expired', async () => {
        const login = await registerAndLogin(primary.app);
        const account = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(login.username) } });
        await stack.db.prisma.session.updateMany({ where: { accountId: account.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
        const res = await request(primary.app).post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(401);
        assert.equal(res.body.code, 'INVALID_REFRESH_TOKEN');
      });

      it('answers 401 INVALID_REFRESH_TOKEN for a token it never issued', async () => {
        const res = await request(primary.app).post('/auth/refresh').send({ refreshToken: 'made-up' }).expect(401);
        assert.equal(res.body.code, 'INVALID_REFRESH_TOKEN');
      });
    });

    describe('sessions and logout', () => {
      it('answers 401 UNAUTHENTICATED without a token and with a malformed one', async () => {
        const none = await request(primary.app).get('/auth/sessions').expect(401);
        assert.equal(none.body.code, 'UNAUTHENTICATED');
        const bad = await request(primary.app).get('/auth/sessions').auth('abc.def.ghi', { type: 'bearer' }).expect(401);
        assert.equal(bad.body.code, 'UNAUTHENTICATED');
      });

      it('answers 401 TOKEN_EXPIRED for an access token past its lifetime', async () => {
        const login = await registerAndLogin(primary.app);
        const account = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(login.username) } });
        const session = await stack.db.prisma.session.findFirstOrThrow({ where: { accountId: account.id } });
        const issuedLongAgo = new AccessTokenSigner(testSigningKey, 60, () => Date.now() - 3_600_000);
        const { token } = await issuedLongAgo.sign({ accountId: account.id, sessionId: session.id, role: 'player' });
        const res = await request(primary.app).get('/auth/sessions').auth(token, { type: 'bearer' }).expect(401);
        assert.equal(res.body.code, 'TOKEN_EXPIRED');
      });

      it('ends the session on logout: its access and refresh tokens are refused', async () => {
        const login = await registerAndLogin(primary.app);
        await request(primary.app).post('/auth/logout').auth(login.accessToken, { type: 'bearer' }).expect(204);
        const access = await request(primary.app).get('/auth/sessions').auth(login.accessToken, { type: 'bearer' }).expect(401);
        assert.equal(access.body.code, 'SESSION_REVOKED');
        const refresh = await request(primary.app).post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(401);
        assert.equal(refresh.body.code, 'SESSION_REVOKED');
      });

      it('lists the account own sessions, marks the current one, and ends another on DELETE', async () => {
        const phone = await registerAndLogin(primary.app);
        const laptop = await request(primary.app)
          .post('/auth/login')
          .send({ username: phone.username, password: PASSWORD, device: 'laptop' })
          .expect(200);
        const list = await request(primary.app).get('/auth/sessions').auth(laptop.body.accessToken, { type: 'bearer' }).expect(200);
        assert.equal(list.body.sessions.length, 2);
        const current = list.body.sessions.find((s: { current: boolean }) => s.current);
        const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
        assert.equal(current.deviceLabel, 'laptop');
        await request(primary.app).delete(`/auth/sessions/${other.id}`).auth(laptop.body.accessToken, { type: 'bearer' }).expect(204);
        const after = await request(primary.app).get('/auth/sessions').auth(laptop.body.accessToken, { type: 'bearer' }).expect(200);
        assert.deepEqual(after.body.sessions.map((s: { id: string }) => s.id), [current.id]);
        await request(primary.app).get('/auth/sessions').auth(phone.accessToken, { type: 'bearer' }).expect(401);
      });

      it('answers 404 SESSION_NOT_FOUND when ending another account session', async () => {
        const victim = await registerAndLogin(primary.app);
        const attacker = await registerAndLogin(primary.app);
        const list = await request(primary.app).get('/auth/sessions').auth(victim.accessToken, { type: 'bearer' }).expect(200);
        const res = await request(primary.app)
          .delete(`/auth/sessions/${list.body.sessions[0].id}`)
          .auth(attacker.accessToken, { type: 'bearer' })
          .expect(404);
        assert.equal(res.body.code, 'SESSION_NOT_FOUND');
        await request(primary.app).get('/auth/sessions').auth(victim.accessToken, { type: 'bearer' }).expect(200);
      });

      it('answers 400 VALIDATION_FAILED for a session id that is not a uuid', async () => {
        const login = await registerAndLogin(primary.app);
        const res = await request(primary.app).delete('/auth/sessions/42').auth(login.accessToken, { type: 'bearer' }).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
      });
    });

    it('prunes sessions that ended longer ago than the retention, with their refresh tokens, and keeps the rest', async () => {
      const ended = await registerAndLogin(primary.app);
      const live = await registerAndLogin(primary.app);
      await request(primary.app).post('/auth/logout').auth(ended.accessToken, { type: 'bearer' }).expect(204);
      const endedAccount = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(ended.username) } });
      const liveAccount = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(live.username) } });
      const in40Days = () => Date.now() + 40 * 24 * 3600 * 1000;
      assert.ok((await pruneEndedSessions({ prisma: stack.db.prisma, clock: in40Days }, 30)) >= 1);
      assert.equal(await stack.db.prisma.session.count({ where: { accountId: endedAccount.id } }), 0);
      assert.equal(await stack.db.prisma.refreshToken.count({ where: { session: { accountId: endedAccount.id } } }), 0);
      // The other session expires after 30 days: 40 days on, it ended only 10 days ago and is kept.
      assert.equal(await stack.db.prisma.session.count({ where: { accountId: liveAccount.id } }), 1);
    });

    it('answers 400 VALIDATION_FAILED, not 500, for a path that cannot be decoded', async () => {
      const login = await registerAndLogin(primary.app);
      const res = await request(primary.app).delete('/auth/sessions/%ZZ').auth(login.accessToken, { type: 'bearer' }).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    });

    it('answers 404 NOT_FOUND for an unknown route', async () => {
      const res = await request(primary.app).get('/auth/nothing-here').expect(404);
      assert.equal(res.body.code, 'NOT_FOUND');
    });
  });
}
