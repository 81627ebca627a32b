import assert from 'node:assert/strict';
import { AccessTokenSigner } from '@mmo/platform';
import { createTestInfra, createTestPlayer, fuzzHttp, testSigningKey, testStacks } from '@mmo/platform/testing';
import request from 'supertest';
import { playerSettingsSchema } from '../src/config.js';
import { createPlayerApp, createPlayerDeps, playerOpenApiDocument } from '../src/player.app.js';

const SEED = Number(process.env.FUZZ_SEED ?? 10);

for (const kind of testStacks()) {
  describe(`HTTP fuzz of the player API (${kind.name} stack)`, function () {
    this.timeout(120_000);

    it('answers every documented operation with no 500, errors as {code, message}, and no row changed by a refused request', async () => {
      const stack = await kind.open();
      const infra = await createTestInfra(stack);
      try {
        const deps = createPlayerDeps(infra, playerSettingsSchema.parse({ PUBLIC_RATE_LIMIT_PER_IP: '100000' }));
        const app = createPlayerApp(deps, { trustProxy: 'loopback' });
        const player = await createTestPlayer(infra);
        const moderator = await createTestPlayer(infra);
        await infra.prisma.account.update({ where: { id: moderator.accountId }, data: { role: 'moderator' } });
        const moderatorToken = (await new AccessTokenSigner(testSigningKey, 900).sign({ accountId: moderator.accountId, sessionId: moderator.sessionId, role: 'moderator' })).token;
        const created = await request(app).post('/characters').set('authorization', `Bearer ${player.accessToken}`).send({ name: 'Borin', class: 'warrior' }).expect(201);
        const report = await fuzzHttp({
          app,
          document: playerOpenApiDocument(),
          tokens: [player.accessToken, moderatorToken],
          ids: [String(created.body.id)],
          db: stack.db,
          seed: SEED,
          casesPerOperation: 25,
        });
        console.info(`      player API (seed ${SEED}): ${report.requests} requests over ${report.operations} operations, statuses ${JSON.stringify(report.statuses)}`);
        assert.ok(report.requests >= report.operations * 25);
      } finally {
        await infra.stop();
        await stack.close();
      }
    });
  });
}
