import { DomainError, isUniqueViolation } from '@mmo/platform';
import { ErrorCode, type BlockList, type MuteList, type Relation } from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { characterRefSelect, findCharacterByName, refuseSelf, type Actor } from '../characters.js';
import { pairKey } from '../friends/friend.service.js';

type RelationDeps = Pick<SocialDeps, 'prisma'>;

export async function listBlocks(deps: RelationDeps, actor: Actor): Promise<BlockList> {
  const rows = await deps.prisma.block.findMany({ where: { blockerId: actor.id }, include: { blocked: characterRefSelect }, orderBy: { createdAt: 'asc' } });
  return { blocks: rows.map((row) => ({ character: row.blocked, since: row.createdAt.toISOString() })) };
}

/**
 * Blocks a character by name. The friendship or pending request between the two ends, and
 * invites either sent the other are withdrawn, in the same transaction.
 */
export async function blockCharacter(deps: RelationDeps, actor: Actor, name: string): Promise<Relation> {
  const target = await findCharacterByName(deps.prisma, name);
  refuseSelf(actor, target);
  const between = { OR: [{ inviterId: actor.id, inviteeId: target.id }, { inviterId: target.id, inviteeId: actor.id }] };
  const key = { blockerId_blockedId: { blockerId: actor.id, blockedId: target.id } };
  const block = () =>
    deps.prisma.$transaction(async (tx) => {
      await tx.friendship.deleteMany({ where: { pairKey: pairKey(actor.id, target.id) } });
      await tx.partyInvite.deleteMany({ where: between });
      await tx.guildInvite.deleteMany({ where: between });
      return tx.block.upsert({ where: key, create: { blockerId: actor.id, blockedId: target.id }, update: {} });
    });
  const row = await block().catch(async (error: unknown) => {
    // The same block sent twice at once: the other one created it, which is all this asked.
    if (isUniqueViolation(error)) return deps.prisma.block.findUniqueOrThrow({ where: key });
    throw error;
  });
  return { character: target, since: row.createdAt.toISOString() };
}

export async function unblockCharacter(deps: RelationDeps, actor: Actor, characterId: string): Promise<void> {
  const { count } = await deps.prisma.block.deleteMany({ where: { blockerId: actor.id, blockedId: characterId } });
  if (count === 0) throw new DomainError(ErrorCode.NOT_FOUND, 'You have not blocked that character.');
}

export async function listMutes(deps: RelationDeps, actor: Actor): Promise<MuteList> {
  const rows = await deps.prisma.mute.findMany({ where: { muterId: actor.id }, include: { muted: characterRefSelect }, orderBy: { createdAt: 'asc' } });
  return { mutes: rows.map((row) => ({ character: row.muted, since: row.createdAt.toISOString() })) };
}

/** Mutes a character by name: their messages still arrive, without live notice, and their group chat does not. */
export async function muteCharacter(deps: RelationDeps, actor: Actor, name: string): Promise<Relation> {
  const target = await findCharacterByName(deps.prisma, name);
  refuseSelf(actor, target);
  const key = { muterId_mutedId: { muterId: actor.id, mutedId: target.id } };
  const row = await deps.prisma.mute.upsert({ where: key, create: { muterId: actor.id, mutedId: target.id }, update: {} }).catch(async (error: unknown) => {
    // The same mute sent twice at once: the other one created it.
    if (isUniqueViolation(error)) return deps.prisma.mute.findUniqueOrThrow({ where: key });
    throw error;
  });
  return { character: target, since: row.createdAt.toISOString() };
}

export async function unmuteCharacter(deps: RelationDeps, actor: Actor, characterId: string): Promise<void> {
  const { count } = await deps.prisma.mute.deleteMany({ where: { muterId: actor.id, mutedId: characterId } });
  if (count === 0) throw new DomainError(ErrorCode.NOT_FOUND, 'You have not muted that character.');
}
