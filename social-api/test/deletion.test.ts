import assert from 'node:assert/strict';
import { guildInviteSchema, guildSchema, partyInviteSchema, partySchema } from '@mmo/shared';
import { waitUntil } from '@mmo/platform/testing';
import { repairLeaderlessGroups } from '../src/social.listeners.js';
import { createSocialPlayer, nextNotification, startSocial, testStacks, uniqueName, type SocialFixture, type SocialPlayer } from './social.fixture.js';

for (const kind of testStacks()) {
  describe(`social API: a deleted character (${kind.name} stack)`, () => {
    let fixture: SocialFixture;
    let closeStack: () => Promise<void>;

    before(async () => {
      const stack = await kind.open();
      closeStack = () => stack.close();
      fixture = await startSocial(stack);
    });
    after(async () => {
      await fixture.stop();
      await closeStack();
    });

    async function party(leader: SocialPlayer, member: SocialPlayer): Promise<string> {
      const created = partySchema.parse((await leader.call('post', '/social/parties').expect(201)).body);
      const invite = partyInviteSchema.parse((await leader.call('post', `/social/parties/${created.id}/invites`, { name: member.name }).expect(201)).body);
      await member.call('post', `/social/parties/invites/${invite.id}/accept`).expect(200);
      return created.id;
    }

    async function guild(leader: SocialPlayer, member: SocialPlayer): Promise<string> {
      const created = guildSchema.parse((await leader.call('post', '/social/guilds', { name: uniqueName('Order').replace(/[^A-Za-z]/g, 'x'), tag: uniqueName('T').slice(0, 5) }).expect(201)).body);
      const invite = guildInviteSchema.parse((await leader.call('post', `/social/guilds/${created.id}/invites`, { name: member.name }).expect(201)).body);
      await member.call('post', `/social/guilds/invites/${invite.id}/accept`).expect(200);
      return created.id;
    }

    it('hands the party and the guild of a deleted leader to the next member, and tells them', async () => {
      const leader = await createSocialPlayer(fixture);
      const member = await createSocialPlayer(fixture);
      const partyId = await party(leader, member);
      const guildId = await guild(leader, member);
      // The joins' own notes travel through the bus too (Redis on the real stack): wait for them,
      // so that the mark below comes after them.
      await nextNotification(fixture, member.id, 'party.updated');
      await nextNotification(fixture, member.id, 'guild.updated');
      const mark = fixture.deliveries.length;
      // As the player API does: delete the row, then announce it.
      await fixture.infra.prisma.character.delete({ where: { id: leader.id } });
      await fixture.infra.bus.publish('character.deleted', { characterId: leader.id, name: leader.name });
      const partyNote = await nextNotification(fixture, member.id, 'party.updated', mark);
      assert.deepEqual([partyNote.reason, partyNote.party?.leaderId], ['leader', member.id]);
      const guildNote = await nextNotification(fixture, member.id, 'guild.updated', mark);
      assert.deepEqual([guildNote.reason, guildNote.subject?.id], ['leader', member.id]);
      assert.equal(partySchema.parse((await member.call('get', '/social/parties/current').expect(200)).body).id, partyId);
      const now = guildSchema.parse((await member.call('get', '/social/guilds/current').expect(200)).body);
      assert.deepEqual([now.id, now.leaderId, now.memberCount], [guildId, member.id, 1]);
      // The new leader has the leader's powers.
      await member.call('patch', `/social/guilds/${guildId}`, { motd: 'we carry on' }).expect(200);
    });

    it('ends groups left empty, also when the announcement was missed (start-up repair)', async () => {
      const leader = await createSocialPlayer(fixture);
      const member = await createSocialPlayer(fixture);
      const partyId = await party(leader, member);
      const guildId = await guild(leader, member);
      await fixture.infra.prisma.character.deleteMany({ where: { id: { in: [leader.id, member.id] } } });
      await repairLeaderlessGroups(fixture.deps);
      await waitUntil(async () => (await fixture.infra.prisma.party.count({ where: { id: partyId } })) === 0, 2000);
      assert.equal(await fixture.infra.prisma.guild.count({ where: { id: guildId } }), 0);
    });
  });
}
