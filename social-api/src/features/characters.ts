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
 * Online status as `viewerId` may see it: a character who blocked the viewer shows as
 * offline to them, since a block hides the blocker from the blocked one.
 */
export async function onlineStatusFor(
  deps: Pick<SocialDeps, 'prisma' | 'online'>,
  viewerId: string,
  ids: readonly string[],
): Promise<(id: string) => OnlineStatus> {
  const [online, hiders] = await Promise.all([
    deps.online.get(ids),
    deps.prisma.block.findMany({ where: { blockedId: viewerId, blockerId: { in: [...ids] } }, select: { blockerId: true } }),
  ]);
  const hidden = new Set(hiders.map((h) => h.blockerId));
  return (id) => {
    const entry = hidden.has(id) ? undefined : online.get(id);
    return { online: entry !== undefined, area: entry?.area ?? null };
  };
}

/** Party and guild member cards, with online status as the viewer may see it. */
export async function memberCards(
  deps: Pick<SocialDeps, 'prisma' | 'online'>,
  viewerId: string,
  members: readonly { id: string; name: string; class: string; level: number }[],
): Promise<MemberCard[]> {
  const statusOf = await onlineStatusFor(deps, viewerId, members.map((m) => m.id));
  return members.map((m) => ({ id: m.id, name: m.name, class: m.class as CharacterClass, level: m.level, ...statusOf(m.id) }));
}
