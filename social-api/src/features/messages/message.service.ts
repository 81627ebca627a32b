import { DomainError, isUniqueViolation, Prisma, type PrismaClient } from '@mmo/platform';
import {
  ErrorCode,
  type CharacterRef,
  type ConversationList,
  type MessagePage,
  type MessageReport,
  type PageQuery,
  type PrivateMessage,
  type UnreadCount,
} from '@mmo/shared';
import type { SocialDeps } from '../../social.deps.js';
import { characterRefSelect, findCharacterByName, refuseSelf, type Actor } from '../characters.js';
import { notify } from '../deliver.js';
import { pairKey } from '../friends/friend.service.js';
import { refuseIfBlocked } from '../relations/relation.checks.js';

type MessageDeps = Pick<SocialDeps, 'prisma' | 'online' | 'bus' | 'logger' | 'clock' | 'filter' | 'limits'>;
type Db = PrismaClient | Prisma.TransactionClient;

/** What every read of messages loads: the row and both characters' names. */
export const messageInclude = { sender: characterRefSelect, recipient: characterRefSelect } as const;

/** A message row with both characters, as `messageInclude` loads it. */
export interface MessageRow {
  id: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
  removedAt: Date | null;
  sender: CharacterRef;
  recipient: CharacterRef;
}

/**
 * At most this many messages are pushed at one login: the newest undelivered ones, sent oldest
 * first. Older ones stay undelivered and go out at a later login; meanwhile the unread count and
 * the conversation list over REST show them, so nothing is lost.
 */
export const BACKLOG_CAP = 200;

/**
 * How long a push waits for the recipient's room to acknowledge it before the next join may
 * push the message again. Short, since a room acknowledges within milliseconds.
 */
export const PUSH_LEASE_MS = 10_000;

/** A stored report, as `toReport` reads it. */
export interface ReportRow {
  id: string;
  messageId: string;
  conversationKey: string;
  reporterId: string;
  reporterName: string;
  reportedId: string;
  reportedName: string;
  text: string;
  sentAt: Date;
  reason: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** A report from its own copy of the message and names, which outlive the characters. */
export function toReport(row: ReportRow): MessageReport {
  return {
    id: row.id,
    messageId: row.messageId,
    reporter: { id: row.reporterId, name: row.reporterName },
    reported: { id: row.reportedId, name: row.reportedName },
    text: row.text,
    sentAt: row.sentAt.toISOString(),
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** A message as players see it: a removed message keeps its place but shows no text. */
export function toPrivateMessage(row: MessageRow): PrivateMessage {
  return {
    id: row.id,
    from: row.sender,
    to: row.recipient,
    text: row.removedAt ? null : row.body,
    sentAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}

/** Messages at or before (`inclusive`) or strictly before a message, in the (createdAt, id) order of pages. */
function atOrBefore(cursor: { id: string; createdAt: Date }, inclusive: boolean): Prisma.MessageWhereInput {
  return {
    OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: inclusive ? { lte: cursor.id } : { lt: cursor.id } }],
  };
}

/** A message of a conversation by id, or MESSAGE_NOT_FOUND when it is not in that conversation. */
async function messageIn(db: Db, conversationKey: string, messageId: string): Promise<{ id: string; createdAt: Date }> {
  const row = await db.message.findFirst({ where: { id: messageId, conversationKey }, select: { id: true, createdAt: true } });
  if (!row) throw new DomainError(ErrorCode.MESSAGE_NOT_FOUND, 'That message is not in this conversation.');
  return row;
}

/**
 * One page of a conversation, newest first. Ordering by (createdAt, id) and starting below the
 * `before` message's own (createdAt, id) keeps pages stable when messages share a timestamp.
 * `nextBefore` is set only when an older message exists.
 */
export async function pageOfConversation(db: Db, conversationKey: string, page: PageQuery): Promise<{ rows: MessageRow[]; nextBefore: string | null }> {
  const cursor = page.before ? atOrBefore(await messageIn(db, conversationKey, page.before), false) : {};
  const rows = await db.message.findMany({
    where: { conversationKey, ...cursor },
    include: messageInclude,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return { rows: shown, nextBefore: more ? shown[shown.length - 1]!.id : null };
}

/**
 * Sends a private message to a character named in any letter case. The text is kept with
 * profanity masked. A recipient who is online and has not muted the sender is notified at once;
 * a message no room acknowledged waits for `deliverBacklog` at their next login.
 */
export async function sendMessage(deps: MessageDeps, actor: Actor, to: string, text: string): Promise<PrivateMessage> {
  // `text` arrives trimmed and within SOCIAL_TEXT.messageMaxLength (sendMessageRequestSchema).
  const recipient = await findCharacterByName(deps.prisma, to);
  refuseSelf(actor, recipient);
  await refuseIfBlocked(deps.prisma, actor.id, recipient);
  await deps.limits.messages.consume(actor.id);
  const row = await deps.prisma.message.create({
    data: { senderId: actor.id, recipientId: recipient.id, conversationKey: pairKey(actor.id, recipient.id), body: deps.filter.clean(text) },
    include: messageInclude,
  });
  const message = toPrivateMessage(row);
  await deliverLive(deps, message);
  return message;
}

/**
 * Pushes a new message to its recipient if they are online and have not muted the sender. It
 * counts as delivered only once the recipient's room acknowledges handing it over
 * (`markDelivered`): a recipient who left meanwhile gets it with the backlog at the next
 * login instead of losing it. A failure here does not fail the send either.
 */
async function deliverLive(deps: MessageDeps, message: PrivateMessage): Promise<void> {
  try {
    const [online, mute] = await Promise.all([
      deps.online.get([message.to.id]),
      deps.prisma.mute.findUnique({ where: { muterId_mutedId: { muterId: message.to.id, mutedId: message.from.id } }, select: { muterId: true } }),
    ]);
    if (!online.has(message.to.id) || mute) return;
    // No lease here: if the connection is away (dropped, about to reconnect), its return runs
    // the backlog, which must be free to push this at once. A join at the very same moment
    // may push it twice; clients drop repeats by id.
    await notify(deps, [message.to.id], { type: 'message.received', message });
  } catch (error) {
    deps.logger.warn({ err: error, messageId: message.id }, 'could not deliver a private message live; it waits for the backlog');
  }
}

/** A room handed these messages to their recipient's connection: they are delivered. */
export async function markDelivered(deps: Pick<SocialDeps, 'prisma' | 'clock'>, recipientId: string, messageIds: readonly string[]): Promise<number> {
  const { count } = await deps.prisma.message.updateMany({
    where: { id: { in: [...messageIds] }, recipientId, deliveredAt: null },
    data: { deliveredAt: new Date(deps.clock()) },
  });
  return count;
}

/**
 * Called whenever a character joins a room: pushes the messages no room has acknowledged yet
 * (at most `BACKLOG_CAP`, oldest first), except those from characters it muted and those a
 * moderator removed. Each push takes a lease (`pushed_at`) with one `UPDATE ... RETURNING`, so
 * two joins at once push each message once; a push that no room acknowledged within
 * `PUSH_LEASE_MS` (the connection went away) is pushed again at a later join. Returns how many
 * were pushed.
 *
 * Call it after the character is in the online directory: a message sent while they were not
 * yet there was stored before `sendMessage` looked them up, so this query sees it.
 */
export async function deliverBacklog(deps: Pick<SocialDeps, 'prisma' | 'bus' | 'logger' | 'clock'>, characterId: string): Promise<number> {
  const mutes = await deps.prisma.mute.findMany({ where: { muterId: characterId }, select: { mutedId: true } });
  const leaseEnd = new Date(deps.clock() - PUSH_LEASE_MS);
  const pending = await deps.prisma.message.findMany({
    where: {
      recipientId: characterId,
      deliveredAt: null,
      removedAt: null,
      senderId: { notIn: mutes.map((m) => m.mutedId) },
      OR: [{ pushedAt: null }, { pushedAt: { lt: leaseEnd } }],
    },
    include: messageInclude,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: BACKLOG_CAP,
  });
  if (pending.length === 0) return 0;
  const ids = Prisma.join(pending.map((row) => Prisma.sql`${row.id}::uuid`));
  const claimed = await deps.prisma.$queryRaw<{ id: string }[]>`
    UPDATE messages SET pushed_at = ${new Date(deps.clock())}
    WHERE id IN (${ids}) AND delivered_at IS NULL AND removed_at IS NULL
      AND (pushed_at IS NULL OR pushed_at < ${leaseEnd})
    RETURNING id::text AS id`;
  const mine = new Set(claimed.map((row) => row.id));
  const toSend = pending.filter((row) => mine.has(row.id)).reverse();
  for (const row of toSend) await notify(deps, [characterId], { type: 'message.received', message: toPrivateMessage(row) });
  return toSend.length;
}

/** The number of messages a character received, not read, and not removed. */
async function countUnread(db: Db, characterId: string): Promise<number> {
  return db.message.count({ where: { recipientId: characterId, readAt: null, removedAt: null } });
}

/** One entry per character the actor exchanged messages with: the last message and the unread count, newest first. */
export async function listConversations(deps: Pick<SocialDeps, 'prisma'>, actor: Actor): Promise<ConversationList> {
  // PostgreSQL's DISTINCT ON picks the newest message of each conversation in one pass; the
  // (created_at, id) order breaks ties the same way pages do.
  const latest = await deps.prisma.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON (conversation_key) id::text AS id FROM messages
    WHERE sender_id = ${actor.id}::uuid OR recipient_id = ${actor.id}::uuid
    ORDER BY conversation_key, created_at DESC, id DESC`;
  if (latest.length === 0) return { conversations: [] };
  const [rows, unread] = await Promise.all([
    deps.prisma.message.findMany({
      where: { id: { in: latest.map((row) => row.id) } },
      include: messageInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
    deps.prisma.message.groupBy({ by: ['senderId'], where: { recipientId: actor.id, readAt: null, removedAt: null }, _count: { _all: true } }),
  ]);
  const unreadFrom = new Map(unread.map((group) => [group.senderId, group._count._all]));
  return {
    conversations: rows.map((row) => {
      const other = row.sender.id === actor.id ? row.recipient : row.sender;
      return { with: other, lastMessage: toPrivateMessage(row), unread: unreadFrom.get(other.id) ?? 0 };
    }),
  };
}

/** The actor's unread messages over all conversations. */
export async function unreadCount(deps: Pick<SocialDeps, 'prisma'>, actor: Actor): Promise<UnreadCount> {
  return { unread: await countUnread(deps.prisma, actor.id) };
}

/** A page of the actor's conversation with a character; empty when they never exchanged a message. */
export async function conversationWith(deps: Pick<SocialDeps, 'prisma'>, actor: Actor, otherId: string, page: PageQuery): Promise<MessagePage> {
  const { rows, nextBefore } = await pageOfConversation(deps.prisma, pairKey(actor.id, otherId), page);
  return { messages: rows.map(toPrivateMessage), nextBefore };
}

/**
 * Read marker: every message the actor received from `otherId` up to and including `upTo`, in
 * page order, is read. Answers the actor's remaining unread count over all conversations.
 */
export async function markRead(deps: Pick<SocialDeps, 'prisma' | 'clock'>, actor: Actor, otherId: string, upTo: string): Promise<UnreadCount> {
  const key = pairKey(actor.id, otherId);
  const marker = await messageIn(deps.prisma, key, upTo);
  await deps.prisma.message.updateMany({
    where: { conversationKey: key, recipientId: actor.id, readAt: null, ...atOrBefore(marker, true) },
    data: { readAt: new Date(deps.clock()) },
  });
  return { unread: await countUnread(deps.prisma, actor.id) };
}

/**
 * Reports a message the actor received, which lets moderators read that conversation. Other
 * characters' messages answer as if they did not exist. One report per message and reporter:
 * the unique key refuses a second one, also when two arrive at once. The report keeps a copy
 * of the message and both names, so deleting a character cannot erase the evidence.
 */
export async function reportMessage(deps: Pick<SocialDeps, 'prisma'>, actor: Actor, messageId: string, reason: string): Promise<MessageReport> {
  const message = await deps.prisma.message.findFirst({ where: { id: messageId, recipientId: actor.id }, include: { sender: characterRefSelect } });
  if (!message) throw new DomainError(ErrorCode.MESSAGE_NOT_FOUND);
  try {
    const report = await deps.prisma.messageReport.create({
      data: {
        messageId,
        conversationKey: message.conversationKey,
        reporterId: actor.id,
        reporterName: actor.name,
        reportedId: message.sender.id,
        reportedName: message.sender.name,
        text: message.body,
        sentAt: message.createdAt,
        reason,
      },
    });
    return toReport(report);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.ALREADY_REPORTED);
    throw error;
  }
}
