import assert from 'node:assert/strict';
import { fuzzHttp, testStacks, type TestStack } from '@mmo/platform/testing';
import { primaryOpenApiDocument } from '../src/primary/primary.app.js';
import { registerAndLogin, startPrimary, type PrimaryFixture } from './primary.fixture.js';

const SEED = Number(process.env.FUZZ_SEED ?? 10);

for (const kind of testStacks()) {
  describe(`HTTP fuzz of the primary server (${kind.name} stack)`, function () {
    this.timeout(120_000);
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

    it('answers every documented operation with no 500, errors as {code, message}, and no row changed by a refused request', async () => {
      // Fresh sessions for each operation: a fuzzed logout ends the one it used.
      const tokens = async () => [(await registerAndLogin(primary.app)).accessToken];
      const report = await fuzzHttp({ app: primary.app, document: primaryOpenApiDocument(), tokens, db: stack.db, seed: SEED, casesPerOperation: 40 });
      console.info(`      primary (seed ${SEED}): ${report.requests} requests over ${report.operations} operations, statuses ${JSON.stringify(report.statuses)}`);
      assert.ok(report.requests >= report.operations * 40);
    });
  });
}
