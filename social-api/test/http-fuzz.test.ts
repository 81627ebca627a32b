import assert from 'node:assert/strict';
import { CHARACTER_HEADER } from '@mmo/shared';
import { fuzzHttp } from '@mmo/platform/testing';
import { socialOpenApiDocument } from '../src/social.app.js';
import { createSocialPlayer, startSocial, testStacks } from './social.fixture.js';

const SEED = Number(process.env.FUZZ_SEED ?? 10);

for (const kind of testStacks()) {
  describe(`HTTP fuzz of the social API (${kind.name} stack)`, function () {
    this.timeout(180_000);

    it('answers every documented operation with no 500, errors as {code, message}, and no row changed by a refused request', async () => {
      const stack = await kind.open();
      const fixture = await startSocial(stack);
      try {
        const player = await createSocialPlayer(fixture, { name: 'Borin' });
        const other = await createSocialPlayer(fixture);
        const moderator = await createSocialPlayer(fixture, { moderator: true });
        const report = await fuzzHttp({
          app: fixture.app,
          document: socialOpenApiDocument(),
          tokens: [player.token, moderator.token],
          headers: { [CHARACTER_HEADER]: player.id },
          ids: [player.id, other.id],
          db: stack.db,
          seed: SEED,
          casesPerOperation: 15,
        });
        console.info(`      social API (seed ${SEED}): ${report.requests} requests over ${report.operations} operations, statuses ${JSON.stringify(report.statuses)}`);
        assert.ok(report.requests >= report.operations * 15);
      } finally {
        await fixture.stop();
        await stack.close();
      }
    });
  });
}
