import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GUILD_PERMISSIONS, guildInviteListSchema, guildInviteSchema, guildMemberSchema, guildRosterSchema, guildSchema, type Guild, type GuildInvite } from '@mmo/shared';
import request from 'supertest';
import { guildMemberIdsOf } from '../src/features/guilds/guild.service.js';
import { createSocialPlayer, nextNotification, startSocial, testStacks, type SocialFixture, type SocialPlayer } from './social.fixture.js';

/** Letters that spell no word, so generated guild names never trip the profanity filter. */
const SAFE_LETTERS = 'qxzjvkw';
let sequence = 0;
const safeLetters = () => (++sequence).toString(SAFE_LETTERS.length).replace(/\d/g, (d) => SAFE_LETTERS[Number(d)]!);
const guildName = () => `Order ${safeLetters()}`;
const guildTag = () => `Q${safeLetters()}`.slice(0, 5).toUpperCase();

for (const kind of testStacks()) {
  describe(`social API: guilds (${kind.name} stack)`, () => {
    let fixture: SocialFixture;
    let closeStack: () => Promise<void>;

    before(async () => {
      const stack = await kind.open();
      closeStack = () => stack.close();
      fixture = await startSocial(stack, { GUILD_MAX_MEMBERS: '4', INVITE_RATE_LIMIT: '6', PROFANITY_EXTRA_WORDS: 'zorblax,gronk' });
    });
    after(async () => {
      await fixture.stop();
      await closeStack();
    });

    const player = () => createSocialPlayer(fixture);
    const mark = () => fixture.deliveries.length;

    /** Asserts a refusal: its status and its code. */
    async function refused(req: request.Test, status: number, code: string): Promise<void> {
      assert.equal((await req.expect(status)).body.code, code);
    }

    async function found(founder?: SocialPlayer): Promise<{ leader: SocialPlayer; guild: Guild }> {
      const leader = founder ?? (await player());
      const guild = guildSchema.parse((await leader.call('post', '/social/guilds', { name: guildName(), tag: guildTag() }).expect(201)).body);
      return { leader, guild };
    }
    const invite = async (inviter: SocialPlayer, guildId: string, name: string): Promise<GuildInvite> =>
      guildInviteSchema.parse((await inviter.call('post', `/social/guilds/${guildId}/invites`, { name }).expect(201)).body);
    async function join(guild: Guild, inviter: SocialPlayer, invitee: SocialPlayer): Promise<Guild> {
      const sent = await invite(inviter, guild.id, invitee.name);
      return guildSchema.parse((await invitee.call('post', `/social/guilds/invites/${sent.id}/accept`).expect(200)).body);
    }
    const rosterOf = async (viewer: SocialPlayer, guildId: string) =>
      guildRosterSchema.parse((await viewer.call('get', `/social/guilds/${guildId}/roster`).expect(200)).body).members;

    /** The `guild.updated` notification expected for `reason`, about `subject`. */
    const updated = (guildId: string, reason: string, subject?: SocialPlayer) =>
      ({ type: 'guild.updated', guildId, reason, ...(subject ? { subject: { id: subject.id, name: subject.name } } : {}) });

    /** A rank as `PUT .../ranks` takes it back: kept, with its id. */
    const entryOf = (rank: Guild['ranks'][number]) => ({ id: rank.id, name: rank.name, permissions: rank.permissions });

    /** A guild with a leader, an officer and a member holding the default ranks. */
    async function staffedGuild() {
      const { leader, guild } = await found();
      const [officer, member] = [await player(), await player()];
      await join(guild, leader, officer);
      await join(guild, leader, member);
      const [leaderRank, officerRank, memberRank] = guild.ranks as [Guild['ranks'][number], Guild['ranks'][number], Guild['ranks'][number]];
      await leader.call('put', `/social/guilds/${guild.id}/members/${officer.id}/rank`, { rankId: officerRank.id }).expect(200);
      return { guild, leader, officer, member, leaderRank, officerRank, memberRank };
    }

    it('founds a guild with the default ranks, led by the founder, and shows it as the current guild', async () => {
      const leader = await player();
      const name = guildName();
      const guild = guildSchema.parse((await leader.call('post', '/social/guilds', { name, tag: 'ab1' }).expect(201)).body);
      assert.deepEqual([guild.name, guild.tag, guild.leaderId, guild.memberCount, guild.motd], [name, 'ab1', leader.id, 1, '']);
      assert.deepEqual(guild.ranks.map((r) => [r.name, r.position]), [['Leader', 0], ['Officer', 1], ['Member', 2]]);
      assert.deepEqual(guild.ranks.map((r) => r.permissions), [GUILD_PERMISSIONS, ['invite', 'kick', 'promote', 'edit_motd'], []]);
      assert.deepEqual(guildSchema.parse((await leader.call('get', '/social/guilds/current').expect(200)).body), guild);
      assert.deepEqual((await rosterOf(leader, guild.id)).map((m) => [m.id, m.rankId]), [[leader.id, guild.ranks[0]!.id]]);
      await refused((await player()).call('get', '/social/guilds/current'), 409, 'NOT_IN_GUILD');
    });

    it('refuses a taken name or tag in any letter case, a listed word, a founder already in a guild and doubled spaces', async () => {
      const { leader, guild } = await found();
      const other = await player();
      const create = (body: object) => other.call('post', '/social/guilds', body);
      await refused(create({ name: guild.name.toUpperCase(), tag: guildTag() }), 409, 'GUILD_NAME_TAKEN');
      await refused(create({ name: guildName(), tag: guild.tag.toLowerCase() }), 409, 'GUILD_TAG_TAKEN');
      await refused(create({ name: 'The Zorblax Club', tag: guildTag() }), 422, 'NAME_NOT_ALLOWED');
      await refused(create({ name: guildName(), tag: 'GRONK' }), 422, 'NAME_NOT_ALLOWED');
      await refused(create({ name: 'Iron  Wolves', tag: guildTag() }), 400, 'VALIDATION_FAILED');
      await refused(leader.call('post', '/social/guilds', { name: guildName(), tag: guildTag() }), 409, 'ALREADY_IN_GUILD');
      await create({ name: guildName(), tag: guildTag() }).expect(201);
    });

    it('lets exactly one of two parallel foundings of the same name succeed, the other getting GUILD_NAME_TAKEN', async () => {
      const [a, b] = await Promise.all([player(), player()]);
      const name = guildName();
      const results = await Promise.all([name, name.toLowerCase()].map((n, i) => [a, b][i]!.call('post', '/social/guilds', { name: n, tag: guildTag() })));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409]);
      assert.equal(results.find((r) => r.status === 409)!.body.code, 'GUILD_NAME_TAKEN');
      assert.equal(await fixture.infra.prisma.guild.count({ where: { nameKey: name.toLowerCase() } }), 1);
    });

    it('invites by name, notifies and lists the invite, and joins at the lowest rank on accept, notifying the members', async () => {
      const { leader, guild } = await found();
      const recruit = await player();
      let since = mark();
      const sent = await invite(leader, guild.id, recruit.name.toLowerCase());
      assert.deepEqual(sent.guild, { id: guild.id, name: guild.name, tag: guild.tag });
      assert.deepEqual([sent.from, sent.to], [{ id: leader.id, name: leader.name }, { id: recruit.id, name: recruit.name }]);
      assert.equal((await nextNotification(fixture, recruit.id, 'guild.invite', since)).invite.id, sent.id);
      assert.deepEqual(guildInviteListSchema.parse((await recruit.call('get', '/social/guilds/invites').expect(200)).body).invites, [sent]);
      since = mark();
      const joined = guildSchema.parse((await recruit.call('post', `/social/guilds/invites/${sent.id}/accept`).expect(200)).body);
      assert.deepEqual([joined.memberCount, joined.leaderId], [2, leader.id]);
      assert.deepEqual(await nextNotification(fixture, leader.id, 'guild.updated', since), updated(guild.id, 'joined', recruit));
      assert.deepEqual(await nextNotification(fixture, recruit.id, 'guild.updated', since), updated(guild.id, 'joined', recruit));
      assert.equal((await rosterOf(recruit, guild.id)).find((m) => m.id === recruit.id)!.rankId, guild.ranks[2]!.id);
      assert.deepEqual(guildInviteListSchema.parse((await recruit.call('get', '/social/guilds/invites').expect(200)).body).invites, []);
      assert.deepEqual((await guildMemberIdsOf(fixture.deps, recruit.id)).sort(), [leader.id, recruit.id].sort());
      assert.deepEqual(await guildMemberIdsOf(fixture.deps, (await player()).id), []);
    });

    it('refuses invites to oneself, to guild members, twice, between blocked characters, from ranks without invite and to unknown guilds', async () => {
      const { guild, leader, member } = await staffedGuild();
      const { leader: otherLeader } = await found();
      const [recruit, shy] = [await player(), await player()];
      const send = (from: SocialPlayer, name: string, guildId = guild.id) => from.call('post', `/social/guilds/${guildId}/invites`, { name });
      await refused(send(leader, leader.name), 422, 'CANNOT_TARGET_SELF');
      await refused(send(leader, otherLeader.name), 409, 'ALREADY_IN_GUILD');
      await refused(send(leader, 'Nobodyhere'), 404, 'CHARACTER_NOT_FOUND');
      await refused(send(member, recruit.name), 403, 'GUILD_PERMISSION_DENIED');
      await refused(send(otherLeader, recruit.name), 403, 'GUILD_PERMISSION_DENIED');
      await refused(send(leader, recruit.name, randomUUID()), 404, 'GUILD_NOT_FOUND');
      await send(leader, recruit.name).expect(201);
      await refused(send(leader, recruit.name), 409, 'ALREADY_INVITED');
      await shy.call('post', '/social/blocks', { name: leader.name }).expect(201);
      await refused(send(leader, shy.name), 403, 'BLOCKED');
    });

    it('never takes a guild past GUILD_MAX_MEMBERS when invites are accepted in parallel, then refuses GUILD_FULL and RATE_LIMITED', async () => {
      // GUILD_MAX_MEMBERS is 4 and INVITE_RATE_LIMIT 6 in this suite: the refused seventh invite is over both.
      const { guild, leader } = await found();
      const recruits = await Promise.all([1, 2, 3, 4, 5].map(() => player()));
      const invites: GuildInvite[] = [];
      for (const recruit of recruits) invites.push(await invite(leader, guild.id, recruit.name));
      const results = await Promise.all(recruits.map((recruit, i) => recruit.call('post', `/social/guilds/invites/${invites[i]!.id}/accept`)));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 409, 409]);
      assert.deepEqual(results.filter((r) => r.status === 409).map((r) => r.body.code), ['GUILD_FULL', 'GUILD_FULL']);
      assert.equal(await fixture.infra.prisma.guildMember.count({ where: { guildId: guild.id } }), 4);
      await refused(leader.call('post', `/social/guilds/${guild.id}/invites`, { name: (await player()).name }), 409, 'GUILD_FULL');
      await refused(leader.call('post', `/social/guilds/${guild.id}/invites`, { name: (await player()).name }), 429, 'RATE_LIMITED');
    });

    it('hides an expired invite, answers INVITE_EXPIRED on accepting it, replaces it on a new invite and declines once', async () => {
      const { guild, leader } = await found();
      const [recruit, stranger] = [await player(), await player()];
      const expire = (id: string) => fixture.infra.prisma.guildInvite.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const first = await invite(leader, guild.id, recruit.name);
      await expire(first.id);
      assert.deepEqual(guildInviteListSchema.parse((await recruit.call('get', '/social/guilds/invites').expect(200)).body).invites, []);
      const second = await invite(leader, guild.id, recruit.name);
      assert.notEqual(second.id, first.id);
      await expire(second.id);
      await refused(recruit.call('post', `/social/guilds/invites/${second.id}/accept`), 410, 'INVITE_EXPIRED');
      assert.equal(await fixture.infra.prisma.guildInvite.count({ where: { inviteeId: recruit.id } }), 0);
      const third = await invite(leader, guild.id, recruit.name);
      await refused(stranger.call('post', `/social/guilds/invites/${third.id}/accept`), 404, 'INVITE_NOT_FOUND');
      await refused(stranger.call('delete', `/social/guilds/invites/${third.id}`), 404, 'INVITE_NOT_FOUND');
      await recruit.call('delete', `/social/guilds/invites/${third.id}`).expect(204);
      await refused(recruit.call('delete', `/social/guilds/invites/${third.id}`), 404, 'INVITE_NOT_FOUND');
      await refused(recruit.call('post', `/social/guilds/invites/${third.id}/accept`), 404, 'INVITE_NOT_FOUND');
    });

    it('joins one guild when invites of two are accepted in parallel, refusing the other with ALREADY_IN_GUILD until the recruit left', async () => {
      const [a, b] = await Promise.all([found(), found()]);
      const recruit = await player();
      const invites = await Promise.all([a, b].map(({ leader, guild }) => invite(leader, guild.id, recruit.name)));
      const accept = (i: number) => recruit.call('post', `/social/guilds/invites/${invites[i]!.id}/accept`);
      const results = await Promise.all([accept(0), accept(1)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
      const [won, lost] = results[0]!.status === 200 ? [0, 1] : [1, 0];
      assert.equal(results[lost]!.body.code, 'ALREADY_IN_GUILD');
      assert.equal(await fixture.infra.prisma.guildMember.count({ where: { characterId: recruit.id } }), 1);
      await refused(accept(lost), 409, 'ALREADY_IN_GUILD');
      await recruit.call('post', `/social/guilds/${[a, b][won]!.guild.id}/leave`).expect(204);
      assert.equal(guildSchema.parse((await accept(lost).expect(200)).body).id, [a, b][lost]!.guild.id);
    });

    it('shows the roster to members only, by rank then name, with online status and area, and a blocker as offline', async () => {
      const { guild, leader, officer, member, leaderRank, officerRank, memberRank } = await staffedGuild();
      await officer.goOnline('field');
      await member.goOnline('town');
      assert.deepEqual((await rosterOf(member, guild.id)).map((m) => [m.id, m.rankId, m.online, m.area, m.class, m.level]), [
        [leader.id, leaderRank.id, false, null, 'warrior', 1],
        [officer.id, officerRank.id, true, 'field', 'warrior', 1],
        [member.id, memberRank.id, true, 'town', 'warrior', 1],
      ]);
      const early = await createSocialPlayer(fixture, { name: `Aaa${member.name}`.slice(0, 16) });
      await join(guild, leader, early);
      assert.deepEqual((await rosterOf(leader, guild.id)).slice(2).map((m) => m.id), [early.id, member.id]);
      await officer.call('post', '/social/blocks', { name: member.name }).expect(201);
      const hidden = (await rosterOf(member, guild.id)).find((m) => m.id === officer.id)!;
      assert.deepEqual([hidden.online, hidden.area], [false, null]);
      const outsider = await player();
      await refused(outsider.call('get', `/social/guilds/${guild.id}/roster`), 403, 'GUILD_PERMISSION_DENIED');
      await refused(outsider.call('get', `/social/guilds/${randomUUID()}/roster`), 404, 'GUILD_NOT_FOUND');
    });

    it('sets a masked motd with edit_motd and notifies the members, and refuses a rank without it', async () => {
      const { guild, officer, member } = await staffedGuild();
      const since = mark();
      const changed = guildSchema.parse((await officer.call('patch', `/social/guilds/${guild.id}`, { motd: '  Raid at nine, zorblax  ' }).expect(200)).body);
      assert.equal(changed.motd, 'Raid at nine, *******');
      assert.deepEqual(await nextNotification(fixture, member.id, 'guild.updated', since), updated(guild.id, 'motd'));
      await refused(member.call('patch', `/social/guilds/${guild.id}`, { motd: 'mine' }), 403, 'GUILD_PERMISSION_DENIED');
      await refused(member.call('patch', `/social/guilds/${randomUUID()}`, { motd: 'mine' }), 404, 'GUILD_NOT_FOUND');
      await refused(officer.call('patch', `/social/guilds/${guild.id}`, { motd: 'x'.repeat(201) }), 400, 'VALIDATION_FAILED');
    });

    it('lets an officer kick a member, telling the members and the kicked one, but not another officer or the leader', async () => {
      const { guild, leader, officer, member, officerRank } = await staffedGuild();
      const peer = await player();
      await join(guild, leader, peer);
      await leader.call('put', `/social/guilds/${guild.id}/members/${peer.id}/rank`, { rankId: officerRank.id }).expect(200);
      const kick = (by: SocialPlayer, id: string) => by.call('delete', `/social/guilds/${guild.id}/members/${id}`);
      await refused(kick(officer, peer.id), 403, 'RANK_NOT_BELOW_YOURS');
      await refused(kick(officer, leader.id), 403, 'RANK_NOT_BELOW_YOURS');
      await refused(kick(officer, officer.id), 422, 'CANNOT_TARGET_SELF');
      await refused(kick(member, peer.id), 403, 'GUILD_PERMISSION_DENIED');
      await refused(kick(officer, (await player()).id), 404, 'MEMBER_NOT_FOUND');
      const since = mark();
      await kick(officer, member.id).expect(204);
      assert.deepEqual(await nextNotification(fixture, member.id, 'guild.updated', since), updated(guild.id, 'kicked', member));
      assert.deepEqual(await nextNotification(fixture, leader.id, 'guild.updated', since), updated(guild.id, 'kicked', member));
      await refused(member.call('get', '/social/guilds/current'), 409, 'NOT_IN_GUILD');
      await refused(kick(officer, member.id), 404, 'MEMBER_NOT_FOUND');
    });

    it('lets an officer give ranks below their own only, and answers the member with the new rank', async () => {
      const { guild, leader, officer, member, leaderRank, officerRank, memberRank } = await staffedGuild();
      const { guild: otherGuild } = await found();
      const give = (by: SocialPlayer, id: string, rankId: string) => by.call('put', `/social/guilds/${guild.id}/members/${id}/rank`, { rankId });
      await refused(give(officer, member.id, officerRank.id), 403, 'RANK_NOT_BELOW_YOURS');
      await refused(give(officer, officer.id, memberRank.id), 403, 'RANK_NOT_BELOW_YOURS');
      await refused(give(officer, leader.id, memberRank.id), 403, 'RANK_NOT_BELOW_YOURS');
      await refused(give(leader, member.id, leaderRank.id), 403, 'RANK_NOT_BELOW_YOURS');
      await refused(give(leader, member.id, otherGuild.ranks[2]!.id), 404, 'RANK_NOT_FOUND');
      await refused(give(leader, (await player()).id, memberRank.id), 404, 'MEMBER_NOT_FOUND');
      await refused(give(member, member.id, memberRank.id), 403, 'GUILD_PERMISSION_DENIED');
      const ranks = [entryOf(leaderRank), entryOf(officerRank), { name: 'Veteran', permissions: [] }, entryOf(memberRank)];
      const beforeRanks = mark();
      const reshaped = guildSchema.parse((await leader.call('put', `/social/guilds/${guild.id}/ranks`, { ranks }).expect(200)).body);
      const veteran = reshaped.ranks.find((r) => r.name === 'Veteran')!;
      // The reshape's own notice arrives through the bus; taken first, it cannot pass for the promotion's.
      assert.deepEqual(await nextNotification(fixture, leader.id, 'guild.updated', beforeRanks), updated(guild.id, 'ranks'));
      const since = mark();
      const promoted = guildMemberSchema.parse((await give(officer, member.id, veteran.id).expect(200)).body);
      assert.deepEqual([promoted.id, promoted.name, promoted.rankId], [member.id, member.name, veteran.id]);
      assert.deepEqual(await nextNotification(fixture, leader.id, 'guild.updated', since), updated(guild.id, 'rank', member));
    });

    it('lets the leader rename, add, reorder and remove empty ranks, keeping the leader rank whole and members in their ranks', async () => {
      const { guild, leader, officer, member, leaderRank, officerRank, memberRank } = await staffedGuild();
      const setRanks = (ranks: object[]) => leader.call('put', `/social/guilds/${guild.id}/ranks`, { ranks });
      const since = mark();
      const reshaped = guildSchema.parse((await setRanks([
        { id: leaderRank.id, name: 'Warlord', permissions: [] },
        { id: memberRank.id, name: 'Recruit', permissions: ['invite', 'invite'] },
        { name: 'Captain', permissions: ['kick'] },
        { id: officerRank.id, name: 'Lieutenant', permissions: ['edit_motd'] },
      ]).expect(200)).body);
      assert.deepEqual(reshaped.ranks.map((r) => [r.name, r.position, r.permissions]), [
        ['Warlord', 0, GUILD_PERMISSIONS], ['Recruit', 1, ['invite']], ['Captain', 2, ['kick']], ['Lieutenant', 3, ['edit_motd']],
      ]);
      assert.equal(reshaped.ranks[0]!.id, leaderRank.id);
      assert.deepEqual(await nextNotification(fixture, member.id, 'guild.updated', since), updated(guild.id, 'ranks'));
      const roster = await rosterOf(leader, guild.id);
      assert.deepEqual(roster.map((m) => [m.id, m.rankId]), [[leader.id, leaderRank.id], [member.id, memberRank.id], [officer.id, officerRank.id]]);
      // The member's rank was given invite, and now ranks above the officer's.
      await invite(member, guild.id, (await player()).name);
      const keep = reshaped.ranks.map(entryOf);
      const trimmed = guildSchema.parse((await setRanks(keep.filter((r) => r.name !== 'Captain')).expect(200)).body);
      assert.deepEqual(trimmed.ranks.map((r) => [r.name, r.position]), [['Warlord', 0], ['Recruit', 1], ['Lieutenant', 2]]);
      await refused(setRanks(keep.slice(0, 2)), 409, 'RANK_IN_USE');
    });

    it('refuses rank lists from a non-leader, without the leader rank first, with foreign ids, doubled names or listed words', async () => {
      const { guild, leader, officer, leaderRank, officerRank, memberRank } = await staffedGuild();
      const { guild: otherGuild } = await found();
      const setRanks = (by: SocialPlayer, ranks: object[], guildId = guild.id) => by.call('put', `/social/guilds/${guildId}/ranks`, { ranks });
      const keep = (r: { id: string; name: string }) => ({ id: r.id, name: r.name, permissions: [] });
      const valid = [keep(leaderRank), keep(officerRank), keep(memberRank)];
      await refused(setRanks(officer, valid), 403, 'GUILD_PERMISSION_DENIED');
      const notFirst = await setRanks(leader, [keep(officerRank), keep(leaderRank), keep(memberRank)]).expect(400);
      assert.equal(notFirst.body.code, 'VALIDATION_FAILED');
      assert.match(notFirst.body.message, /first rank must be the leader's rank/);
      await refused(setRanks(leader, [...valid, { ...keep(otherGuild.ranks[1]!), name: 'Stranger' }]), 404, 'RANK_NOT_FOUND');
      await refused(setRanks(leader, [...valid, { name: 'officer', permissions: [] }]), 400, 'VALIDATION_FAILED');
      await refused(setRanks(leader, [...valid, keep(memberRank)]), 400, 'VALIDATION_FAILED');
      await refused(setRanks(leader, [...valid, { name: 'Zorblax', permissions: [] }]), 422, 'NAME_NOT_ALLOWED');
      await refused(setRanks(leader, [keep(leaderRank)]), 400, 'VALIDATION_FAILED');
      await refused(setRanks(leader, valid, randomUUID()), 404, 'GUILD_NOT_FOUND');
      assert.deepEqual(guildSchema.parse((await leader.call('get', '/social/guilds/current').expect(200)).body).ranks, guild.ranks);
    });

    it('hands the leadership over, the old leader taking the rank at position 1, and notifies the members', async () => {
      const { guild, leader, officer, member, officerRank } = await staffedGuild();
      const hand = (by: SocialPlayer, characterId: string) => by.call('put', `/social/guilds/${guild.id}/leader`, { characterId });
      await refused(hand(officer, member.id), 403, 'GUILD_PERMISSION_DENIED');
      await refused(hand(leader, leader.id), 422, 'CANNOT_TARGET_SELF');
      await refused(hand(leader, (await player()).id), 404, 'MEMBER_NOT_FOUND');
      const since = mark();
      assert.equal(guildSchema.parse((await hand(leader, member.id).expect(200)).body).leaderId, member.id);
      assert.deepEqual(await nextNotification(fixture, officer.id, 'guild.updated', since), updated(guild.id, 'leader', member));
      const roster = await rosterOf(member, guild.id);
      assert.deepEqual([roster[0]!.id, roster.find((m) => m.id === leader.id)!.rankId], [member.id, officerRank.id]);
      await refused(hand(leader, officer.id), 403, 'GUILD_PERMISSION_DENIED');
      // No longer the leader, the old one may leave.
      await leader.call('post', `/social/guilds/${guild.id}/leave`).expect(204);
    });

    it('lets members leave, notifying those remaining, refuses the leader with LEADER_CANNOT_LEAVE and disbands with the last member', async () => {
      const { guild, leader, officer, member } = await staffedGuild();
      const leave = (who: SocialPlayer, guildId = guild.id) => who.call('post', `/social/guilds/${guildId}/leave`);
      let since = mark();
      await leave(member).expect(204);
      assert.deepEqual(await nextNotification(fixture, leader.id, 'guild.updated', since), updated(guild.id, 'left', member));
      await refused(leave(member), 403, 'GUILD_PERMISSION_DENIED');
      await refused(leave(member, randomUUID()), 404, 'GUILD_NOT_FOUND');
      await refused(leave(leader), 409, 'LEADER_CANNOT_LEAVE');
      since = mark();
      await leave(officer).expect(204);
      // The officer's own notice arrives through the bus; taken first, it cannot pass for the disbanding's.
      assert.deepEqual(await nextNotification(fixture, leader.id, 'guild.updated', since), updated(guild.id, 'left', officer));
      since = mark();
      await leave(leader).expect(204);
      assert.deepEqual(await nextNotification(fixture, leader.id, 'guild.updated', since), updated(guild.id, 'disbanded'));
      assert.equal(await fixture.infra.prisma.guild.count({ where: { id: guild.id } }), 0);
      await refused(leader.call('get', '/social/guilds/current'), 409, 'NOT_IN_GUILD');
    });

    it('disbands with the disband permission, telling every former member, and frees the name', async () => {
      const { guild, leader, officer, member } = await staffedGuild();
      await invite(leader, guild.id, (await player()).name);
      await refused(officer.call('delete', `/social/guilds/${guild.id}`), 403, 'GUILD_PERMISSION_DENIED');
      const since = mark();
      await leader.call('delete', `/social/guilds/${guild.id}`).expect(204);
      for (const former of [leader, officer, member]) assert.deepEqual(await nextNotification(fixture, former.id, 'guild.updated', since), updated(guild.id, 'disbanded'));
      await refused(leader.call('delete', `/social/guilds/${guild.id}`), 404, 'GUILD_NOT_FOUND');
      assert.equal(await fixture.infra.prisma.guildRank.count({ where: { guildId: guild.id } }), 0);
      assert.equal(await fixture.infra.prisma.guildInvite.count({ where: { guildId: guild.id } }), 0);
      await officer.call('post', '/social/guilds', { name: guild.name, tag: guild.tag }).expect(201);
    });

    it('lets a moderator rename a guild, audited with the old and new values and the reason, and tells the members', async () => {
      const moderator = await createSocialPlayer(fixture, { moderator: true });
      const { guild, member } = await staffedGuild();
      const { guild: other } = await found();
      const rename = (body: object, guildId = guild.id) => moderator.call('patch', `/admin/social/guilds/${guildId}`, body);
      await refused(rename({ name: other.name.toLowerCase(), reason: 'abuse' }), 409, 'GUILD_NAME_TAKEN');
      await refused(rename({ tag: other.tag, reason: 'abuse' }), 409, 'GUILD_TAG_TAKEN');
      await refused(rename({ reason: 'abuse' }), 400, 'VALIDATION_FAILED');
      await refused(rename({ name: guildName() }), 400, 'VALIDATION_FAILED');
      await refused(rename({ name: guildName(), reason: 'abuse' }, randomUUID()), 404, 'GUILD_NOT_FOUND');
      const [since, name] = [mark(), guildName()];
      const renamed = guildSchema.parse((await rename({ name, tag: 'NEW1', reason: 'offensive name' }).expect(200)).body);
      assert.deepEqual([renamed.name, renamed.tag, renamed.memberCount], [name, 'NEW1', 3]);
      assert.deepEqual(await nextNotification(fixture, member.id, 'guild.updated', since), updated(guild.id, 'renamed'));
      const audit = await fixture.infra.prisma.auditEntry.findMany({ where: { targetType: 'guild', targetId: guild.id } });
      assert.deepEqual(audit.map((a) => [a.actorId, a.action, a.service, a.reason, a.details]), [
        [moderator.accountId, 'guild.rename', 'social', 'offensive name', { old: { name: guild.name, tag: guild.tag }, new: { name, tag: 'NEW1' } }],
      ]);
      await (await player()).call('post', '/social/guilds', { name: guild.name, tag: guild.tag }).expect(201);
    });

    it('lets a moderator disband a guild, audited with the reason, telling the former members; refuses players with FORBIDDEN', async () => {
      const [moderator, plain] = [await createSocialPlayer(fixture, { moderator: true }), await player()];
      const { guild, leader, member } = await staffedGuild();
      const disband = (body: object, by = moderator) => by.call('post', `/admin/social/guilds/${guild.id}/disband`, body);
      await refused(disband({ reason: 'x' }, plain), 403, 'FORBIDDEN');
      await refused(plain.call('patch', `/admin/social/guilds/${guild.id}`, { name: guildName(), reason: 'x' }), 403, 'FORBIDDEN');
      await refused(request(fixture.app).post(`/admin/social/guilds/${guild.id}/disband`).send({ reason: 'x' }), 401, 'UNAUTHENTICATED');
      await refused(disband({}), 400, 'VALIDATION_FAILED');
      const since = mark();
      await disband({ reason: 'hate speech' }).expect(204);
      assert.deepEqual(await nextNotification(fixture, member.id, 'guild.updated', since), updated(guild.id, 'disbanded'));
      await refused(leader.call('get', '/social/guilds/current'), 409, 'NOT_IN_GUILD');
      const audit = await fixture.infra.prisma.auditEntry.findMany({ where: { targetType: 'guild', targetId: guild.id } });
      assert.deepEqual(audit.map((a) => [a.actorId, a.action, a.reason]), [[moderator.accountId, 'guild.disband', 'hate speech']]);
      await refused(disband({ reason: 'again' }), 404, 'GUILD_NOT_FOUND');
    });
  });
}
