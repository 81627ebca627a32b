import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { waitUntil } from '@mmo/platform/testing';
import { conversationListSchema, messagePageSchema, privateMessageSchema, unreadCountSchema } from '@mmo/shared';
import { deliverBacklog } from '../src/features/messages/message.service.js';
import { deliveredAt, pushedTo, RATE_LIMIT, send, settle, unreadOf } from './messages.helpers.js';
import { createSocialPlayer, nextNotification, startSocial, testStacks, type SocialFixture } from './social.fixture.js';

for (const kind of testStacks()) {
  describe(`social API: private messages (${kind.name} stack)`, () => {
    let fixture: SocialFixture;
    let closeStack: () => Promise<void>;

    before(async () => {
      const stack = await kind.open();
      closeStack = () => stack.close();
      fixture = await startSocial(stack, { MESSAGE_RATE_LIMIT: String(RATE_LIMIT), MESSAGE_RATE_WINDOW_SECONDS: '60' });
    });
    after(async () => {
      await fixture.stop();
      await closeStack();
    });

    it('stores a message sent by name in any case and shows it to both sides', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const sent = privateMessageSchema.parse((await alice.call('post', '/social/messages', { to: bob.name.toUpperCase(), text: '  hello there  ' }).expect(201)).body);
      assert.deepEqual([sent.from, sent.to, sent.text, sent.readAt], [{ id: alice.id, name: alice.name }, { id: bob.id, name: bob.name }, 'hello there', null]);

      const bobPage = messagePageSchema.parse((await bob.call('get', `/social/messages/with/${alice.id}`).expect(200)).body);
      const alicePage = messagePageSchema.parse((await alice.call('get', `/social/messages/with/${bob.id}`).expect(200)).body);
      assert.deepEqual(bobPage, { messages: [sent], nextBefore: null });
      assert.deepEqual(alicePage, bobPage);

      const bobList = conversationListSchema.parse((await bob.call('get', '/social/messages').expect(200)).body);
      assert.deepEqual(bobList.conversations, [{ with: { id: alice.id, name: alice.name }, lastMessage: sent, unread: 1 }]);
      const aliceList = conversationListSchema.parse((await alice.call('get', '/social/messages').expect(200)).body);
      assert.deepEqual(aliceList.conversations, [{ with: { id: bob.id, name: bob.name }, lastMessage: sent, unread: 0 }]);
      assert.equal(await unreadOf(bob), 1);
      assert.equal(await unreadOf(alice), 0);
    });

    it('notifies an online recipient at once and marks the message delivered once a room acknowledges it, without notifying the sender', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.goOnline();
      await bob.goOnline('field');
      const mark = fixture.deliveries.length;
      const sent = await send(alice, bob, 'are you there?');
      const received = await nextNotification(fixture, bob.id, 'message.received', mark);
      assert.deepEqual(received.message, sent);
      // The recipient's room acknowledges what it handed over.
      await fixture.infra.bus.publish('social.delivered', { characterId: bob.id, messageIds: [sent.id] });
      await waitUntil(async () => (await deliveredAt(fixture, sent.id)) !== null, 3000);
      await settle(fixture, alice.id);
      assert.deepEqual(pushedTo(fixture, alice.id, mark), []);
      // Already delivered live, so a login afterwards pushes nothing again.
      assert.equal(await deliverBacklog(fixture.deps, bob.id), 0);
    });

    it('keeps a message to an offline recipient undelivered, pushes the backlog oldest first, again only after an unacknowledged lease, and never once acknowledged', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const mark = fixture.deliveries.length;
      const first = await send(alice, bob, 'first');
      const second = await send(alice, bob, 'second');
      await settle(fixture, bob.id);
      assert.deepEqual(pushedTo(fixture, bob.id, mark), []);
      assert.equal(await deliveredAt(fixture, first.id), null);

      const loginMark = fixture.deliveries.length;
      assert.equal(await deliverBacklog(fixture.deps, bob.id), 2);
      await settle(fixture, bob.id);
      assert.deepEqual(pushedTo(fixture, bob.id, loginMark), [first, second]);
      // Pushed, not yet delivered: that takes a room's acknowledgement.
      assert.equal(await deliveredAt(fixture, second.id), null);

      const againMark = fixture.deliveries.length;
      assert.equal(await deliverBacklog(fixture.deps, bob.id), 0, 'a join within the lease pushes nothing');
      await settle(fixture, bob.id);
      assert.deepEqual(pushedTo(fixture, bob.id, againMark), []);

      // No room acknowledged (the connection went away): once the lease ran out, the next join pushes again.
      await fixture.infra.prisma.message.updateMany({ where: { id: { in: [first.id, second.id] } }, data: { pushedAt: new Date(Date.now() - 60_000) } });
      await fixture.infra.bus.publish('social.delivered', { characterId: bob.id, messageIds: [first.id] });
      await waitUntil(async () => (await deliveredAt(fixture, first.id)) !== null, 3000);
      const retryMark = fixture.deliveries.length;
      assert.equal(await deliverBacklog(fixture.deps, bob.id), 1);
      await settle(fixture, bob.id);
      assert.deepEqual(pushedTo(fixture, bob.id, retryMark), [second]);
    });

    it('pushes each backlog message once when two logins deliver at the same moment', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const sent = [await send(alice, bob, 'one'), await send(alice, bob, 'two'), await send(alice, bob, 'three')];
      const mark = fixture.deliveries.length;
      const counts = await Promise.all([deliverBacklog(fixture.deps, bob.id), deliverBacklog(fixture.deps, bob.id)]);
      assert.equal(counts[0]! + counts[1]!, 3);
      await settle(fixture, bob.id);
      const pushed = pushedTo(fixture, bob.id, mark).map((m) => m.id);
      assert.deepEqual([...pushed].sort(), sent.map((m) => m.id).sort());
    });

    it('stores and counts a muted sender message as unread without live notice or backlog push', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await bob.call('post', '/social/mutes', { name: alice.name }).expect(201);
      await bob.goOnline();
      const mark = fixture.deliveries.length;
      const sent = await send(alice, bob, 'you muted me');
      await settle(fixture, bob.id);
      assert.deepEqual(pushedTo(fixture, bob.id, mark), []);
      assert.equal(await deliveredAt(fixture, sent.id), null);
      assert.equal(await unreadOf(bob), 1);
      assert.equal(await deliverBacklog(fixture.deps, bob.id), 0);
      assert.equal(await deliveredAt(fixture, sent.id), null);
    });

    it('refuses with BLOCKED whichever side blocked, with CANNOT_TARGET_SELF to oneself and CHARACTER_NOT_FOUND to nobody', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      await alice.call('post', '/social/blocks', { name: bob.name }).expect(201);
      assert.equal((await bob.call('post', '/social/messages', { to: alice.name, text: 'hi' }).expect(403)).body.code, 'BLOCKED');
      assert.equal((await alice.call('post', '/social/messages', { to: bob.name, text: 'hi' }).expect(403)).body.code, 'BLOCKED');
      assert.equal((await alice.call('post', '/social/messages', { to: alice.name, text: 'hi' }).expect(422)).body.code, 'CANNOT_TARGET_SELF');
      assert.equal((await alice.call('post', '/social/messages', { to: 'Nobodyhere', text: 'hi' }).expect(404)).body.code, 'CHARACTER_NOT_FOUND');
      assert.equal(await fixture.infra.prisma.message.count({ where: { senderId: { in: [alice.id, bob.id] } } }), 0);
    });

    it('stores and answers the text with profanity masked by asterisks', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const sent = await send(alice, bob, 'what the fucking hell');
      assert.equal(sent.text, 'what the ****ing hell');
      assert.equal((await fixture.infra.prisma.message.findUniqueOrThrow({ where: { id: sent.id } })).body, 'what the ****ing hell');
    });

    it('refuses with VALIDATION_FAILED an empty text or one over 500 characters', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      assert.equal((await alice.call('post', '/social/messages', { to: bob.name, text: '   ' }).expect(400)).body.code, 'VALIDATION_FAILED');
      assert.equal((await alice.call('post', '/social/messages', { to: bob.name, text: 'x'.repeat(501) }).expect(400)).body.code, 'VALIDATION_FAILED');
      assert.equal((await send(alice, bob, 'x'.repeat(500))).text?.length, 500);
    });

    it('refuses with 429 RATE_LIMITED and Retry-After once a sender spent the window budget', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const carol = await createSocialPlayer(fixture);
      const answers = await Promise.all(
        Array.from({ length: RATE_LIMIT + 2 }, (_, i) => alice.call('post', '/social/messages', { to: (i % 2 ? bob : carol).name, text: `spam ${i}` })),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [...Array<number>(RATE_LIMIT).fill(201), 429, 429]);
      const refused = answers.find((a) => a.status === 429)!;
      assert.equal(refused.body.code, 'RATE_LIMITED');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      // The limit is the sender's own: another sender is unaffected.
      await send(bob, alice, 'still fine');
    });

    it('pages a conversation newest first in a stable order when messages share a timestamp', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const key = alice.id < bob.id ? `${alice.id}:${bob.id}` : `${bob.id}:${alice.id}`;
      const same = new Date('2030-01-01T00:00:00.000Z');
      const earlier = new Date('2029-12-31T23:59:59.000Z');
      const rows = Array.from({ length: 8 }, (_, i) => ({
        id: randomUUID(),
        senderId: i % 2 ? alice.id : bob.id,
        recipientId: i % 2 ? bob.id : alice.id,
        conversationKey: key,
        body: `line ${i}`,
        createdAt: i < 6 ? same : earlier,
      }));
      await fixture.infra.prisma.message.createMany({ data: rows });
      const expected = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);

      const seen: string[] = [];
      const sizes: number[] = [];
      let before: string | null = null;
      do {
        const path: string = `/social/messages/with/${bob.id}?limit=3${before ? `&before=${before}` : ''}`;
        const page = messagePageSchema.parse((await alice.call('get', path).expect(200)).body);
        seen.push(...page.messages.map((m) => m.id));
        sizes.push(page.messages.length);
        before = page.nextBefore;
      } while (before);
      assert.deepEqual(sizes, [3, 3, 2]);
      assert.deepEqual(seen, expected);

      const other = await send(alice, await createSocialPlayer(fixture), 'elsewhere');
      const foreign = await alice.call('get', `/social/messages/with/${bob.id}?before=${other.id}`).expect(404);
      assert.equal(foreign.body.code, 'MESSAGE_NOT_FOUND');
      assert.equal((await alice.call('get', `/social/messages/with/${bob.id}?limit=0`).expect(400)).body.code, 'VALIDATION_FAILED');
      const nobody = messagePageSchema.parse((await alice.call('get', `/social/messages/with/${randomUUID()}`).expect(200)).body);
      assert.deepEqual(nobody, { messages: [], nextBefore: null });
    });

    it('marks received messages read up to a message and answers the remaining unread count', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const carol = await createSocialPlayer(fixture);
      const fromAlice = [await send(alice, bob, 'a1'), await send(alice, bob, 'a2')];
      const reply = await send(bob, alice, 'b1');
      fromAlice.push(await send(alice, bob, 'a3'));
      const fromCarol = await send(carol, bob, 'c1');
      assert.equal(await unreadOf(bob), 4);

      const marked = unreadCountSchema.parse((await bob.call('post', `/social/messages/with/${alice.id}/read`, { upTo: reply.id }).expect(200)).body);
      assert.equal(marked.unread, 2);
      const list = conversationListSchema.parse((await bob.call('get', '/social/messages').expect(200)).body);
      assert.deepEqual(list.conversations.map((c) => [c.with.id, c.lastMessage.id, c.unread]), [[carol.id, fromCarol.id, 1], [alice.id, fromAlice[2]!.id, 1]]);
      const page = messagePageSchema.parse((await bob.call('get', `/social/messages/with/${alice.id}`).expect(200)).body);
      assert.deepEqual(page.messages.map((m) => m.readAt !== null), [false, false, true, true]);
      // The reply Bob sent is Alice's to read, not Bob's.
      assert.equal(await unreadOf(alice), 1);

      const wrong = await bob.call('post', `/social/messages/with/${alice.id}/read`, { upTo: fromCarol.id }).expect(404);
      assert.equal(wrong.body.code, 'MESSAGE_NOT_FOUND');
      assert.equal((await bob.call('post', `/social/messages/with/${carol.id}/read`, { upTo: fromCarol.id }).expect(200)).body.unread, 1);
    });

  });
}
