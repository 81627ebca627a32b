import assert from 'node:assert/strict';
import { blockListSchema, friendListSchema, healthSchema, sendFriendRequestResponseSchema } from '@mmo/shared';
import request from 'supertest';
import { createSocialPlayer, nextNotification, startSocial, testStacks, type SocialFixture } from './social.fixture.js';

for (const kind of testStacks()) {
  describe(`social API: friends, blocks and mutes (${kind.name} stack)`, () => {
    let fixture: SocialFixture;
    let closeStack: () => Promise<void>;

    before(async () => {
      const stack = await kind.open();
      closeStack = () => stack.close();
      fixture = await startSocial(stack, { FRIEND_LIMIT: '2' });
    });
    after(async () => {
      await fixture.stop();
      await closeStack();
    });

    it('reports itself healthy and answers unknown routes with 404 NOT_FOUND', async () => {
      const health = await request(fixture.app).get('/health').expect(200);
      assert.deepEqual(healthSchema.parse(health.body), { service: 'social-api', status: 'ok' });
      const missing = await request(fixture.app).get('/social/nothing').expect(404);
      assert.equal(missing.body.code, 'NOT_FOUND');
    });

    it('refuses a call without a token (401) and one acting as another account character (404)', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await request(fixture.app).get('/social/friends').expect(401);
      const res = await alice.call('get', '/social/friends').set('x-character-id', bob.id).expect(404);
      assert.equal(res.body.code, 'CHARACTER_NOT_FOUND');
      const missing = await request(fixture.app).get('/social/friends').set('authorization', `Bearer ${alice.token}`).expect(400);
      assert.equal(missing.body.code, 'VALIDATION_FAILED');
    });

    it('makes two characters friends by request and accept, notifying each side, with online status', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const mark = fixture.deliveries.length;
      const sent = sendFriendRequestResponseSchema.parse((await alice.call('post', '/social/friends/requests', { name: bob.name.toUpperCase() }).expect(201)).body);
      assert.equal(sent.status, 'pending');
      const request1 = await nextNotification(fixture, bob.id, 'friend.request', mark);
      assert.deepEqual(request1.from, { id: alice.id, name: alice.name });

      const bobView = friendListSchema.parse((await bob.call('get', '/social/friends').expect(200)).body);
      assert.deepEqual(bobView.requests.map((r) => [r.character.id, r.direction]), [[alice.id, 'incoming']]);

      await bob.goOnline('field');
      const friend = (await bob.call('post', `/social/friends/requests/${alice.id}/accept`).expect(200)).body;
      assert.equal(friend.character.id, alice.id);
      await nextNotification(fixture, alice.id, 'friend.accepted', mark);

      const aliceView = friendListSchema.parse((await alice.call('get', '/social/friends').expect(200)).body);
      assert.deepEqual(aliceView.friends.map((f) => [f.character.name, f.online, f.area]), [[bob.name, true, 'field']]);
      assert.deepEqual(aliceView.requests, []);
    });

    it('accepts at once when the other side had already asked', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(201);
      const res = sendFriendRequestResponseSchema.parse((await bob.call('post', '/social/friends/requests', { name: alice.name }).expect(201)).body);
      assert.equal(res.status, 'accepted');
    });

    it('refuses duplicates, self-requests, unknown names and a full friend list with their codes', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(201);
      assert.equal((await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(409)).body.code, 'FRIEND_REQUEST_PENDING');
      assert.equal((await alice.call('post', '/social/friends/requests', { name: alice.name }).expect(422)).body.code, 'CANNOT_TARGET_SELF');
      assert.equal((await alice.call('post', '/social/friends/requests', { name: 'Nobodyhere' }).expect(404)).body.code, 'CHARACTER_NOT_FOUND');
      assert.equal((await alice.call('post', '/social/friends/requests', { name: 'x1' }).expect(400)).body.code, 'VALIDATION_FAILED');
      await bob.call('post', `/social/friends/requests/${alice.id}/accept`).expect(200);
      assert.equal((await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(409)).body.code, 'ALREADY_FRIENDS');
      // FRIEND_LIMIT is 2 in this suite.
      const carol = await createSocialPlayer(fixture);
      const dave = await createSocialPlayer(fixture);
      await carol.call('post', '/social/friends/requests', { name: alice.name }).expect(201);
      await alice.call('post', `/social/friends/requests/${carol.id}/accept`).expect(200);
      assert.equal((await alice.call('post', '/social/friends/requests', { name: dave.name }).expect(409)).body.code, 'FRIEND_LIMIT_REACHED');
    });

    it('refuses with FRIEND_LIMIT_REACHED when accepting would overfill either list, also for parallel accepts', async () => {
      // FRIEND_LIMIT is 2 in this suite.
      const [alice, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => createSocialPlayer(fixture)));
      for (const p of [b, c, d]) await p!.call('post', '/social/friends/requests', { name: alice!.name }).expect(201);
      const answers = await Promise.all([b, c, d].map((p) => alice!.call('post', `/social/friends/requests/${p!.id}/accept`)));
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 200, 409]);
      assert.equal(answers.find((r) => r.status === 409)?.body.code, 'FRIEND_LIMIT_REACHED');
      // The requester's side counts too: Bob asked Zed, then filled his list.
      const [bob, zed, x, y] = await Promise.all([1, 2, 3, 4].map(() => createSocialPlayer(fixture)));
      await bob!.call('post', '/social/friends/requests', { name: zed!.name }).expect(201);
      for (const p of [x, y]) {
        await p!.call('post', '/social/friends/requests', { name: bob!.name }).expect(201);
        await bob!.call('post', `/social/friends/requests/${p!.id}/accept`).expect(200);
      }
      const refused = await zed!.call('post', `/social/friends/requests/${bob!.id}/accept`).expect(409);
      assert.equal(refused.body.code, 'FRIEND_LIMIT_REACHED');
      assert.match(refused.body.message, new RegExp(bob!.name));
    });

    it('blocks and mutes once when the same request arrives several times at once', async () => {
      const [a, b] = await Promise.all([1, 2].map(() => createSocialPlayer(fixture)));
      const blocks = await Promise.all([1, 2, 3].map(() => a!.call('post', '/social/blocks', { name: b!.name })));
      const mutes = await Promise.all([1, 2, 3].map(() => a!.call('post', '/social/mutes', { name: b!.name })));
      assert.deepEqual([...blocks, ...mutes].map((r) => r.status), [201, 201, 201, 201, 201, 201]);
      assert.equal(await fixture.infra.prisma.block.count({ where: { blockerId: a!.id } }), 1);
    });

    it('declines, withdraws and removes, each once', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(201);
      await bob.call('delete', `/social/friends/requests/${alice.id}`).expect(204);
      assert.equal((await bob.call('delete', `/social/friends/requests/${alice.id}`).expect(404)).body.code, 'FRIEND_REQUEST_NOT_FOUND');
      await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(201);
      await bob.call('post', `/social/friends/requests/${alice.id}/accept`).expect(200);
      await alice.call('delete', `/social/friends/${bob.id}`).expect(204);
      assert.equal((await bob.call('delete', `/social/friends/${alice.id}`).expect(404)).body.code, 'FRIEND_NOT_FOUND');
      assert.deepEqual(friendListSchema.parse((await bob.call('get', '/social/friends').expect(200)).body).friends, []);
    });

    it('ends the friendship on a block, refuses the blocked one with BLOCKED, and lifts it on unblock', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(201);
      await bob.call('post', `/social/friends/requests/${alice.id}/accept`).expect(200);
      await alice.call('post', '/social/blocks', { name: bob.name }).expect(201);
      assert.deepEqual(friendListSchema.parse((await bob.call('get', '/social/friends').expect(200)).body).friends, []);
      assert.deepEqual(blockListSchema.parse((await alice.call('get', '/social/blocks').expect(200)).body).blocks.map((b) => b.character.id), [bob.id]);
      const refused = await bob.call('post', '/social/friends/requests', { name: alice.name }).expect(403);
      assert.equal(refused.body.code, 'BLOCKED');
      assert.equal((await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(403)).body.code, 'BLOCKED');
      await alice.call('delete', `/social/blocks/${bob.id}`).expect(204);
      await bob.call('post', '/social/friends/requests', { name: alice.name }).expect(201);
      assert.equal((await alice.call('delete', `/social/blocks/${bob.id}`).expect(404)).body.code, 'NOT_FOUND');
    });

    it('refuses with BLOCKED to accept a request that a block between the two did not withdraw (a race)', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.call('post', '/social/friends/requests', { name: bob.name }).expect(201);
      await fixture.infra.prisma.block.create({ data: { blockerId: bob.id, blockedId: alice.id } });
      assert.equal((await bob.call('post', `/social/friends/requests/${alice.id}/accept`).expect(403)).body.code, 'BLOCKED');
    });

    it('keeps a mute list', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.call('post', '/social/mutes', { name: bob.name }).expect(201);
      await alice.call('post', '/social/mutes', { name: bob.name }).expect(201);
      const mutes = (await alice.call('get', '/social/mutes').expect(200)).body.mutes as { character: { id: string } }[];
      assert.deepEqual(mutes.map((m) => m.character.id), [bob.id]);
      await alice.call('delete', `/social/mutes/${bob.id}`).expect(204);
      assert.equal((await alice.call('delete', `/social/mutes/${bob.id}`).expect(404)).body.code, 'NOT_FOUND');
    });
  });
}
