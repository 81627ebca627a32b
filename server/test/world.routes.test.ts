import assert from 'node:assert/strict';
import { testStacks, type TestStack } from '@mmo/platform/testing';
import { normalizeName } from '@mmo/shared';
import request from 'supertest';
import { registerAndLogin, startPrimary, type PrimaryFixture } from './primary.fixture.js';

for (const kind of testStacks()) {
  describe(`POST /world/enter without game servers (${kind.name} stack)`, () => {
    let stack: TestStack;
    let primary: PrimaryFixture;

    before(async () => {
      stack = await kind.open();
      primary = await startPrimary(stack, { ENTER_WORLD_RATE_LIMIT_PER_ACCOUNT: '2' });
    });
    after(async () => {
      await primary.stop();
      await stack.close();
    });

    async function playerWithCharacter() {
      const login = await registerAndLogin(primary.app);
      const account = await stack.db.prisma.account.findUniqueOrThrow({ where: { usernameKey: normalizeName(login.username) } });
      // Digits as letters, keeping the end of the name where the per-run counter is: a long
      // process id must not push the counter out of the 16 letters a name may have.
      const name = `Hero${login.username.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d))).replace(/[^A-Za-z]/g, '').slice(-12)}`;
      const character = await stack.db.prisma.character.create({
        data: { accountId: account.id, name, nameKey: normalizeName(name), class: 'mage', area: 'town', x: 10, y: 10 },
      });
      return { token: login.accessToken, characterId: character.id };
    }

    it('answers 503 SERVICE_UNAVAILABLE when no game server can take the character', async () => {
      const { token, characterId } = await playerWithCharacter();
      const res = await request(primary.app).post('/world/enter').auth(token, { type: 'bearer' }).send({ characterId }).expect(503);
      assert.equal(res.body.code, 'SERVICE_UNAVAILABLE');
    });

    it('answers 429 RATE_LIMITED once one account enters the world too often', async () => {
      const { token, characterId } = await playerWithCharacter();
      for (let i = 0; i < 2; i += 1) await request(primary.app).post('/world/enter').auth(token, { type: 'bearer' }).send({ characterId }).expect(503);
      const limited = await request(primary.app).post('/world/enter').auth(token, { type: 'bearer' }).send({ characterId }).expect(429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
    });

    it('answers 400 VALIDATION_FAILED for a character id that is not a uuid, and 401 without a token', async () => {
      const { token } = await playerWithCharacter();
      await request(primary.app).post('/world/enter').auth(token, { type: 'bearer' }).send({ characterId: 'x' }).expect(400);
      await request(primary.app).post('/world/enter').send({ characterId: 'x' }).expect(401);
    });
  });
}
