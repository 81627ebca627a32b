import { DomainError } from '@mmo/platform';
import { ErrorCode, GUILD_PERMISSIONS, normalizeName, type Guild, type GuildMember, type SetGuildRanksRequest } from '@mmo/shared';
import { memberCards, type Actor } from '../characters.js';
import {
  deleteGuildRows,
  lockGuild,
  memberIdsIn,
  notifyGuild,
  refuseProfane,
  requireBelow,
  requireLeader,
  requirePermission,
  targetMember,
  toGuild,
  withGuild,
  type GuildDeps,
} from './guild.service.js';

/** Refuses a rank list that names a rank twice, by id or by name, or holds a listed word. */
function refuseMalformedRanks(deps: Pick<GuildDeps, 'filter'>, ranks: SetGuildRanksRequest['ranks']): void {
  const ids = ranks.flatMap((rank) => (rank.id ? [rank.id] : []));
  if (new Set(ids).size !== ids.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'A rank id appears twice in the list.');
  const names = ranks.map((rank) => normalizeName(rank.name));
  if (new Set(names).size !== names.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Two ranks have the same name.');
  for (const rank of ranks) refuseProfane(deps, rank.name, 'rank name');
}

/**
 * Replaces the guild's ranks with `ranks`, highest first; leader only. A rank with an `id`
 * keeps its members and is renamed, given new permissions and moved; one without an id is
 * new; a rank left out is removed, which is refused while members hold it. The first entry
 * must be the leader's rank, which keeps every permission whatever is sent.
 */
export async function setGuildRanks(deps: GuildDeps, actor: Actor, guildId: string, ranks: SetGuildRanksRequest['ranks']): Promise<Guild> {
  refuseMalformedRanks(deps, ranks);
  const { guild, memberIds } = await withGuild(deps, actor.id, guildId, async (tx, me) => {
    requireLeader(me);
    if (ranks[0]!.id !== me.rankId) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `The first rank must be the leader's rank (id ${me.rankId}); hand over leadership to change who leads.`);
    }
    const current = await tx.guildRank.findMany({ where: { guildId }, select: { id: true, name: true } });
    const currentIds = new Set(current.map((rank) => rank.id));
    const unknown = ranks.find((rank) => rank.id !== undefined && !currentIds.has(rank.id));
    if (unknown) throw new DomainError(ErrorCode.RANK_NOT_FOUND, `Rank ${unknown.id} is not a rank of this guild.`);
    const kept = new Set(ranks.map((rank) => rank.id));
    const removed = current.filter((rank) => !kept.has(rank.id));
    const held = await tx.guildMember.findFirst({ where: { rankId: { in: removed.map((rank) => rank.id) } }, select: { rank: { select: { name: true } } } });
    if (held) throw new DomainError(ErrorCode.RANK_IN_USE, `Members still hold the rank ${held.rank.name}; give them another rank first.`);
    // Positions are unique per guild and checked row by row, so every rank first moves to a
    // free negative position (p becomes -p - 1, never a value another row holds) before the
    // new order is written.
    await tx.$executeRaw`UPDATE guild_ranks SET position = -1 - position WHERE guild_id = ${guildId}::uuid`;
    await tx.guildRank.deleteMany({ where: { id: { in: removed.map((rank) => rank.id) } } });
    for (const [position, rank] of ranks.entries()) {
      const permissions = position === 0 ? [...GUILD_PERMISSIONS] : [...new Set(rank.permissions)];
      if (rank.id) await tx.guildRank.update({ where: { id: rank.id }, data: { name: rank.name, permissions, position } });
      else await tx.guildRank.create({ data: { guildId, name: rank.name, permissions, position } });
    }
    return { guild: await toGuild(tx, guildId), memberIds: await memberIdsIn(tx, guildId) };
  });
  await notifyGuild(deps, memberIds, guildId, 'ranks');
  return guild;
}

/**
 * Gives a member another rank; needs `promote`. Both the member's current rank and the new
 * one must rank strictly below the actor's, so nobody raises anyone to their own level, and
 * the leader's rank changes hands only through `transferGuildLeadership`.
 */
export async function setGuildMemberRank(deps: GuildDeps, actor: Actor, guildId: string, characterId: string, rankId: string): Promise<GuildMember> {
  const { member, memberIds } = await withGuild(deps, actor.id, guildId, async (tx, me) => {
    requirePermission(me, 'promote');
    const target = await targetMember(tx, guildId, characterId);
    const rank = await tx.guildRank.findFirst({ where: { id: rankId, guildId }, select: { position: true } });
    if (!rank) throw new DomainError(ErrorCode.RANK_NOT_FOUND, 'That rank is not a rank of this guild.');
    requireBelow(me, target.position, `${target.character.name}'s current rank`);
    requireBelow(me, rank.position, 'The new rank');
    const row = await tx.guildMember.update({
      where: { characterId },
      data: { rankId },
      include: { character: { select: { id: true, name: true, class: true, level: true } } },
    });
    return { member: row, memberIds: await memberIdsIn(tx, guildId) };
  });
  await notifyGuild(deps, memberIds, guildId, 'rank', { id: member.character.id, name: member.character.name });
  const [card] = await memberCards(deps, actor.id, [member.character]);
  return { ...card!, rankId: member.rankId, joinedAt: member.joinedAt.toISOString() };
}

/**
 * Hands the leader's rank to another member; leader only. The old leader takes the rank at
 * position 1 (the highest below the leader's, "Officer" by default), whatever rank the new
 * leader held before, so that a handover never drops the old leader to the bottom.
 */
export async function transferGuildLeadership(deps: GuildDeps, actor: Actor, guildId: string, characterId: string): Promise<Guild> {
  if (characterId === actor.id) throw new DomainError(ErrorCode.CANNOT_TARGET_SELF, 'You already lead this guild.');
  const { guild, memberIds, leader } = await withGuild(deps, actor.id, guildId, async (tx, me) => {
    requireLeader(me);
    const target = await targetMember(tx, guildId, characterId);
    const second = await tx.guildRank.findUniqueOrThrow({ where: { guildId_position: { guildId, position: 1 } }, select: { id: true } });
    await tx.guildMember.update({ where: { characterId: actor.id }, data: { rankId: second.id } });
    await tx.guildMember.update({ where: { characterId }, data: { rankId: me.rankId } });
    return { guild: await toGuild(tx, guildId), memberIds: await memberIdsIn(tx, guildId), leader: target.character };
  });
  await notifyGuild(deps, memberIds, guildId, 'leader', leader);
  return guild;
}

/**
 * Guilds whose leader's rank nobody holds any more: a character deletion removed the leader
 * (or every member) without going through the guild. The highest ranked, longest standing
 * member takes the leader's rank; a guild with nobody left ends. Run on `character.deleted`
 * and when the social API starts, in case an event was missed. Returns how many it repaired.
 */
export async function repairLeaderlessGuilds(deps: Pick<GuildDeps, 'prisma' | 'bus' | 'logger'>): Promise<number> {
  const orphans = await deps.prisma.$queryRaw<{ id: string }[]>`
    SELECT g.id::text AS id FROM guilds g
    WHERE NOT EXISTS (
      SELECT 1 FROM guild_members m JOIN guild_ranks r ON r.id = m.rank_id
      WHERE m.guild_id = g.id AND r.position = 0)`;
  for (const { id: guildId } of orphans) {
    const outcome = await deps.prisma.$transaction(async (tx) => {
      await lockGuild(tx, guildId);
      const members = await tx.guildMember.findMany({
        where: { guildId },
        orderBy: [{ rank: { position: 'asc' } }, { joinedAt: 'asc' }],
        include: { rank: true, character: { select: { id: true, name: true } } },
      });
      if (members[0]?.rank.position === 0) return null;
      if (!members[0]) {
        if (await tx.guild.findUnique({ where: { id: guildId }, select: { id: true } })) await deleteGuildRows(tx, guildId);
        return null;
      }
      const leaderRank = await tx.guildRank.findFirstOrThrow({ where: { guildId, position: 0 } });
      await tx.guildMember.update({ where: { characterId: members[0].characterId }, data: { rankId: leaderRank.id } });
      return { leader: members[0].character, memberIds: members.map((m) => m.characterId) };
    });
    if (outcome) await notifyGuild(deps, outcome.memberIds, guildId, 'leader', outcome.leader);
  }
  return orphans.length;
}
