import { DomainError, isUniqueViolation, lockKey, type Prisma, type PrismaClient } from '@mmo/platform';
import { ErrorCode, type Friend, type FriendList, type FriendRequest, type SendFriendRequestResponse } from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { characterRefSelect, findCharacterByName, onlineStatusFor, refuseSelf, type Actor } from '../characters.js';
import { notify } from '../deliver.js';
import { refuseIfBlocked } from '../relations/relation.checks.js';

/** The key of the one row a pair of characters shares, whichever of them asked. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

type Db = PrismaClient | Prisma.TransactionClient;

type FriendDeps = Pick<SocialDeps, 'prisma' | 'online' | 'bus' | 'logger' | 'settings' | 'limits'>;

/** Friends with where they play now, and the requests waiting on either side. */
export async function listFriends(deps: FriendDeps, actor: Actor): Promise<FriendList> {
  const rows = await deps.prisma.friendship.findMany({
    where: { OR: [{ requesterId: actor.id }, { addresseeId: actor.id }] },
    include: { requester: characterRefSelect, addressee: characterRefSelect },
    orderBy: { createdAt: 'asc' },
  });
  const other = (row: (typeof rows)[number]) => (row.requesterId === actor.id ? row.addressee : row.requester);
  const accepted = rows.filter((row) => row.status === 'accepted');
  const statusOf = await onlineStatusFor(deps, actor.id, accepted.map((row) => other(row).id));
  const friends: Friend[] = accepted.map((row) => ({
    character: other(row),
    since: (row.acceptedAt ?? row.createdAt).toISOString(),
    ...statusOf(other(row).id),
  }));
  const requests: FriendRequest[] = rows
    .filter((row) => row.status === 'pending')
    .map((row) => ({
      character: other(row),
      direction: row.requesterId === actor.id ? 'outgoing' : 'incoming',
      createdAt: row.createdAt.toISOString(),
    }));
  return { friends, requests };
}

/** Refuses when `characterId` already has `FRIEND_LIMIT` friends; `who` names them in the message. */
async function refuseOverLimit(db: Db, limit: number, characterId: string, who: string): Promise<void> {
  const count = await db.friendship.count({
    where: { status: 'accepted', OR: [{ requesterId: characterId }, { addresseeId: characterId }] },
  });
  if (count >= limit) throw new DomainError(ErrorCode.FRIEND_LIMIT_REACHED, `${who} friend list is full (at most ${limit}).`);
}

/**
 * Takes both characters' friend-list locks, in id order so that two transactions locking the
 * same pair cannot deadlock: each side's count then holds until the friendship commits.
 */
async function lockFriendLists(tx: Prisma.TransactionClient, ids: readonly string[]): Promise<void> {
  for (const id of [...ids].sort()) await lockKey(tx, `friends:${id}`);
}

async function friendOf(deps: FriendDeps, actor: Actor, other: { id: string; name: string }, since: Date): Promise<Friend> {
  const statusOf = await onlineStatusFor(deps, actor.id, [other.id]);
  return { character: other, since: since.toISOString(), ...statusOf(other.id) };
}

/**
 * Asks a character, by name, to be friends. If they had already asked the actor, the two are
 * friends at once. Refused between characters where either blocked the other.
 */
export async function sendFriendRequest(deps: FriendDeps, actor: Actor, name: string): Promise<SendFriendRequestResponse> {
  const target = await findCharacterByName(deps.prisma, name);
  refuseSelf(actor, target);
  await refuseIfBlocked(deps.prisma, actor.id, target);
  await deps.limits.invites.consume(actor.id);
  const key = pairKey(actor.id, target.id);
  const existing = await deps.prisma.friendship.findUnique({ where: { pairKey: key } });
  if (existing?.status === 'accepted') throw new DomainError(ErrorCode.ALREADY_FRIENDS);
  if (existing?.requesterId === actor.id) throw new DomainError(ErrorCode.FRIEND_REQUEST_PENDING);
  await refuseOverLimit(deps.prisma, deps.settings.FRIEND_LIMIT, actor.id, 'Your');
  if (existing) return { status: 'accepted', friend: await acceptFriendRequest(deps, actor, target.id) };
  let created;
  try {
    created = await deps.prisma.friendship.create({ data: { requesterId: actor.id, addresseeId: target.id, pairKey: key } });
  } catch (error) {
    // The other side asked at the same moment: one row per pair wins; answer as if in order.
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.FRIEND_REQUEST_PENDING, 'A request between you two is already waiting; look at your requests.');
    throw error;
  }
  await notify(deps, [target.id], { type: 'friend.request', from: { id: actor.id, name: actor.name } });
  return { status: 'pending', request: { character: target, direction: 'outgoing', createdAt: created.createdAt.toISOString() } };
}

/**
 * Accepts the request `requesterId` sent the actor. Both friend lists must have room; they are
 * counted under both characters' locks, so parallel accepts cannot overfill either.
 */
export async function acceptFriendRequest(deps: FriendDeps, actor: Actor, requesterId: string): Promise<Friend> {
  const now = new Date();
  const requester = await deps.prisma.$transaction(async (tx) => {
    await lockFriendLists(tx, [actor.id, requesterId]);
    const row = await tx.friendship.findFirst({
      where: { pairKey: pairKey(actor.id, requesterId), requesterId, addresseeId: actor.id, status: 'pending' },
      include: { requester: characterRefSelect },
    });
    if (!row) throw new DomainError(ErrorCode.FRIEND_REQUEST_NOT_FOUND);
    // A block between the two that landed just as the request was sent did not withdraw it.
    await refuseIfBlocked(tx, actor.id, row.requester);
    await refuseOverLimit(tx, deps.settings.FRIEND_LIMIT, actor.id, 'Your');
    await refuseOverLimit(tx, deps.settings.FRIEND_LIMIT, requesterId, `${row.requester.name}'s`);
    await tx.friendship.update({ where: { id: row.id }, data: { status: 'accepted', acceptedAt: now } });
    return row.requester;
  });
  await notify(deps, [requesterId], { type: 'friend.accepted', friend: { id: actor.id, name: actor.name } });
  return friendOf(deps, actor, requester, now);
}

/** Declines a request received from, or withdraws one sent to, `otherId`. */
export async function deleteFriendRequest(deps: FriendDeps, actor: Actor, otherId: string): Promise<void> {
  const { count } = await deps.prisma.friendship.deleteMany({ where: { pairKey: pairKey(actor.id, otherId), status: 'pending' } });
  if (count === 0) throw new DomainError(ErrorCode.FRIEND_REQUEST_NOT_FOUND);
}

/** Ends a friendship, for both sides. */
export async function removeFriend(deps: FriendDeps, actor: Actor, friendId: string): Promise<void> {
  const { count } = await deps.prisma.friendship.deleteMany({ where: { pairKey: pairKey(actor.id, friendId), status: 'accepted' } });
  if (count === 0) throw new DomainError(ErrorCode.FRIEND_NOT_FOUND);
}

/** The accepted friends of a character, for presence notifications. */
export async function friendIdsOf(deps: Pick<SocialDeps, 'prisma'>, characterId: string): Promise<string[]> {
  const rows = await deps.prisma.friendship.findMany({
    where: { status: 'accepted', OR: [{ requesterId: characterId }, { addresseeId: characterId }] },
    select: { requesterId: true, addresseeId: true },
  });
  return rows.map((row) => (row.requesterId === characterId ? row.addresseeId : row.requesterId));
}
