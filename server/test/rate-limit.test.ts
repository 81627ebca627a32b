import assert from 'node:assert/strict';
import { testStacks, type TestStack } from '@mmo/platform/testing';
import request from 'supertest';
import { PASSWORD, startPrimary, uniqueName, type PrimaryFixture } from './primary.fixture.js';

let nextIp = 1;
/** A documentation-range address per call; the app trusts the loopback proxy that sends it. */
function freshIp(): string {
  nextIp += 1;
  return `198.${18 + Math.floor(nextIp / 250)}.${nextIp % 250}.1`;
}

for (const kind of testStacks()) {
  describe(`login rate limits (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;

    const login = (app: PrimaryFixture['app'], ip: string, username: string, password: string) =>
      request(app).post('/auth/login').set('X-Forwarded-For', ip).send({ username, password });
    const register = async (app: PrimaryFixture['app'], username = uniqueName('target')) => {
      await request(app).post('/auth/register').set('X-Forwarded-For', freshIp()).send({ username, password: PASSWORD }).expect(201);
      return username;
    };

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack, {
        LOGIN_RATE_LIMIT_PER_IP: '3',
        LOGIN_FAILURES_PER_ACCOUNT_IP: '2',
        LOGIN_FAILURES_PER_ACCOUNT: '4',
        REGISTER_RATE_LIMIT_PER_IP: '1000',
      });
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    it('answers 429 RATE_LIMITED with Retry-After once one address exceeds its login attempts', async () => {
      const ip = freshIp();
      for (let i = 0; i < 3; i += 1) await login(primary.app, ip, uniqueName(), 'whatever1').expect(401);
      const limited = await login(primary.app, ip, uniqueName(), 'whatever1').expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      await login(primary.app, freshIp(), uniqueName(), 'whatever1').expect(401);
    });

    it('counts an IPv6 /64 as one address', async () => {
      for (let i = 1; i <= 3; i += 1) await login(primary.app, `2001:db8:1:2::${i}`, uniqueName(), 'whatever1').expect(401);
      await login(primary.app, '2001:db8:1:2:ffff::9', uniqueName(), 'whatever1').expect(429);
      await login(primary.app, '2001:db8:1:3::1', uniqueName(), 'whatever1').expect(401);
    });

    it('makes one address wait after its failures on an account, while the owner logs in from another', async () => {
      const username = await register(primary.app);
      const attacker = freshIp();
      await login(primary.app, attacker, username, 'guess-one').expect(401);
      await login(primary.app, attacker, username, 'guess-two').expect(401);
      const limited = await login(primary.app, attacker, username, PASSWORD).expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      await login(primary.app, freshIp(), username, PASSWORD).expect(200);
    });

    it('refuses even the right password from an unknown address with 429 once an account has failed too often from many addresses', async () => {
      const username = await register(primary.app);
      for (let i = 0; i < 4; i += 1) await login(primary.app, freshIp(), username, `guess-${i}-x`).expect(401);
      const limited = await login(primary.app, freshIp(), username.toUpperCase(), PASSWORD).expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
    });

    it('checks no more passwords than the account budget when guesses arrive in parallel', async () => {
      const username = await register(primary.app);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => login(primary.app, freshIp(), username, i === 11 ? PASSWORD : `guess-${i}-y`)),
      );
      const checked = results.filter((r) => r.status !== 429);
      assert.ok(checked.length <= 4, `${checked.length} passwords were checked`);
      assert.equal(results.filter((r) => r.status === 429).length, 12 - checked.length);
    });

    it('clears an address failure count when the right password comes from it', async () => {
      const username = await register(primary.app);
      const ip = freshIp();
      // The address may fail twice in a row. Without the reset, the last attempt would be its
      // third counted failure and answer 429.
      await login(primary.app, ip, username, 'wrong-password').expect(401);
      await login(primary.app, ip, username, PASSWORD).expect(200);
      await login(primary.app, ip, username, 'wrong-password').expect(401);
    });
  });

  describe(`login policy: strangers cannot lock out the owner (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;
    const login = (ip: string, body: Record<string, string>) => request(primary.app).post('/auth/login').set('X-Forwarded-For', ip).send(body);

    before(async () => {
      stack = await kind.open();
      // The production defaults of the login policy, with room for many logins per address.
      primary = await startPrimary(stack, {
        LOGIN_RATE_LIMIT_PER_IP: '1000',
        LOGIN_FAILURES_PER_ACCOUNT_IP: '5',
        LOGIN_FAILURES_PER_ACCOUNT: '30',
        LOGIN_BACKOFF_BASE_SECONDS: '2',
        LOGIN_BACKOFF_MAX_SECONDS: '900',
        REGISTER_RATE_LIMIT_PER_IP: '1000',
      });
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    /** Thirty wrong guesses from six addresses, then more from each: the attack of issue 10. */
    async function attack(username: string): Promise<{ statuses: Record<number, number> }> {
      const statuses: Record<number, number> = {};
      const attackers = Array.from({ length: 6 }, () => freshIp());
      for (let round = 0; round < 8; round += 1) {
        for (const ip of attackers) {
          const res = await login(ip, { username, password: `guess-${round}-${ip}` });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        }
      }
      return { statuses };
    }

    it('keeps an attacker from many addresses throttled: no more than the budgets are checked, and a new address is refused even the right password', async () => {
      const username = uniqueName('owner');
      await request(primary.app).post('/auth/register').set('X-Forwarded-For', freshIp()).send({ username, password: PASSWORD }).expect(201);
      const { statuses } = await attack(username);
      console.info(`      attack of 48 guesses from 6 addresses: ${JSON.stringify(statuses)}`);
      assert.equal(statuses[401], 30, 'exactly the 30 free failures were checked');
      assert.equal(statuses[429], 18);
      // Hammering while refused is not counted: the wait stays the first step of the backoff.
      const refused = await login(freshIp(), { username, password: PASSWORD }).expect(429);
      assert.equal(refused.body.code, 'RATE_LIMITED');
      assert.ok(Number(refused.headers['retry-after']) <= 2, `Retry-After ${refused.headers['retry-after']}`);
    });

    it('lets the owner in with the right password from a known address and from a new address with its device token, during the attack', async () => {
      const username = uniqueName('owner');
      const home = freshIp();
      await request(primary.app).post('/auth/register').set('X-Forwarded-For', home).send({ username, password: PASSWORD }).expect(201);
      const first = await login(home, { username, password: PASSWORD }).expect(200);
      const deviceToken = String(first.body.deviceToken);
      assert.match(deviceToken, /^d1\./);
      await attack(username);
      await login(home, { username, password: PASSWORD }).expect(200);
      const travelling = await login(freshIp(), { username, password: PASSWORD, deviceToken }).expect(200);
      assert.equal(typeof travelling.body.accessToken, 'string');
      // Another account's device token, or a forged one, is no allowance.
      const other = await registerAndLoginAt(freshIp());
      await login(freshIp(), { username, password: PASSWORD, deviceToken: String(other.body.deviceToken) }).expect(429);
      await login(freshIp(), { username, password: PASSWORD, deviceToken: `${deviceToken.slice(0, -4)}AAAA` }).expect(429);
    });

    it('does not lock an account after 94 concurrent correct logins from one address', async () => {
      const username = uniqueName('owner');
      const ip = freshIp();
      await request(primary.app).post('/auth/register').set('X-Forwarded-For', ip).send({ username, password: PASSWORD }).expect(201);
      const results = await Promise.all(Array.from({ length: 94 }, () => login(ip, { username, password: PASSWORD })));
      const statuses: Record<number, number> = {};
      for (const res of results) statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      console.info(`      94 concurrent correct logins: ${JSON.stringify(statuses)}`);
      assert.deepEqual(Object.keys(statuses).filter((status) => status !== '200' && status !== '429'), []);
      assert.ok((statuses[200] ?? 0) >= 1);
      await login(ip, { username, password: PASSWORD }).expect(200);
      await login(freshIp(), { username, password: PASSWORD }).expect(200);
    });

    async function registerAndLoginAt(ip: string) {
      const username = uniqueName('other');
      await request(primary.app).post('/auth/register').set('X-Forwarded-For', ip).send({ username, password: PASSWORD }).expect(201);
      return login(ip, { username, password: PASSWORD }).expect(200);
    }
  });

  describe(`login load shedding (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack, { LOGIN_HASH_CONCURRENCY: '1', LOGIN_HASH_QUEUE_MAX: '2' });
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    it('answers 503 SERVICE_UNAVAILABLE with Retry-After beyond the hashing queue, and checks the rest', async () => {
      const username = uniqueName('busy');
      await request(primary.app).post('/auth/register').send({ username, password: PASSWORD }).expect(201);
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => request(primary.app).post('/auth/login').set('X-Forwarded-For', `203.0.113.${i + 1}`).send({ username, password: PASSWORD })));
      const shed = results.filter((res) => res.status === 503);
      assert.ok(shed.length >= 1, 'some logins were shed');
      assert.ok(shed.every((res) => res.body.code === 'SERVICE_UNAVAILABLE' && Number(res.headers['retry-after']) >= 1));
      assert.deepEqual(results.filter((res) => res.status !== 503 && res.status !== 200).map((res) => res.status), []);
      assert.ok(primary.deps.loginQueue.stats.ran <= 12 - shed.length);
      await request(primary.app).post('/auth/login').send({ username, password: PASSWORD }).expect(200);
    });
  });

  describe(`register and refresh rate limits (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack, { REGISTER_RATE_LIMIT_PER_IP: '2', REFRESH_RATE_LIMIT_PER_IP: '2', LOGIN_RATE_LIMIT_PER_IP: '1000' });
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    it('answers 429 RATE_LIMITED once one address registers too many accounts', async () => {
      const ip = freshIp();
      for (let i = 0; i < 2; i += 1) {
        await request(primary.app).post('/auth/register').set('X-Forwarded-For', ip).send({ username: uniqueName(), password: PASSWORD }).expect(201);
      }
      const limited = await request(primary.app)
        .post('/auth/register')
        .set('X-Forwarded-For', ip)
        .send({ username: uniqueName(), password: PASSWORD })
        .expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
    });

    it('limits refreshes per address on their own budget, leaving logins alone', async () => {
      const ip = freshIp();
      const username = uniqueName();
      await request(primary.app).post('/auth/register').set('X-Forwarded-For', freshIp()).send({ username, password: PASSWORD }).expect(201);
      for (let i = 0; i < 2; i += 1) {
        await request(primary.app).post('/auth/refresh').set('X-Forwarded-For', ip).send({ refreshToken: 'nope' }).expect(401);
      }
      const limited = await request(primary.app).post('/auth/refresh').set('X-Forwarded-For', ip).send({ refreshToken: 'nope' }).expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      await request(primary.app).post('/auth/login').set('X-Forwarded-For', ip).send({ username, password: PASSWORD }).expect(200);
    });
  });
}
