import { DomainError, isUniqueViolation, lockKey, type AuditTrail, type Prisma, type PrismaClient } from '@mmo/platform';
import {
  DEFAULT_GUILD_RANKS,
  ErrorCode,
  GUILD_PERMISSIONS,
  normalizeName,
  type CharacterRef,
  type CreateGuildRequest,
  type Guild,
  type GuildPermission,
  type GuildRoster,
  type ModerateGuildRequest,
  type Notification,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { memberCards, type Actor } from '../characters.js';
import { notify } from '../deliver.js';

/** What the guild services use. */
export type GuildDeps = Pick<SocialDeps, 'prisma' | 'bus' | 'logger' | 'online' | 'filter' | 'settings' | 'limits' | 'clock'>;

type Db = PrismaClient | Prisma.TransactionClient;

/** A member's place in a guild: their rank and what it allows. */
export interface Membership {
  characterId: string;
  guildId: string;
  rankId: string;
  rankName: string;
  /** 0 is the leader's rank; a higher number ranks lower. */
  position: number;
  permissions: readonly string[];
}

/** Who disbands a guild: a member whose rank allows it, or a moderator with a reason. */
export type GuildAuthority = { kind: 'member'; actor: Actor } | { kind: 'moderator'; audit: AuditTrail };

type GuildUpdateReason = Extract<Notification, { type: 'guild.updated' }>['reason'];

/**
 * Takes the guild's transaction-scoped lock. Every change to a guild's members, ranks or
 * invites takes it first, so a check (the member limit, a rank order) still holds when the
 * write that relies on it commits.
 */
export async function lockGuild(tx: Prisma.TransactionClient, guildId: string): Promise<void> {
  await lockKey(tx, `guild:${guildId}`);
}

/**
 * The actor's membership of `guildId`. A guild that does not exist is `GUILD_NOT_FOUND`; one
 * that exists but that the actor is not in is `GUILD_PERMISSION_DENIED`, for every route.
 */
export async function membershipIn(db: Db, characterId: string, guildId: string): Promise<Membership> {
  const row = await db.guildMember.findUnique({ where: { characterId }, include: { rank: true } });
  if (row?.guildId === guildId) {
    return { characterId, guildId, rankId: row.rankId, rankName: row.rank.name, position: row.rank.position, permissions: row.rank.permissions };
  }
  if ((await db.guild.count({ where: { id: guildId } })) === 0) throw new DomainError(ErrorCode.GUILD_NOT_FOUND);
  throw new DomainError(ErrorCode.GUILD_PERMISSION_DENIED, 'Only members of this guild may do this.');
}

/** Another member of the guild, with their rank; `MEMBER_NOT_FOUND` if they are not in it. */
export async function targetMember(db: Db, guildId: string, characterId: string): Promise<Membership & { character: CharacterRef }> {
  const row = await db.guildMember.findUnique({
    where: { characterId },
    include: { rank: true, character: { select: { id: true, name: true } } },
  });
  if (row?.guildId !== guildId) throw new DomainError(ErrorCode.MEMBER_NOT_FOUND, 'That character is not a member of this guild.');
  return {
    characterId,
    guildId,
    rankId: row.rankId,
    rankName: row.rank.name,
    position: row.rank.position,
    permissions: row.rank.permissions,
    character: row.character,
  };
}

/** Refuses unless the member's rank allows `permission`; the leader's rank allows everything. */
export function requirePermission(member: Membership, permission: GuildPermission): void {
  if (member.position === 0 || member.permissions.includes(permission)) return;
  throw new DomainError(ErrorCode.GUILD_PERMISSION_DENIED, `Your rank ${member.rankName} does not allow ${permission}.`);
}

export function requireLeader(member: Membership): void {
  if (member.position !== 0) throw new DomainError(ErrorCode.GUILD_PERMISSION_DENIED, 'Only the guild leader may do this.');
}

/** Refuses a target whose rank is not strictly below the actor's. */
export function requireBelow(actor: Membership, position: number, what: string): void {
  if (position <= actor.position) throw new DomainError(ErrorCode.RANK_NOT_BELOW_YOURS, `${what} must rank below your own rank.`);
}

/**
 * Runs `work` in a transaction holding the guild's lock, with the actor's membership read
 * under it. Nothing is written unless all of `work` succeeds.
 */
export function withGuild<T>(deps: Pick<GuildDeps, 'prisma'>, actorId: string, guildId: string, work: (tx: Prisma.TransactionClient, me: Membership) => Promise<T>): Promise<T> {
  return deps.prisma.$transaction(async (tx) => {
    await lockGuild(tx, guildId);
    return work(tx, await membershipIn(tx, actorId, guildId));
  });
}

/** The character ids of a guild's members. */
export async function memberIdsIn(db: Db, guildId: string): Promise<string[]> {
  const rows = await db.guildMember.findMany({ where: { guildId }, select: { characterId: true } });
  return rows.map((row) => row.characterId);
}

/** A guild as answers show it. `leaderId` is the member of the highest rank (position 0). */
export async function toGuild(db: Db, guildId: string): Promise<Guild> {
  const row = await db.guild.findUnique({
    where: { id: guildId },
    include: {
      ranks: { orderBy: { position: 'asc' } },
      members: { orderBy: [{ rank: { position: 'asc' } }, { joinedAt: 'asc' }], take: 1, select: { characterId: true } },
      _count: { select: { members: true } },
    },
  });
  if (!row) throw new DomainError(ErrorCode.GUILD_NOT_FOUND);
  return {
    id: row.id,
    name: row.name,
    tag: row.tag,
    motd: row.motd,
    leaderId: row.members[0]?.characterId ?? '',
    memberCount: row._count.members,
    ranks: row.ranks.map((rank) => ({
      id: rank.id,
      name: rank.name,
      position: rank.position,
      permissions: rank.position === 0 ? [...GUILD_PERMISSIONS] : GUILD_PERMISSIONS.filter((p) => rank.permissions.includes(p)),
    })),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Sends `guild.updated` to `characterIds`; call it after the change committed. */
export function notifyGuild(deps: Pick<GuildDeps, 'bus' | 'logger'>, characterIds: readonly string[], guildId: string, reason: GuildUpdateReason, subject?: CharacterRef): Promise<void> {
  return notify(deps, characterIds, { type: 'guild.updated', guildId, reason, ...(subject ? { subject } : {}) });
}

/** Refuses a name players chose that contains a listed word. */
export function refuseProfane(deps: Pick<GuildDeps, 'filter'>, text: string, what: string): void {
  if (deps.filter.isProfane(text)) throw new DomainError(ErrorCode.NAME_NOT_ALLOWED, `That ${what} is not allowed.`);
}

/** Which of a guild's unique keys another guild holds, as the error to answer with. */
async function takenError(db: Db, keys: { nameKey: string; tagKey: string }, exceptGuildId?: string): Promise<DomainError | undefined> {
  const other = exceptGuildId ? { id: { not: exceptGuildId } } : {};
  if (await db.guild.findFirst({ where: { nameKey: keys.nameKey, ...other }, select: { id: true } })) return new DomainError(ErrorCode.GUILD_NAME_TAKEN);
  if (await db.guild.findFirst({ where: { tagKey: keys.tagKey, ...other }, select: { id: true } })) return new DomainError(ErrorCode.GUILD_TAG_TAKEN);
  return undefined;
}

/**
 * Founds a guild with the default ranks, the actor holding the leader's. Names and tags are
 * unique in any letter case; when two players found the same name at once, the unique keys
 * let one win and the other is answered as if it had come second.
 */
export async function createGuild(deps: GuildDeps, actor: Actor, input: CreateGuildRequest): Promise<Guild> {
  refuseProfane(deps, input.name, 'guild name');
  refuseProfane(deps, input.tag, 'guild tag');
  const keys = { nameKey: normalizeName(input.name), tagKey: normalizeName(input.tag) };
  try {
    return await deps.prisma.$transaction(async (tx) => {
      if (await tx.guildMember.findUnique({ where: { characterId: actor.id }, select: { guildId: true } })) {
        throw new DomainError(ErrorCode.ALREADY_IN_GUILD, 'You are already in a guild.');
      }
      const taken = await takenError(tx, keys);
      if (taken) throw taken;
      const guild = await tx.guild.create({
        data: {
          name: input.name,
          tag: input.tag,
          ...keys,
          ranks: { create: DEFAULT_GUILD_RANKS.map((rank, position) => ({ name: rank.name, position, permissions: [...rank.permissions] })) },
        },
        include: { ranks: { where: { position: 0 }, select: { id: true } } },
      });
      await tx.guildMember.create({ data: { characterId: actor.id, guildId: guild.id, rankId: guild.ranks[0]!.id } });
      return toGuild(tx, guild.id);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The transaction rolled back; what the winner committed tells which key collided.
    const taken = await takenError(deps.prisma, keys);
    if (taken) throw taken;
    throw new DomainError(ErrorCode.ALREADY_IN_GUILD, 'You are already in a guild.', { cause: error });
  }
}

/** The actor's guild; `NOT_IN_GUILD` if they are in none. */
export async function getCurrentGuild(deps: Pick<GuildDeps, 'prisma'>, actor: Actor): Promise<Guild> {
  const row = await deps.prisma.guildMember.findUnique({ where: { characterId: actor.id }, select: { guildId: true } });
  if (!row) throw new DomainError(ErrorCode.NOT_IN_GUILD);
  return toGuild(deps.prisma, row.guildId);
}

/**
 * The members, highest rank first and by name within a rank, with online status as the actor
 * may see it (a member who blocked the actor shows offline). Members only.
 */
export async function getGuildRoster(deps: GuildDeps, actor: Actor, guildId: string): Promise<GuildRoster> {
  await membershipIn(deps.prisma, actor.id, guildId);
  const rows = await deps.prisma.guildMember.findMany({
    where: { guildId },
    include: { character: { select: { id: true, name: true, class: true, level: true } } },
    orderBy: [{ rank: { position: 'asc' } }, { character: { nameKey: 'asc' } }],
  });
  const cards = await memberCards(deps, actor.id, rows.map((row) => row.character));
  return { members: cards.map((card, i) => ({ ...card, rankId: rows[i]!.rankId, joinedAt: rows[i]!.joinedAt.toISOString() })) };
}

/** Sets the message of the day, masking listed words; needs `edit_motd`. */
export async function updateGuildMotd(deps: GuildDeps, actor: Actor, guildId: string, motd: string): Promise<Guild> {
  const { guild, memberIds } = await withGuild(deps, actor.id, guildId, async (tx, me) => {
    requirePermission(me, 'edit_motd');
    await tx.guild.update({ where: { id: guildId }, data: { motd: deps.filter.clean(motd) } });
    return { guild: await toGuild(tx, guildId), memberIds: await memberIdsIn(tx, guildId) };
  });
  await notifyGuild(deps, memberIds, guildId, 'motd');
  return guild;
}

/** Removes a guild and everything in it; members first, as their rank reference restricts. */
/** Removes a guild and its members (ranks and invites go with it). */
export async function deleteGuildRows(tx: Prisma.TransactionClient, guildId: string): Promise<void> {
  await tx.guildMember.deleteMany({ where: { guildId } });
  await tx.guild.delete({ where: { id: guildId } });
}

/**
 * Leaves the guild. The leader must hand over leadership first, unless they are the last
 * member: then the guild is disbanded.
 */
export async function leaveGuild(deps: GuildDeps, actor: Actor, guildId: string): Promise<void> {
  const remaining = await withGuild(deps, actor.id, guildId, async (tx, me) => {
    const count = await tx.guildMember.count({ where: { guildId } });
    if (count === 1) {
      await deleteGuildRows(tx, guildId);
      return undefined;
    }
    if (me.position === 0) throw new DomainError(ErrorCode.LEADER_CANNOT_LEAVE, 'Hand the leadership to another member first, or disband the guild.');
    await tx.guildMember.delete({ where: { characterId: actor.id } });
    return memberIdsIn(tx, guildId);
  });
  const self = { id: actor.id, name: actor.name };
  if (remaining) await notifyGuild(deps, remaining, guildId, 'left', self);
  else await notifyGuild(deps, [actor.id], guildId, 'disbanded');
}

/** Removes a member of a lower rank; needs `kick`. The kicked one is told too. */
export async function kickGuildMember(deps: GuildDeps, actor: Actor, guildId: string, characterId: string): Promise<void> {
  if (characterId === actor.id) throw new DomainError(ErrorCode.CANNOT_TARGET_SELF, 'Leave the guild rather than kick yourself.');
  const { kicked, memberIds } = await withGuild(deps, actor.id, guildId, async (tx, me) => {
    requirePermission(me, 'kick');
    const target = await targetMember(tx, guildId, characterId);
    requireBelow(me, target.position, `${target.character.name}'s rank`);
    await tx.guildMember.delete({ where: { characterId } });
    return { kicked: target.character, memberIds: await memberIdsIn(tx, guildId) };
  });
  await notifyGuild(deps, [...memberIds, kicked.id], guildId, 'kicked', kicked);
}

/**
 * Disbands a guild: by a member whose rank allows `disband`, or by a moderator, whose action
 * and reason are audited in the same transaction. Every former member is told.
 */
export async function disbandGuild(deps: GuildDeps, guildId: string, by: GuildAuthority): Promise<void> {
  const formerIds = await deps.prisma.$transaction(async (tx) => {
    await lockGuild(tx, guildId);
    if (by.kind === 'member') requirePermission(await membershipIn(tx, by.actor.id, guildId), 'disband');
    const guild = await tx.guild.findUnique({ where: { id: guildId }, select: { name: true, tag: true } });
    if (!guild) throw new DomainError(ErrorCode.GUILD_NOT_FOUND);
    const ids = await memberIdsIn(tx, guildId);
    await deleteGuildRows(tx, guildId);
    if (by.kind === 'moderator') {
      await by.audit.record(tx, { details: { name: guild.name, tag: guild.tag, memberIds: ids } });
    }
    return ids;
  });
  await notifyGuild(deps, formerIds, guildId, 'disbanded');
}

/**
 * A moderator renames an abusive guild (name, tag or both). Uniqueness holds as for players;
 * the old and new values and the reason are audited in the same transaction.
 */
export async function renameGuild(deps: GuildDeps, audit: AuditTrail, guildId: string, change: ModerateGuildRequest): Promise<Guild> {
  let keys = { nameKey: '', tagKey: '' };
  try {
    const { guild, memberIds } = await deps.prisma.$transaction(async (tx) => {
      await lockGuild(tx, guildId);
      const old = await tx.guild.findUnique({ where: { id: guildId }, select: { name: true, tag: true } });
      if (!old) throw new DomainError(ErrorCode.GUILD_NOT_FOUND);
      const next = { name: change.name ?? old.name, tag: change.tag ?? old.tag };
      keys = { nameKey: normalizeName(next.name), tagKey: normalizeName(next.tag) };
      const taken = await takenError(tx, keys, guildId);
      if (taken) throw taken;
      await tx.guild.update({ where: { id: guildId }, data: { ...next, ...keys } });
      await audit.record(tx, { details: { old, new: next } });
      return { guild: await toGuild(tx, guildId), memberIds: await memberIdsIn(tx, guildId) };
    });
    await notifyGuild(deps, memberIds, guildId, 'renamed');
    return guild;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw (await takenError(deps.prisma, keys, guildId)) ?? error;
  }
}

/**
 * Every member of the guild `characterId` is in, including them; `[]` when they are in none.
 * The guild chat relay sends to these.
 */
export async function guildMemberIdsOf(deps: Pick<SocialDeps, 'prisma'>, characterId: string): Promise<string[]> {
  const row = await deps.prisma.guildMember.findUnique({ where: { characterId }, select: { guildId: true } });
  return row ? memberIdsIn(deps.prisma, row.guildId) : [];
}
