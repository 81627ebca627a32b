import { DomainError, type AuthContext, type PrismaClient } from '@mmo/platform';
import {
  CHARACTER_HEADER,
  ErrorCode,
  normalizeName,
  type CharacterClass,
  type CharacterRef,
  type MemberCard,
  type OnlineStatus,
} from '@mmo/shared';
import type { SocialDeps } from '../social.deps.js';

/** The Prisma relation selection that reads a `CharacterRef`: id and name, nothing else. */
export const characterRefSelect = { select: { id: true, name: true } } as const;

/** The character a request acts as: one of the token's account's. */
export interface Actor {
  id: string;
  name: string;
  accountId: string;
}

/**
 * The character named by the `X-Character-Id` header, if it belongs to the token's account;
 * another account's answers as if it did not exist.
 */
export async function resolveActor(prisma: PrismaClient, auth: AuthContext, headers: Record<string, string>): Promise<Actor> {
  const id = headers[CHARACTER_HEADER]!;
  const row = await prisma.character.findFirst({ where: { id, accountId: auth.accountId }, select: { id: true, name: true, accountId: true } });
  if (!row) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND, 'The X-Character-Id header names none of your characters.');
  return row;
}

/** A character named by a player, in any letter case. */
export async function findCharacterByName(prisma: PrismaClient, name: string): Promise<CharacterRef> {
  const row = await prisma.character.findUnique({ where: { nameKey: normalizeName(name) }, select: { id: true, name: true } });
  if (!row) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND, `No character is called ${name}.`);
  return row;
}

export async function findCharacterById(prisma: PrismaClient, id: string): Promise<CharacterRef> {
  const row = await prisma.character.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!row) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND);
  return row;
}

export function refuseSelf(actor: Actor, target: CharacterRef): void {
  if (actor.id === target.id) throw new DomainError(ErrorCode.CANNOT_TARGET_SELF);
}

/**
 * Online status of `ids` as each of `viewerIds` may see it, read once for all of them: a
 * character who blocked a viewer shows as offline to that viewer, since a block hides the
 * blocker from the blocked one.
 */
export async function onlineStatusForViewers(
  deps: Pick<SocialDeps, 'prisma' | 'online'>,
  viewerIds: readonly string[],
  ids: readonly string[],
): Promise<(viewerId: string, id: string) => OnlineStatus> {
  const [online, blocks] = await Promise.all([
    deps.online.get(ids),
    deps.prisma.block.findMany({ where: { blockedId: { in: [...viewerIds] }, blockerId: { in: [...ids] } }, select: { blockerId: true, blockedId: true } }),
  ]);
  const hidden = new Set(blocks.map((b) => `${b.blockedId}:${b.blockerId}`));
  return (viewerId, id) => {
    const entry = hidden.has(`${viewerId}:${id}`) ? undefined : online.get(id);
    return { online: entry !== undefined, area: entry?.area ?? null };
  };
}

/** Online status of `ids` as one viewer may see it. */
export async function onlineStatusFor(
  deps: Pick<SocialDeps, 'prisma' | 'online'>,
  viewerId: string,
  ids: readonly string[],
): Promise<(id: string) => OnlineStatus> {
  const statusOf = await onlineStatusForViewers(deps, [viewerId], ids);
  return (id) => statusOf(viewerId, id);
}

type MemberRow = { id: string; name: string; class: string; level: number };

/** Party and guild member cards as each of `viewerIds` may see them, read once for all of them. */
export async function memberCardsForViewers(
  deps: Pick<SocialDeps, 'prisma' | 'online'>,
  viewerIds: readonly string[],
  members: readonly MemberRow[],
): Promise<(viewerId: string) => MemberCard[]> {
  const statusOf = await onlineStatusForViewers(deps, viewerIds, members.map((m) => m.id));
  return (viewerId) => members.map((m) => ({ id: m.id, name: m.name, class: m.class as CharacterClass, level: m.level, ...statusOf(viewerId, m.id) }));
}

/** Party and guild member cards, with online status as the viewer may see it. */
export async function memberCards(deps: Pick<SocialDeps, 'prisma' | 'online'>, viewerId: string, members: readonly MemberRow[]): Promise<MemberCard[]> {
  return (await memberCardsForViewers(deps, [viewerId], members))(viewerId);
}
