import assert from 'node:assert/strict';
import { testStacks, type TestStack } from '@mmo/platform/testing';
import request from 'supertest';
import { PASSWORD, registerAndLogin, startPrimary, uniqueName, type PrimaryFixture } from './primary.fixture.js';

let nextIp = 1;
/** A documentation-range address per call; the app trusts the loopback proxy that sends it. */
function freshIp(): string {
  nextIp += 1;
  return `203.0.113.${nextIp % 250}`;
}

for (const kind of testStacks()) {
  describe(`login rate limits (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack, {
        LOGIN_RATE_LIMIT_PER_IP: '3',
        LOGIN_FAILURES_PER_ACCOUNT: '2',
        REGISTER_RATE_LIMIT_PER_IP: '1000',
      });
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    it('answers 429 RATE_LIMITED with Retry-After once one address exceeds its login attempts', async () => {
      const ip = freshIp();
      const attempt = () =>
        request(primary.app).post('/auth/login').set('X-Forwarded-For', ip).send({ username: uniqueName(), password: 'whatever1' });
      for (let i = 0; i < 3; i += 1) assert.equal((await attempt()).status, 401);
      const limited = await attempt().expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      // Another address is not affected.
      await request(primary.app)
        .post('/auth/login')
        .set('X-Forwarded-For', freshIp())
        .send({ username: uniqueName(), password: 'whatever1' })
        .expect(401);
    });

    it('refuses even the right password with 429 once an account has failed too often from any address', async () => {
      const username = uniqueName('target');
      await request(primary.app).post('/auth/register').set('X-Forwarded-For', freshIp()).send({ username, password: PASSWORD }).expect(201);
      for (let i = 0; i < 2; i += 1) {
        await request(primary.app)
          .post('/auth/login')
          .set('X-Forwarded-For', freshIp())
          .send({ username, password: 'guess-number-x' })
          .expect(401);
      }
      const limited = await request(primary.app)
        .post('/auth/login')
        .set('X-Forwarded-For', freshIp())
        .send({ username: username.toUpperCase(), password: PASSWORD })
        .expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
    });

    it('keeps other accounts able to log in while one account is locked', async () => {
      const other = uniqueName('bystander');
      await request(primary.app).post('/auth/register').set('X-Forwarded-For', freshIp()).send({ username: other, password: PASSWORD }).expect(201);
      await request(primary.app).post('/auth/login').set('X-Forwarded-For', freshIp()).send({ username: other, password: PASSWORD }).expect(200);
    });

    it('clears an account failure count after a successful login', async () => {
      const { username } = await registerAndLogin(primary.app);
      const login = (password: string) =>
        request(primary.app).post('/auth/login').set('X-Forwarded-For', freshIp()).send({ username, password });
      await login('wrong-password').expect(401);
      await login(PASSWORD).expect(200);
      await login('wrong-password').expect(401);
      await login(PASSWORD).expect(200);
    });
  });
}
