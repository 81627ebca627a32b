import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { auditLogSchema, conversationListSchema, messagePageSchema, messageReportListSchema, messageReportSchema, moderatedConversationSchema } from '@mmo/shared';
import { deliverBacklog } from '../src/features/messages/message.service.js';
import { createModerator, RATE_LIMIT, send, unreadOf } from './messages.helpers.js';
import { createSocialPlayer, startSocial, testStacks, type SocialFixture } from './social.fixture.js';

for (const kind of testStacks()) {
  describe(`social API: message reports and moderation (${kind.name} stack)`, () => {
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


    it('takes one report per message from its recipient only, also when two arrive at once', async () => {
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const sent = await send(alice, bob, 'rude words');
      const answers = await Promise.all([1, 2].map(() => bob.call('post', `/social/messages/${sent.id}/report`, { reason: 'insults' })));
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
      const report = messageReportSchema.parse(answers.find((a) => a.status === 201)!.body);
      assert.deepEqual([report.messageId, report.reporter.id, report.reported.id, report.reason, report.resolvedAt], [sent.id, bob.id, alice.id, 'insults', null]);
      assert.equal(answers.find((a) => a.status === 409)!.body.code, 'ALREADY_REPORTED');
      assert.equal((await alice.call('post', `/social/messages/${sent.id}/report`, { reason: 'mine' }).expect(404)).body.code, 'MESSAGE_NOT_FOUND');
      assert.equal((await bob.call('post', `/social/messages/${randomUUID()}/report`, { reason: 'x' }).expect(404)).body.code, 'MESSAGE_NOT_FOUND');
    });

    it('refuses every moderator route to a player with FORBIDDEN', async () => {
      const alice = await createSocialPlayer(fixture);
      const id = randomUUID();
      const calls = [
        alice.call('get', '/admin/social/reports'),
        alice.call('get', `/admin/social/reports/${id}/conversation`),
        alice.call('post', `/admin/social/messages/${id}/remove`, { reason: 'x' }),
        alice.call('post', `/admin/social/reports/${id}/resolve`, { reason: 'x' }),
        alice.call('get', '/admin/social/audit'),
      ];
      for (const answer of await Promise.all(calls)) {
        assert.equal(answer.status, 403);
        assert.equal(answer.body.code, 'FORBIDDEN');
      }
    });

    it('keeps a report, with the reported text and names, readable after the sender deletes their character', async () => {
      const moderator = await createModerator(fixture);
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const insult = await send(alice, bob, 'you are awful');
      const report = messageReportSchema.parse((await bob.call('post', `/social/messages/${insult.id}/report`, { reason: 'insult' }).expect(201)).body);
      assert.deepEqual([report.text, report.reported.name, report.sentAt], ['you are awful', alice.name, insult.sentAt]);
      await fixture.infra.prisma.character.delete({ where: { id: alice.id } });
      const read = moderatedConversationSchema.parse((await moderator.call('get', `/admin/social/reports/${report.id}/conversation`).expect(200)).body);
      assert.deepEqual(read.report, report);
      assert.deepEqual(read.messages, [], 'the deleted character took its messages with it; the report kept its copy');
    });

    it('lets a moderator read a reported conversation, remove a message and resolve the report, each in the audit log', async () => {
      const moderator = await createModerator(fixture);
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const hello = await send(bob, alice, 'hello');
      const insult = await send(alice, bob, 'you are awful');
      const report = messageReportSchema.parse((await bob.call('post', `/social/messages/${insult.id}/report`, { reason: 'insult' }).expect(201)).body);
      const key = alice.id < bob.id ? `${alice.id}:${bob.id}` : `${bob.id}:${alice.id}`;

      const open = messageReportListSchema.parse((await moderator.call('get', '/admin/social/reports').expect(200)).body);
      assert.deepEqual(open.reports.find((r) => r.id === report.id), report);

      const read = moderatedConversationSchema.parse((await moderator.call('get', `/admin/social/reports/${report.id}/conversation?limit=1`).expect(200)).body);
      assert.deepEqual(read.report, report);
      assert.deepEqual(read.messages.map((m) => [m.id, m.text, m.removedAt]), [[insult.id, 'you are awful', null]]);
      const older = moderatedConversationSchema.parse(
        (await moderator.call('get', `/admin/social/reports/${report.id}/conversation?limit=1&before=${read.nextBefore}`).expect(200)).body,
      );
      assert.deepEqual([older.messages.map((m) => m.id), older.nextBefore], [[hello.id], null]);
      const reads = await fixture.infra.prisma.auditEntry.findMany({ where: { targetId: key } });
      assert.deepEqual(reads.map((r) => [r.actorId, r.action, r.targetType, r.details]), [
        [moderator.accountId, 'conversation.read', 'conversation', { reportId: report.id }],
        [moderator.accountId, 'conversation.read', 'conversation', { reportId: report.id }],
      ]);

      await moderator.call('post', `/admin/social/messages/${insult.id}/remove`, { reason: 'abusive' }).expect(204);
      await moderator.call('post', `/admin/social/messages/${insult.id}/remove`, { reason: 'abusive again' }).expect(204);
      // Every moderator request leaves one row; the second removal changed nothing and says so.
      const removals = await fixture.infra.prisma.auditEntry.findMany({ where: { action: 'message.remove', targetId: insult.id }, orderBy: { createdAt: 'asc' } });
      assert.deepEqual(
        removals.map((r) => [r.actorId, r.targetType, r.reason, (r.details as { changed: boolean }).changed]),
        [[moderator.accountId, 'message', 'abusive', true], [moderator.accountId, 'message', 'abusive again', false]],
      );

      const bobPage = messagePageSchema.parse((await bob.call('get', `/social/messages/with/${alice.id}`).expect(200)).body);
      assert.deepEqual(bobPage.messages.map((m) => m.text), [null, 'hello']);
      const bobList = conversationListSchema.parse((await bob.call('get', '/social/messages').expect(200)).body);
      assert.equal(bobList.conversations[0]!.lastMessage.text, null);
      assert.equal(await unreadOf(bob), 0);
      // A removed message is not pushed at login either.
      assert.equal(await deliverBacklog(fixture.deps, bob.id), 0);
      const modView = moderatedConversationSchema.parse((await moderator.call('get', `/admin/social/reports/${report.id}/conversation`).expect(200)).body);
      assert.equal(modView.messages[0]!.text, 'you are awful');
      assert.ok(modView.messages[0]!.removedAt);

      await moderator.call('post', `/admin/social/reports/${report.id}/resolve`, { reason: 'message removed' }).expect(204);
      await moderator.call('post', `/admin/social/reports/${report.id}/resolve`, { reason: 'twice' }).expect(204);
      const resolutions = await fixture.infra.prisma.auditEntry.findMany({ where: { action: 'report.resolve', targetId: report.id }, orderBy: { createdAt: 'asc' } });
      assert.deepEqual(resolutions.map((r) => [r.targetType, r.reason, (r.details as { changed: boolean }).changed]), [['report', 'message removed', true], ['report', 'twice', false]]);
      const stillOpen = messageReportListSchema.parse((await moderator.call('get', '/admin/social/reports?status=open').expect(200)).body);
      assert.equal(stillOpen.reports.some((r) => r.id === report.id), false);
      const resolved = messageReportListSchema.parse((await moderator.call('get', '/admin/social/reports?status=resolved').expect(200)).body);
      assert.ok(resolved.reports.find((r) => r.id === report.id)?.resolvedAt);
      const all = messageReportListSchema.parse((await moderator.call('get', '/admin/social/reports?status=all').expect(200)).body);
      assert.ok(all.reports.some((r) => r.id === report.id));
    });

    it('answers REPORT_NOT_FOUND, MESSAGE_NOT_FOUND and NOT_FOUND for what does not exist', async () => {
      const moderator = await createModerator(fixture);
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const sent = await send(alice, bob, 'hi');
      const report = messageReportSchema.parse((await bob.call('post', `/social/messages/${sent.id}/report`, { reason: 'spam' }).expect(201)).body);
      const elsewhere = await send(alice, await createSocialPlayer(fixture), 'other');
      const id = randomUUID();
      assert.equal((await moderator.call('get', `/admin/social/reports/${id}/conversation`).expect(404)).body.code, 'REPORT_NOT_FOUND');
      assert.equal((await moderator.call('post', `/admin/social/reports/${id}/resolve`, { reason: 'x' }).expect(404)).body.code, 'REPORT_NOT_FOUND');
      assert.equal((await moderator.call('post', `/admin/social/messages/${id}/remove`, { reason: 'x' }).expect(404)).body.code, 'MESSAGE_NOT_FOUND');
      const foreign = await moderator.call('get', `/admin/social/reports/${report.id}/conversation?before=${elsewhere.id}`).expect(404);
      assert.equal(foreign.body.code, 'MESSAGE_NOT_FOUND');
      assert.equal((await moderator.call('get', `/admin/social/audit?before=${id}`).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await moderator.call('get', '/admin/social/reports?status=closed').expect(400)).body.code, 'VALIDATION_FAILED');
      assert.equal((await moderator.call('post', `/admin/social/messages/${sent.id}/remove`, { reason: ' ' }).expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('pages the audit log newest first', async () => {
      const moderator = await createModerator(fixture);
      const alice = await createSocialPlayer(fixture);
      const bob = await createSocialPlayer(fixture);
      const sent = [await send(alice, bob, 'one'), await send(alice, bob, 'two'), await send(alice, bob, 'three')];
      for (const message of sent) await moderator.call('post', `/admin/social/messages/${message.id}/remove`, { reason: `remove ${message.text}` }).expect(204);
      const first = auditLogSchema.parse((await moderator.call('get', '/admin/social/audit?limit=2').expect(200)).body);
      assert.deepEqual(first.entries.map((e) => e.targetId), [sent[2]!.id, sent[1]!.id]);
      assert.deepEqual(first.entries[0]!.reason, 'remove three');
      assert.deepEqual(first.entries[0]!.details, { changed: true, conversationKey: alice.id < bob.id ? `${alice.id}:${bob.id}` : `${bob.id}:${alice.id}` });
      const second = auditLogSchema.parse((await moderator.call('get', `/admin/social/audit?limit=2&before=${first.nextBefore}`).expect(200)).body);
      assert.equal(second.entries[0]!.targetId, sent[0]!.id);
      const total = await fixture.infra.prisma.auditEntry.count();
      const everything = auditLogSchema.parse((await moderator.call('get', '/admin/social/audit?limit=100').expect(200)).body);
      assert.equal(everything.entries.length, Math.min(total, 100));
    });
  });
}
