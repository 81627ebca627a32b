import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { LocalPresence, type Presence } from '@colyseus/core';
import { RedisPresence } from '@colyseus/redis-presence';
import { beginClaim, forgetHolder, isCurrentClaim, recordAndConfirm } from '../src/game/character-claims.js';

/** Every presence the game runs on: in memory always, Redis when `REDIS_URL` is set. */
const presences: { name: string; open(): Presence }[] = [{ name: 'local', open: () => new LocalPresence() }];
if (process.env.REDIS_URL) presences.push({ name: 'redis', open: () => new RedisPresence(process.env.REDIS_URL!) });

for (const { name, open } of presences) {
  describe(`character claims (${name} presence)`, () => {
    let presence: Presence;
    before(() => {
      presence = open();
    });
    after(() => presence.shutdown());

    it('hands each join a newer generation and the holder recorded before it, read after the increment', async () => {
      const characterId = randomUUID();
      const first = await beginClaim(presence, characterId);
      assert.equal(first.previous, null);
      assert.equal(await recordAndConfirm(presence, characterId, { generation: first.generation, roomId: 'room-a', sessionId: 's1' }), true);
      const second = await beginClaim(presence, characterId);
      assert.equal(second.generation, first.generation + 1);
      assert.deepEqual(second.previous, { generation: first.generation, roomId: 'room-a', sessionId: 's1' });
    });

    it('confirms a recorded claim only while no later join has begun, the record written either way', async () => {
      const characterId = randomUUID();
      const older = await beginClaim(presence, characterId);
      const newer = await beginClaim(presence, characterId);
      assert.equal(await recordAndConfirm(presence, characterId, { generation: older.generation, roomId: 'room-a', sessionId: 's1' }), false);
      // The newer join, beginning again, would find it; the refused one forgets its own record.
      assert.deepEqual((await beginClaim(presence, characterId)).previous, { generation: older.generation, roomId: 'room-a', sessionId: 's1' });
      await forgetHolder(presence, characterId, older.generation);
      assert.equal(await recordAndConfirm(presence, characterId, { generation: newer.generation + 1, roomId: 'room-b', sessionId: 's2' }), true);
      assert.equal(await isCurrentClaim(presence, characterId, newer.generation), false);
    });

    it('confirms only the newest of joins that began together, whatever order their records land in', async () => {
      const characterId = randomUUID();
      const claims = await Promise.all(Array.from({ length: 20 }, () => beginClaim(presence, characterId)));
      const newest = Math.max(...claims.map((claim) => claim.generation));
      const confirmed = await Promise.all(
        claims.reverse().map((claim, i) => recordAndConfirm(presence, characterId, { generation: claim.generation, roomId: `room-${i}`, sessionId: `s${i}` })),
      );
      assert.deepEqual(claims.filter((_, i) => confirmed[i]).map((claim) => claim.generation), [newest]);
    });
  });
}
