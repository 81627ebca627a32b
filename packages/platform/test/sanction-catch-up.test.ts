import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { normalizeName } from '@mmo/shared';
import { createRedis, createSilentLogger, openInfra } from '../src/index.js';
import { createScratchDatabase, testVerifyingKey, waitUntil } from '../src/testing/index.js';

const { DATABASE_URL: serverUrl, REDIS_URL: redisUrl } = process.env;

// Needs Redis to cut a process's subscriber off, so it runs on the real stack only.
if (serverUrl && redisUrl) {
  describe('sanctions: catching up after a Redis reconnect (real stack)', function () {
    this.timeout(30_000);

    it('reloads a ban and a revocation issued while its bus subscriber was cut off, at its first reconnect', async () => {
      const scratch = await createScratchDatabase(serverUrl, 'mmo_catchup');
      const service = `catchup${randomBytes(4).toString('hex')}`;
      const { infra, close } = await openInfra({
        service,
        logger: createSilentLogger(),
        tokenPublicKey: testVerifyingKey,
        database: { kind: 'postgres', url: scratch.url },
        migrate: true,
        redisUrl,
      });
      const admin = createRedis(redisUrl, `${service}-admin`, createSilentLogger());
      try {
        const account = await infra.prisma.account.create({ data: { username: service, usernameKey: normalizeName(service), passwordHash: 'x' } });
        // Kill only this process's subscriber (found by its connection name), then write the ban
        // as a primary would while the message cannot arrive: straight into the table, no event.
        const clients = String(await admin.call('CLIENT', 'LIST'));
        const id = /id=(\d+) .*name=(\S+)/.exec(clients.split('\n').find((line) => line.includes(`name=${service}-bus `)) ?? '')?.[1];
        assert.ok(id, 'the subscriber connection is listed');
        await infra.prisma.sanction.create({ data: { accountId: account.id, kind: 'ban', reason: 'while cut off', endsAt: new Date(Date.now() + 600_000) } });
        const session = await infra.prisma.session.create({
          data: { accountId: account.id, deviceLabel: 'test', ip: '127.0.0.1', expiresAt: new Date(Date.now() + 600_000), revokedAt: new Date() },
        });
        await admin.call('CLIENT', 'KILL', 'ID', id);
        await waitUntil(() => infra.sanctions.banOf(account.id)?.reason === 'while cut off', 10_000, 50);
        assert.equal(infra.denylist.has(session.id), true);
      } finally {
        await admin.quit();
        await close();
        await scratch.drop();
      }
    });
  });
}
