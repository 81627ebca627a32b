import { DomainError, type Prisma, type PrismaClient } from '@mmo/platform';
import { ErrorCode, type CharacterRef } from '@mmo/shared';

/**
 * Refuses an action between two characters when either blocked the other: the blocked one may
 * not reach the blocker, and the blocker must unblock before reaching out.
 */
export async function refuseIfBlocked(prisma: PrismaClient | Prisma.TransactionClient, actorId: string, target: CharacterRef): Promise<void> {
  const block = await prisma.block.findFirst({
    where: { OR: [{ blockerId: target.id, blockedId: actorId }, { blockerId: actorId, blockedId: target.id }] },
    select: { blockerId: true },
  });
  if (!block) return;
  throw new DomainError(
    ErrorCode.BLOCKED,
    block.blockerId === actorId ? `You have blocked ${target.name}; unblock them first.` : `${target.name} does not accept this from you.`,
  );
}

/** Of `recipientIds`, those who muted or blocked `senderId` and so should not see their chat. */
export async function silencedBy(prisma: PrismaClient, senderId: string, recipientIds: readonly string[]): Promise<Set<string>> {
  const [mutes, blocks] = await Promise.all([
    prisma.mute.findMany({ where: { mutedId: senderId, muterId: { in: [...recipientIds] } }, select: { muterId: true } }),
    prisma.block.findMany({ where: { blockedId: senderId, blockerId: { in: [...recipientIds] } }, select: { blockerId: true } }),
  ]);
  return new Set([...mutes.map((m) => m.muterId), ...blocks.map((b) => b.blockerId)]);
}
