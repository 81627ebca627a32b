import assert from 'node:assert/strict';
import { groupsSchema, partyInviteListSchema, partyInviteSchema, partySchema, type Party } from '@mmo/shared';
import { createSocialPlayer, nextNotification, startSocial, testStacks, type SocialFixture, type SocialPlayer } from './social.fixture.js';

for (const kind of testStacks()) {
  describe(`social API: parties (${kind.name} stack)`, () => {
    let fixture: SocialFixture;
    let closeStack: () => Promise<void>;

    before(async () => {
      const stack = await kind.open();
      closeStack = () => stack.close();
      fixture = await startSocial(stack, { PARTY_MAX_MEMBERS: '3', INVITE_TTL_SECONDS: '60' });
    });
    after(async () => {
      await fixture.stop();
      await closeStack();
    });

    async function partyOf(leader: SocialPlayer, ...members: SocialPlayer[]): Promise<Party> {
      const party = partySchema.parse((await leader.call('post', '/social/parties').expect(201)).body);
      for (const member of members) {
        const invite = partyInviteSchema.parse((await leader.call('post', `/social/parties/${party.id}/invites`, { name: member.name }).expect(201)).body);
        await member.call('post', `/social/parties/invites/${invite.id}/accept`).expect(200);
      }
      return partySchema.parse((await leader.call('get', '/social/parties/current').expect(200)).body);
    }

    it('answers GET /social/groups with null party and guild for a loner, and the party once it has one', async () => {
      const loner = await createSocialPlayer(fixture);
      assert.deepEqual(groupsSchema.parse((await loner.call('get', '/social/groups').expect(200)).body), { party: null, guild: null });
      const friend = await createSocialPlayer(fixture);
      const party = await partyOf(loner, friend);
      const groups = groupsSchema.parse((await friend.call('get', '/social/groups').expect(200)).body);
      assert.equal(groups.party?.id, party.id);
      assert.deepEqual(groups.party?.members.map((m) => m.id).sort(), [loner.id, friend.id].sort());
      assert.equal(groups.guild, null);
    });

    it('forms a party by invite and accept, telling the invitee and then every member', async () => {
      const leader = await createSocialPlayer(fixture);
      const friend = await createSocialPlayer(fixture);
      const party = partySchema.parse((await leader.call('post', '/social/parties').expect(201)).body);
      assert.equal(party.leaderId, leader.id);
      const mark = fixture.deliveries.length;
      const invite = partyInviteSchema.parse((await leader.call('post', `/social/parties/${party.id}/invites`, { name: friend.name }).expect(201)).body);
      const received = await nextNotification(fixture, friend.id, 'party.invite', mark);
      assert.equal(received.invite.id, invite.id);
      assert.deepEqual(partyInviteListSchema.parse((await friend.call('get', '/social/parties/invites').expect(200)).body).invites.map((i) => i.id), [invite.id]);

      await friend.goOnline('dungeon');
      const joined = partySchema.parse((await friend.call('post', `/social/parties/invites/${invite.id}/accept`).expect(200)).body);
      assert.deepEqual(joined.members.map((m) => m.id), [leader.id, friend.id]);
      assert.deepEqual(joined.members.map((m) => [m.online, m.area]), [[false, null], [true, 'dungeon']]);
      const update = await nextNotification(fixture, leader.id, 'party.updated', mark);
      assert.equal(update.reason, 'joined');
      assert.equal(update.subject?.id, friend.id);
      assert.equal(update.party?.members.length, 2);
    });

    it('refuses with PARTY_FULL when the party already has its maximum of members', async () => {
      const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => createSocialPlayer(fixture)));
      const party = await partyOf(a!, b!, c!);
      const res = await a!.call('post', `/social/parties/${party.id}/invites`, { name: d!.name }).expect(409);
      assert.equal(res.body.code, 'PARTY_FULL');
    });

    it('lets no more than the maximum join when invites are accepted at the same moment', async () => {
      const leader = await createSocialPlayer(fixture);
      const guests = await Promise.all([1, 2, 3, 4].map(() => createSocialPlayer(fixture)));
      const party = partySchema.parse((await leader.call('post', '/social/parties').expect(201)).body);
      const invites: { id: string }[] = [];
      for (const guest of guests) invites.push(partyInviteSchema.parse((await leader.call('post', `/social/parties/${party.id}/invites`, { name: guest.name }).expect(201)).body));
      const answers = await Promise.all(guests.map((guest, i) => guest.call('post', `/social/parties/invites/${invites[i]!.id}/accept`)));
      assert.equal(answers.filter((r) => r.status === 200).length, 2);
      assert.deepEqual(answers.filter((r) => r.status !== 200).map((r) => r.body.code), ['PARTY_FULL', 'PARTY_FULL']);
      assert.equal(await fixture.infra.prisma.partyMember.count({ where: { partyId: party.id } }), 3);
    });

    it('answers ALREADY_IN_PARTY, never 500, when one character joins two parties at the same moment', async () => {
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => createSocialPlayer(fixture)));
      const p1 = partySchema.parse((await a!.call('post', '/social/parties').expect(201)).body);
      const p2 = partySchema.parse((await b!.call('post', '/social/parties').expect(201)).body);
      const i1 = partyInviteSchema.parse((await a!.call('post', `/social/parties/${p1.id}/invites`, { name: c!.name }).expect(201)).body);
      const i2 = partyInviteSchema.parse((await b!.call('post', `/social/parties/${p2.id}/invites`, { name: c!.name }).expect(201)).body);
      const answers = await Promise.all([
        c!.call('post', `/social/parties/invites/${i1.id}/accept`),
        c!.call('post', `/social/parties/invites/${i2.id}/accept`),
        c!.call('post', '/social/parties'),
      ]);
      // Exactly one wins, whichever: a join (200) or the new party (201).
      assert.equal(answers.filter((r) => r.status === 200 || r.status === 201).length, 1, JSON.stringify(answers.map((r) => r.status)));
      assert.deepEqual(answers.filter((r) => r.status >= 400).map((r) => r.body.code), ['ALREADY_IN_PARTY', 'ALREADY_IN_PARTY']);
      assert.equal(await fixture.infra.prisma.partyMember.count({ where: { characterId: c!.id } }), 1);
    });

    it('refuses invites that are duplicate, blocked, to party members, to oneself or from outsiders', async () => {
      const [a, b, c, outsider] = await Promise.all([1, 2, 3, 4].map(() => createSocialPlayer(fixture)));
      const party = await partyOf(a!, b!);
      await a!.call('post', `/social/parties/${party.id}/invites`, { name: c!.name }).expect(201);
      assert.equal((await b!.call('post', `/social/parties/${party.id}/invites`, { name: c!.name }).expect(409)).body.code, 'ALREADY_INVITED');
      assert.equal((await a!.call('post', `/social/parties/${party.id}/invites`, { name: b!.name }).expect(409)).body.code, 'ALREADY_IN_PARTY');
      assert.equal((await a!.call('post', `/social/parties/${party.id}/invites`, { name: a!.name }).expect(422)).body.code, 'CANNOT_TARGET_SELF');
      assert.equal((await outsider!.call('post', `/social/parties/${party.id}/invites`, { name: c!.name }).expect(404)).body.code, 'PARTY_NOT_FOUND');
      await outsider!.call('post', '/social/blocks', { name: a!.name }).expect(201);
      assert.equal((await a!.call('post', `/social/parties/${party.id}/invites`, { name: outsider!.name }).expect(403)).body.code, 'BLOCKED');
      assert.equal((await a!.call('post', '/social/parties').expect(409)).body.code, 'ALREADY_IN_PARTY');
    });

    it('refuses with BLOCKED an invite that a block between the two did not withdraw (a race)', async () => {
      const leader = await createSocialPlayer(fixture);
      const guest = await createSocialPlayer(fixture);
      const party = partySchema.parse((await leader.call('post', '/social/parties').expect(201)).body);
      const invite = partyInviteSchema.parse((await leader.call('post', `/social/parties/${party.id}/invites`, { name: guest.name }).expect(201)).body);
      // The block lands in the same instant as the invite, so it found nothing to withdraw.
      await fixture.infra.prisma.block.create({ data: { blockerId: leader.id, blockedId: guest.id } });
      assert.equal((await guest.call('post', `/social/parties/invites/${invite.id}/accept`).expect(403)).body.code, 'BLOCKED');
    });

    it('answers INVITE_EXPIRED for an invite accepted too late and drops it', async () => {
      const leader = await createSocialPlayer(fixture);
      const late = await createSocialPlayer(fixture);
      const party = partySchema.parse((await leader.call('post', '/social/parties').expect(201)).body);
      const invite = partyInviteSchema.parse((await leader.call('post', `/social/parties/${party.id}/invites`, { name: late.name }).expect(201)).body);
      await fixture.infra.prisma.partyInvite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      assert.deepEqual(partyInviteListSchema.parse((await late.call('get', '/social/parties/invites').expect(200)).body).invites, []);
      assert.equal((await late.call('post', `/social/parties/invites/${invite.id}/accept`).expect(410)).body.code, 'INVITE_EXPIRED');
      assert.equal((await late.call('post', `/social/parties/invites/${invite.id}/accept`).expect(404)).body.code, 'INVITE_NOT_FOUND');
      // An expired invite does not stand in the way of a new one.
      await leader.call('post', `/social/parties/${party.id}/invites`, { name: late.name }).expect(201);
    });

    it('declines an invite and tells the inviter; nobody else can answer it', async () => {
      const leader = await createSocialPlayer(fixture);
      const guest = await createSocialPlayer(fixture);
      const other = await createSocialPlayer(fixture);
      const party = partySchema.parse((await leader.call('post', '/social/parties').expect(201)).body);
      const invite = partyInviteSchema.parse((await leader.call('post', `/social/parties/${party.id}/invites`, { name: guest.name }).expect(201)).body);
      assert.equal((await other.call('post', `/social/parties/invites/${invite.id}/accept`).expect(404)).body.code, 'INVITE_NOT_FOUND');
      const mark = fixture.deliveries.length;
      await guest.call('delete', `/social/parties/invites/${invite.id}`).expect(204);
      const told = await nextNotification(fixture, leader.id, 'party.updated', mark);
      assert.equal(told.reason, 'declined');
      assert.equal((await guest.call('delete', `/social/parties/invites/${invite.id}`).expect(404)).body.code, 'INVITE_NOT_FOUND');
    });

    it('lets only the leader kick, promote and disband, answering NOT_PARTY_LEADER otherwise', async () => {
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => createSocialPlayer(fixture)));
      const party = await partyOf(a!, b!, c!);
      assert.equal((await b!.call('delete', `/social/parties/${party.id}/members/${c!.id}`).expect(403)).body.code, 'NOT_PARTY_LEADER');
      assert.equal((await b!.call('put', `/social/parties/${party.id}/leader`, { characterId: b!.id }).expect(403)).body.code, 'NOT_PARTY_LEADER');
      assert.equal((await b!.call('delete', `/social/parties/${party.id}`).expect(403)).body.code, 'NOT_PARTY_LEADER');
      assert.equal((await a!.call('delete', `/social/parties/${party.id}/members/${a!.id}`).expect(422)).body.code, 'CANNOT_TARGET_SELF');

      const mark = fixture.deliveries.length;
      await a!.call('delete', `/social/parties/${party.id}/members/${c!.id}`).expect(204);
      const kicked = await nextNotification(fixture, c!.id, 'party.updated', mark);
      assert.deepEqual([kicked.reason, kicked.party], ['kicked', null]);
      assert.equal((await a!.call('delete', `/social/parties/${party.id}/members/${c!.id}`).expect(404)).body.code, 'MEMBER_NOT_FOUND');
      assert.equal((await c!.call('get', '/social/parties/current').expect(409)).body.code, 'NOT_IN_PARTY');

      const promoted = partySchema.parse((await a!.call('put', `/social/parties/${party.id}/leader`, { characterId: b!.id }).expect(200)).body);
      assert.equal(promoted.leaderId, b!.id);
      assert.equal((await a!.call('put', `/social/parties/${party.id}/leader`, { characterId: a!.id }).expect(403)).body.code, 'NOT_PARTY_LEADER');

      const before = fixture.deliveries.length;
      await b!.call('delete', `/social/parties/${party.id}`).expect(204);
      const ended = await nextNotification(fixture, a!.id, 'party.updated', before);
      assert.deepEqual([ended.reason, ended.party], ['disbanded', null]);
      assert.equal(await fixture.infra.prisma.party.count({ where: { id: party.id } }), 0);
    });

    it('passes the lead on when the leader leaves and ends the party with its last member', async () => {
      const [a, b] = await Promise.all([1, 2].map(() => createSocialPlayer(fixture)));
      const party = await partyOf(a!, b!);
      await a!.call('post', `/social/parties/${party.id}/leave`).expect(204);
      const after = partySchema.parse((await b!.call('get', '/social/parties/current').expect(200)).body);
      assert.equal(after.leaderId, b!.id);
      assert.equal((await a!.call('post', `/social/parties/${party.id}/leave`).expect(404)).body.code, 'PARTY_NOT_FOUND');
      await b!.call('post', `/social/parties/${party.id}/leave`).expect(204);
      assert.equal(await fixture.infra.prisma.party.count({ where: { id: party.id } }), 0);
    });

    it('keeps the party while members go offline and come back in other areas', async () => {
      const [a, b] = await Promise.all([1, 2].map(() => createSocialPlayer(fixture)));
      const party = await partyOf(a!, b!);
      await b!.goOnline('field');
      await fixture.infra.online.remove(b!.id, { roomId: 'room', sessionId: b!.id });
      await b!.goOnline('dungeon');
      const now = partySchema.parse((await a!.call('get', '/social/parties/current').expect(200)).body);
      assert.equal(now.id, party.id);
      assert.deepEqual(now.members.find((m) => m.id === b!.id)?.area, 'dungeon');
    });
  });
}
