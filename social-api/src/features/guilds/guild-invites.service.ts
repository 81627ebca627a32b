import { DomainError, isUniqueViolation, type Prisma } from '@mmo/platform';
import { ErrorCode, type Guild, type GuildInvite, type GuildInviteList } from '@mmo/shared';
import { characterRefSelect, findCharacterByName, refuseSelf, type Actor } from '../characters.js';
import { notify } from '../deliver.js';
import { refuseIfBlocked } from '../relations/relation.checks.js';
import { lockGuild, memberIdsIn, membershipIn, notifyGuild, requirePermission, toGuild, withGuild, type GuildDeps } from './guild.service.js';

const inviteInclude = { guild: { select: { id: true, name: true, tag: true } }, inviter: characterRefSelect, invitee: characterRefSelect } as const;

function toInvite(row: Prisma.GuildInviteGetPayload<{ include: typeof inviteInclude }>): GuildInvite {
  return { id: row.id, guild: row.guild, from: row.inviter, to: row.invitee, expiresAt: row.expiresAt.toISOString() };
}

function refuseFull(deps: Pick<GuildDeps, 'settings'>, memberCount: number): void {
  if (memberCount >= deps.settings.GUILD_MAX_MEMBERS) throw new DomainError(ErrorCode.GUILD_FULL, `A guild holds at most ${deps.settings.GUILD_MAX_MEMBERS} members.`);
}

/**
 * Invites a character, by name, to the guild; needs `invite`. Refused between characters
 * where either blocked the other, for a character already in a guild, while an earlier invite
 * to them waits (an expired one is replaced) and while the guild is full.
 */
export async function inviteToGuild(deps: GuildDeps, actor: Actor, guildId: string, name: string): Promise<GuildInvite> {
  // Checked once here, before the rate limit counts the attempt, and again under the lock.
  requirePermission(await membershipIn(deps.prisma, actor.id, guildId), 'invite');
  const target = await findCharacterByName(deps.prisma, name);
  refuseSelf(actor, target);
  await refuseIfBlocked(deps.prisma, actor.id, target);
  await deps.limits.invites.consume(actor.id);
  const now = new Date(deps.clock());
  let invite: GuildInvite;
  try {
    invite = await withGuild(deps, actor.id, guildId, async (tx, me) => {
      requirePermission(me, 'invite');
      if (await tx.guildMember.findUnique({ where: { characterId: target.id }, select: { guildId: true } })) {
        throw new DomainError(ErrorCode.ALREADY_IN_GUILD, `${target.name} is already in a guild.`);
      }
      refuseFull(deps, await tx.guildMember.count({ where: { guildId } }));
      const existing = await tx.guildInvite.findUnique({ where: { guildId_inviteeId: { guildId, inviteeId: target.id } }, select: { id: true, expiresAt: true } });
      if (existing && existing.expiresAt > now) throw new DomainError(ErrorCode.ALREADY_INVITED);
      if (existing) await tx.guildInvite.delete({ where: { id: existing.id } });
      const row = await tx.guildInvite.create({
        data: { guildId, inviterId: actor.id, inviteeId: target.id, expiresAt: new Date(now.getTime() + deps.settings.INVITE_TTL_SECONDS * 1000) },
        include: inviteInclude,
      });
      return toInvite(row);
    });
  } catch (error) {
    // The guild lock serialises invites of one guild, so this is a safety net only.
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.ALREADY_INVITED, undefined, { cause: error });
    throw error;
  }
  await notify(deps, [target.id], { type: 'guild.invite', invite });
  return invite;
}

/** The invites the actor received that have not expired, oldest first. */
export async function listGuildInvites(deps: Pick<GuildDeps, 'prisma' | 'clock'>, actor: Actor): Promise<GuildInviteList> {
  const rows = await deps.prisma.guildInvite.findMany({
    where: { inviteeId: actor.id, expiresAt: { gt: new Date(deps.clock()) } },
    include: inviteInclude,
    orderBy: { createdAt: 'asc' },
  });
  return { invites: rows.map(toInvite) };
}

/**
 * Joins the guild of an invite the actor received, at its lowest rank. The member limit is
 * checked under the guild's lock, so parallel accepts never take a guild past it. Invites
 * from other guilds stay until they expire: accepting one answers `ALREADY_IN_GUILD` until
 * the actor leaves.
 */
export async function acceptGuildInvite(deps: GuildDeps, actor: Actor, inviteId: string): Promise<Guild> {
  const found = await deps.prisma.guildInvite.findFirst({
    where: { id: inviteId, inviteeId: actor.id },
    select: { guildId: true, expiresAt: true, inviter: { select: { id: true, name: true } } },
  });
  if (!found) throw new DomainError(ErrorCode.INVITE_NOT_FOUND);
  // A block between the two that landed just as the invite was sent did not withdraw it.
  await refuseIfBlocked(deps.prisma, actor.id, found.inviter);
  if (found.expiresAt <= new Date(deps.clock())) {
    await deps.prisma.guildInvite.deleteMany({ where: { id: inviteId } });
    throw new DomainError(ErrorCode.INVITE_EXPIRED);
  }
  const { guildId } = found;
  let result: { guild: Guild; memberIds: string[] };
  try {
    result = await deps.prisma.$transaction(async (tx) => {
      await lockGuild(tx, guildId);
      // The guild may have been disbanded, or the invite declined, since it was read.
      if ((await tx.guildInvite.count({ where: { id: inviteId } })) === 0) throw new DomainError(ErrorCode.INVITE_NOT_FOUND);
      if (await tx.guildMember.findUnique({ where: { characterId: actor.id }, select: { guildId: true } })) {
        throw new DomainError(ErrorCode.ALREADY_IN_GUILD, 'You are already in a guild; leave it first.');
      }
      refuseFull(deps, await tx.guildMember.count({ where: { guildId } }));
      const lowest = await tx.guildRank.findFirstOrThrow({ where: { guildId }, orderBy: { position: 'desc' }, select: { id: true } });
      await tx.guildMember.create({ data: { characterId: actor.id, guildId, rankId: lowest.id } });
      await tx.guildInvite.delete({ where: { id: inviteId } });
      return { guild: await toGuild(tx, guildId), memberIds: await memberIdsIn(tx, guildId) };
    });
  } catch (error) {
    // Joining another guild at the same moment holds that guild's lock, not this one's; the
    // one-membership-per-character key decides.
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.ALREADY_IN_GUILD, 'You are already in a guild; leave it first.', { cause: error });
    throw error;
  }
  await notifyGuild(deps, result.memberIds, guildId, 'joined', { id: actor.id, name: actor.name });
  return result.guild;
}

/** Declines (deletes) an invite the actor received. */
export async function declineGuildInvite(deps: Pick<GuildDeps, 'prisma'>, actor: Actor, inviteId: string): Promise<void> {
  const { count } = await deps.prisma.guildInvite.deleteMany({ where: { id: inviteId, inviteeId: actor.id } });
  if (count === 0) throw new DomainError(ErrorCode.INVITE_NOT_FOUND);
}
