import { z } from 'zod';
import { accountSanctionsSchema } from './admin.js';
import { CHAT_RULES, chatBroadcastSchema, reportedChatLineSchema, roomErrorSchema } from './game.js';
import { notificationSchema } from './social/notify.js';
import { AREA_IDS } from './world.js';

/** What a game room forwards to the clients of some characters. */
export const deliverySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notify'), notification: notificationSchema }),
  z.object({ kind: z.literal('chat'), line: chatBroadcastSchema }),
  z.object({ kind: z.literal('error'), error: roomErrorSchema }),
]);
export type Delivery = z.infer<typeof deliverySchema>;

/**
 * Events that cross process boundaries on the cluster's event bus, each with the schema its
 * payload must match. Subscribers parse with these schemas; a payload that does not match is
 * logged and dropped by the bus, never handed to the handler.
 */
export const busEventSchemas = {
  /**
   * A session can no longer be used: logout, ended from the session list, refresh-token reuse,
   * or a ban. Access tokens carrying this session id must be refused until `until` (epoch ms),
   * after which they have expired anyway.
   */
  'auth.session_revoked': z.object({
    sessionId: z.uuid(),
    accountId: z.uuid(),
    until: z.number().int().positive(),
  }),
  /**
   * The bans and mutes in force on an account changed (issued, lifted): the whole current set,
   * so that applying one event twice or out of a missed one's order converges. Every process
   * follows it into its `SanctionList`; game rooms also close a banned account's connections.
   */
  'account.sanctions': accountSanctionsSchema,
  /** A moderator kicked an account: rooms close its connections (no ban; it may join again). */
  'account.kick': z.object({ accountId: z.uuid(), reason: z.string() }),
  /**
   * A player reported an area chat line: the room sends the line with the area's last lines
   * around it, for the social API to keep as a report.
   */
  'game.chat_report': z.object({
    reporterId: z.uuid(),
    reporterName: z.string(),
    area: z.enum(AREA_IDS),
    roomId: z.string(),
    line: reportedChatLineSchema,
    context: z.array(reportedChatLineSchema).max(50),
    reason: z.string().min(1).max(500),
  }),
  /** A moderator's announcement: a `system` chat line for one area's rooms, or all (`area` null). */
  'game.announcement': z.object({ area: z.enum(AREA_IDS).nullable(), text: z.string().min(1).max(200) }),
  /**
   * A character joined a map-area room: `login` when it was not in game a moment before,
   * false when it arrived through a portal or took over its own earlier connection.
   */
  'character.online': z.object({
    characterId: z.uuid(),
    name: z.string(),
    area: z.enum(AREA_IDS),
    login: z.boolean(),
  }),
  /** A character left the game (not a portal hop). */
  'character.offline': z.object({ characterId: z.uuid(), name: z.string() }),
  /** A character was deleted (player API); its party and guild may need a new leader. */
  'character.deleted': z.object({ characterId: z.uuid(), name: z.string() }),
  /**
   * A character's worn items changed (player API): the room holding it recomputes its combat
   * attributes, so gear put on while playing counts in the next swing.
   */
  'character.equipment_changed': z.object({ characterId: z.uuid(), equipped: z.array(z.string().max(64)).max(16) }),
  /** A party or guild chat line, sent by a room for the social API to fan out to the members. */
  'social.chat': z.object({
    characterId: z.uuid(),
    name: z.string(),
    channel: z.enum(['party', 'guild']),
    text: z.string().min(1).max(CHAT_RULES.maxLength),
  }),
  /** Something for the game clients of these characters; the rooms that hold them send it. */
  'social.deliver': z.object({
    characterIds: z.array(z.uuid()).min(1).max(1000),
    delivery: deliverySchema,
  }),
  /**
   * A room handed these private messages to the recipient's connection. Until this arrives a
   * message counts as undelivered and is sent again at the recipient's next login.
   */
  'social.delivered': z.object({ characterId: z.uuid(), messageIds: z.array(z.uuid()).min(1).max(1000) }),
} as const;

export type BusTopic = keyof typeof busEventSchemas;
export type BusEvent<T extends BusTopic> = z.infer<(typeof busEventSchemas)[T]>;
