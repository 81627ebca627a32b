import { DomainError, isUniqueViolation, lockKey, type Prisma } from '@mmo/platform';
import { ErrorCode, type CharacterRef, type Notification, type Party, type PartyInvite, type PartyInviteList } from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { characterRefSelect, findCharacterByName, memberCardsForViewers, refuseSelf, type Actor } from '../characters.js';
import { notify } from '../deliver.js';
import { refuseIfBlocked } from '../relations/relation.checks.js';

type PartyDeps = Pick<SocialDeps, 'prisma' | 'online' | 'bus' | 'logger' | 'settings' | 'limits' | 'clock'>;
type PartyReason = Extract<Notification, { type: 'party.updated' }>['reason'];

const memberSelect = { character: { select: { id: true, name: true, class: true, level: true } } } as const;

/** Serialises every change of one party: membership counts and leadership are checked under it. */
async function lockParty(tx: Prisma.TransactionClient, partyId: string): Promise<void> {
  await lockKey(tx, `party:${partyId}`);
}

/** The party as `viewerId` sees it, for an answer: one disbanded meanwhile is `PARTY_NOT_FOUND`. */
async function requirePartyView(deps: PartyDeps, partyId: string, viewerId: string): Promise<Party> {
  const party = await partyView(deps, partyId, viewerId);
  if (!party) throw new DomainError(ErrorCode.PARTY_NOT_FOUND, 'The party ended meanwhile.');
  return party;
}

/**
 * The party as each of `viewerIds` sees it (a member who blocked a viewer shows offline to
 * them), read once for all of them; null once the party is gone.
 */
async function partyViews(deps: PartyDeps, partyId: string, viewerIds: readonly string[]): Promise<((viewerId: string) => Party) | null> {
  const party = await deps.prisma.party.findUnique({
    where: { id: partyId },
    include: { members: { include: memberSelect, orderBy: { joinedAt: 'asc' } } },
  });
  if (!party) return null;
  const cardsFor = await memberCardsForViewers(deps, viewerIds, party.members.map((m) => m.character));
  return (viewerId) => ({
    id: party.id,
    leaderId: party.leaderId,
    maxMembers: deps.settings.PARTY_MAX_MEMBERS,
    members: cardsFor(viewerId).map((card, i) => ({ ...card, joinedAt: party.members[i]!.joinedAt.toISOString() })),
    createdAt: party.createdAt.toISOString(),
  });
}

/** The party as `viewerId` sees it. */
async function partyView(deps: PartyDeps, partyId: string, viewerId: string): Promise<Party | null> {
  return (await partyViews(deps, partyId, [viewerId]))?.(viewerId) ?? null;
}

/**
 * Tells every current member (and those who just left it, with `party: null`) what changed.
 * Each member gets the party as they may see it; the party is read once for all of them.
 */
async function announce(deps: PartyDeps, partyId: string, reason: PartyReason, subject?: CharacterRef, formerMembers: readonly string[] = []): Promise<void> {
  const members = await deps.prisma.partyMember.findMany({ where: { partyId }, select: { characterId: true } });
  const ids = members.map((m) => m.characterId);
  const viewOf = ids.length > 0 ? await partyViews(deps, partyId, ids) : null;
  const extra = subject ? { subject } : {};
  await Promise.all([
    ...ids.map((id) => notify(deps, [id], { type: 'party.updated', party: viewOf?.(id) ?? null, reason, ...extra })),
    notify(deps, formerMembers, { type: 'party.updated', party: null, reason, ...extra }),
  ]);
}

async function membershipOf(deps: Pick<SocialDeps, 'prisma'>, characterId: string) {
  return deps.prisma.partyMember.findUnique({ where: { characterId }, include: { party: true } });
}

/** The actor's membership in `partyId`, or PARTY_NOT_FOUND: another party is as good as absent. */
async function requireMember(deps: PartyDeps, actor: Actor, partyId: string) {
  const membership = await membershipOf(deps, actor.id);
  if (!membership || membership.partyId !== partyId) throw new DomainError(ErrorCode.PARTY_NOT_FOUND);
  return membership;
}

function requireLeader(party: { leaderId: string }, actor: Actor): void {
  if (party.leaderId !== actor.id) throw new DomainError(ErrorCode.NOT_PARTY_LEADER);
}

/** Starts a party led by the actor, who must not be in one. */
export async function createParty(deps: PartyDeps, actor: Actor): Promise<Party> {
  let partyId: string;
  try {
    partyId = await deps.prisma.$transaction(async (tx) => {
      const party = await tx.party.create({ data: { leaderId: actor.id } });
      await tx.partyMember.create({ data: { partyId: party.id, characterId: actor.id } });
      return party.id;
    });
  } catch (error) {
    // One membership per character is the primary key of party_members.
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.ALREADY_IN_PARTY, 'You are already in a party.');
    throw error;
  }
  return requirePartyView(deps, partyId, actor.id);
}

export async function getCurrentParty(deps: PartyDeps, actor: Actor): Promise<Party> {
  const membership = await membershipOf(deps, actor.id);
  const party = membership ? await partyView(deps, membership.partyId, actor.id) : null;
  if (!party) throw new DomainError(ErrorCode.NOT_IN_PARTY);
  return party;
}

function inviteView(row: { id: string; partyId: string; expiresAt: Date; inviter: CharacterRef; invitee: CharacterRef }): PartyInvite {
  return { id: row.id, partyId: row.partyId, from: row.inviter, to: row.invitee, expiresAt: row.expiresAt.toISOString() };
}

const inviteInclude = { inviter: characterRefSelect, invitee: characterRefSelect } as const;

/**
 * Invites a character by name into the actor's party; any member may invite. The invite
 * expires after `INVITE_TTL_SECONDS`; an expired one is replaced by the new one.
 */
export async function inviteToParty(deps: PartyDeps, actor: Actor, partyId: string, name: string): Promise<PartyInvite> {
  const target = await findCharacterByName(deps.prisma, name);
  refuseSelf(actor, target);
  await refuseIfBlocked(deps.prisma, actor.id, target);
  await deps.limits.invites.consume(actor.id);
  const now = new Date(deps.clock());
  const invite = await deps.prisma.$transaction(async (tx) => {
    await lockParty(tx, partyId);
    const membership = await tx.partyMember.findUnique({ where: { characterId: actor.id } });
    if (!membership || membership.partyId !== partyId) throw new DomainError(ErrorCode.PARTY_NOT_FOUND);
    if (await tx.partyMember.findUnique({ where: { characterId: target.id } })) {
      throw new DomainError(ErrorCode.ALREADY_IN_PARTY, `${target.name} is already in a party.`);
    }
    if ((await tx.partyMember.count({ where: { partyId } })) >= deps.settings.PARTY_MAX_MEMBERS) throw new DomainError(ErrorCode.PARTY_FULL);
    const existing = await tx.partyInvite.findUnique({ where: { partyId_inviteeId: { partyId, inviteeId: target.id } } });
    if (existing && existing.expiresAt > now) throw new DomainError(ErrorCode.ALREADY_INVITED);
    if (existing) await tx.partyInvite.delete({ where: { id: existing.id } });
    return tx.partyInvite.create({
      data: { partyId, inviterId: actor.id, inviteeId: target.id, expiresAt: new Date(now.getTime() + deps.settings.INVITE_TTL_SECONDS * 1000) },
      include: inviteInclude,
    });
  });
  const view = inviteView(invite);
  await notify(deps, [target.id], { type: 'party.invite', invite: view });
  return view;
}

/** The invites the actor received that have not expired. */
export async function listPartyInvites(deps: PartyDeps, actor: Actor): Promise<PartyInviteList> {
  const rows = await deps.prisma.partyInvite.findMany({
    where: { inviteeId: actor.id, expiresAt: { gt: new Date(deps.clock()) } },
    include: inviteInclude,
    orderBy: { createdAt: 'asc' },
  });
  return { invites: rows.map(inviteView) };
}

/**
 * Joins the party of an invite. Under the party's lock, so that parallel accepts never take it
 * past `PARTY_MAX_MEMBERS`; an expired invite is removed and answered `INVITE_EXPIRED`.
 */
export async function acceptPartyInvite(deps: PartyDeps, actor: Actor, inviteId: string): Promise<Party> {
  const invite = await deps.prisma.partyInvite.findFirst({ where: { id: inviteId, inviteeId: actor.id }, include: { inviter: characterRefSelect } });
  if (!invite) throw new DomainError(ErrorCode.INVITE_NOT_FOUND);
  // A block between the two that landed just as the invite was sent did not withdraw it.
  await refuseIfBlocked(deps.prisma, actor.id, invite.inviter);
  const join = deps.prisma.$transaction(async (tx) => {
    await lockParty(tx, invite.partyId);
    // Re-read under the lock: a disband meanwhile removed the invite with its party.
    const current = await tx.partyInvite.findUnique({ where: { id: inviteId } });
    if (!current) throw new DomainError(ErrorCode.INVITE_NOT_FOUND);
    if (current.expiresAt <= new Date(deps.clock())) {
      await tx.partyInvite.delete({ where: { id: inviteId } });
      return 'expired' as const;
    }
    if (await tx.partyMember.findUnique({ where: { characterId: actor.id } })) throw new DomainError(ErrorCode.ALREADY_IN_PARTY, 'Leave your party first.');
    if ((await tx.partyMember.count({ where: { partyId: invite.partyId } })) >= deps.settings.PARTY_MAX_MEMBERS) throw new DomainError(ErrorCode.PARTY_FULL);
    await tx.partyMember.create({ data: { partyId: invite.partyId, characterId: actor.id } });
    await tx.partyInvite.delete({ where: { id: inviteId } });
    return 'joined' as const;
  });
  const outcome = await join.catch((error: unknown) => {
    // Joining two parties at once (each under its own party's lock): the one membership a
    // character may hold went to the other join.
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.ALREADY_IN_PARTY, 'Leave your party first.');
    throw error;
  });
  if (outcome === 'expired') throw new DomainError(ErrorCode.INVITE_EXPIRED);
  await announce(deps, invite.partyId, 'joined', { id: actor.id, name: actor.name });
  return requirePartyView(deps, invite.partyId, actor.id);
}

/** Declines an invite; the one who sent it is told. */
export async function declinePartyInvite(deps: PartyDeps, actor: Actor, inviteId: string): Promise<void> {
  const invite = await deps.prisma.partyInvite.findFirst({ where: { id: inviteId, inviteeId: actor.id } });
  if (!invite) throw new DomainError(ErrorCode.INVITE_NOT_FOUND);
  await deps.prisma.partyInvite.deleteMany({ where: { id: inviteId } });
  // Only an inviter still in the party hears of it, with the party as they may see it.
  const inviterStill = await deps.prisma.partyMember.findFirst({ where: { characterId: invite.inviterId, partyId: invite.partyId } });
  const party = inviterStill ? await partyView(deps, invite.partyId, invite.inviterId) : null;
  if (party) await notify(deps, [invite.inviterId], { type: 'party.updated', party, reason: 'declined', subject: { id: actor.id, name: actor.name } });
}

/**
 * Removes a member (leaving or kicked). A leader who leaves hands the lead to the longest
 * standing member; the last one out ends the party.
 */
async function removeMember(deps: PartyDeps, partyId: string, characterId: string, leaderId?: string): Promise<{ disbanded: boolean }> {
  return deps.prisma.$transaction(async (tx) => {
    await lockParty(tx, partyId);
    // A kick: the kicker must still lead once the lock is held (a promotion may have just landed).
    if (leaderId && !(await tx.party.findFirst({ where: { id: partyId, leaderId }, select: { id: true } }))) {
      throw new DomainError(ErrorCode.NOT_PARTY_LEADER);
    }
    const { count } = await tx.partyMember.deleteMany({ where: { partyId, characterId } });
    if (count === 0) throw new DomainError(ErrorCode.MEMBER_NOT_FOUND);
    const next = await tx.partyMember.findFirst({ where: { partyId }, orderBy: { joinedAt: 'asc' } });
    if (!next) {
      await tx.party.delete({ where: { id: partyId } });
      return { disbanded: true };
    }
    await tx.party.updateMany({ where: { id: partyId, leaderId: characterId }, data: { leaderId: next.characterId } });
    return { disbanded: false };
  });
}

export async function leaveParty(deps: PartyDeps, actor: Actor, partyId: string): Promise<void> {
  await requireMember(deps, actor, partyId);
  const { disbanded } = await removeMember(deps, partyId, actor.id).catch((error: unknown) => {
    // Kicked, or the party ended, between the check and the lock.
    if (error instanceof DomainError && error.code === ErrorCode.MEMBER_NOT_FOUND) throw new DomainError(ErrorCode.PARTY_NOT_FOUND);
    throw error;
  });
  const subject = { id: actor.id, name: actor.name };
  if (disbanded) await notify(deps, [actor.id], { type: 'party.updated', party: null, reason: 'disbanded', subject });
  else await announce(deps, partyId, 'left', subject, [actor.id]);
}

/** The leader removes a member. */
export async function kickFromParty(deps: PartyDeps, actor: Actor, partyId: string, characterId: string): Promise<void> {
  const membership = await requireMember(deps, actor, partyId);
  requireLeader(membership.party, actor);
  if (characterId === actor.id) throw new DomainError(ErrorCode.CANNOT_TARGET_SELF, 'Leave the party instead.');
  const target = await deps.prisma.character.findUnique({ where: { id: characterId }, ...characterRefSelect });
  if (!target) throw new DomainError(ErrorCode.MEMBER_NOT_FOUND);
  await removeMember(deps, partyId, characterId, actor.id);
  await announce(deps, partyId, 'kicked', target, [characterId]);
}

/** The leader hands the lead to another member. */
export async function promotePartyLeader(deps: PartyDeps, actor: Actor, partyId: string, characterId: string): Promise<Party> {
  const membership = await requireMember(deps, actor, partyId);
  requireLeader(membership.party, actor);
  const subject = await deps.prisma.$transaction(async (tx) => {
    await lockParty(tx, partyId);
    const target = await tx.partyMember.findUnique({ where: { characterId }, include: { character: characterRefSelect } });
    if (!target || target.partyId !== partyId) throw new DomainError(ErrorCode.MEMBER_NOT_FOUND);
    const { count } = await tx.party.updateMany({ where: { id: partyId, leaderId: actor.id }, data: { leaderId: characterId } });
    if (count === 0) throw new DomainError(ErrorCode.NOT_PARTY_LEADER);
    return target.character;
  });
  await announce(deps, partyId, 'leader', subject);
  return requirePartyView(deps, partyId, actor.id);
}

/** The leader ends the party for everyone. */
export async function disbandParty(deps: PartyDeps, actor: Actor, partyId: string): Promise<void> {
  const membership = await requireMember(deps, actor, partyId);
  requireLeader(membership.party, actor);
  const former = await deps.prisma.$transaction(async (tx) => {
    await lockParty(tx, partyId);
    const members = await tx.partyMember.findMany({ where: { partyId }, select: { characterId: true } });
    const { count } = await tx.party.deleteMany({ where: { id: partyId, leaderId: actor.id } });
    if (count === 0) throw new DomainError(ErrorCode.NOT_PARTY_LEADER);
    return members.map((m) => m.characterId);
  });
  await notify(deps, former, { type: 'party.updated', party: null, reason: 'disbanded', subject: { id: actor.id, name: actor.name } });
}

/** Every member of the character's party, itself included; empty when it is in none. */
export async function partyMemberIdsOf(deps: Pick<SocialDeps, 'prisma'>, characterId: string): Promise<string[]> {
  const membership = await deps.prisma.partyMember.findUnique({ where: { characterId }, select: { partyId: true } });
  if (!membership) return [];
  const members = await deps.prisma.partyMember.findMany({ where: { partyId: membership.partyId }, select: { characterId: true } });
  return members.map((m) => m.characterId);
}

/**
 * Parties whose leader is no longer a member: a character deletion removed them without going
 * through the party. The longest standing member leads; a party with nobody left ends. Run on
 * `character.deleted` and when the social API starts. Returns how many it repaired.
 */
export async function repairLeaderlessParties(deps: PartyDeps): Promise<number> {
  const orphans = await deps.prisma.$queryRaw<{ id: string }[]>`
    SELECT p.id::text AS id FROM parties p
    WHERE NOT EXISTS (SELECT 1 FROM party_members m WHERE m.party_id = p.id AND m.character_id = p.leader_id)`;
  for (const { id: partyId } of orphans) {
    const leader = await deps.prisma.$transaction(async (tx) => {
      await lockParty(tx, partyId);
      const party = await tx.party.findUnique({ where: { id: partyId }, include: { members: { orderBy: { joinedAt: 'asc' }, include: memberSelect } } });
      if (!party || party.members.some((m) => m.characterId === party.leaderId)) return null;
      const next = party.members[0];
      if (!next) {
        await tx.party.delete({ where: { id: partyId } });
        return null;
      }
      await tx.party.update({ where: { id: partyId }, data: { leaderId: next.characterId } });
      return { id: next.character.id, name: next.character.name };
    });
    if (leader) await announce(deps, partyId, 'leader', leader);
  }
  return orphans.length;
}
