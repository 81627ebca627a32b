import { z } from 'zod';
import type { CharacterClass } from './characters.js';
import { errorBodySchema } from './errors.js';
import { safeText } from './text.js';

/** The Colyseus room type of a map-area instance. */
export const MAP_AREA_ROOM = 'map_area';

/** Walking speed in tiles per second, by class. */
export const MOVE_SPEED: Record<CharacterClass, number> = {
  warrior: 4,
  mage: 4,
  ranger: 5,
  cleric: 4,
};

/** Chat lines: length and how many one player may send per window. */
export const CHAT_RULES = { maxLength: 200, perWindow: 5, windowMs: 5000 } as const;

/** Movement intents one player may send per second; more are ignored. */
export const MOVE_INTENTS_PER_SECOND = 10;
/** `pickup` and `use` a player may ask for per second: each is a database transaction. */
export const STORE_ACTIONS_PER_SECOND = 5;

/** Messages of any kind one connection may send per second; beyond it the client is dropped. */
export const MAX_MESSAGES_PER_SECOND = 60;

/** The farthest a `move {to}` target may be, in tiles along each axis. */
export const MAX_PATH_TARGET_DISTANCE = 64;

/**
 * Close codes a room uses when it ends a connection itself. The SDK reports each as a leave, not
 * a drop to reconnect from. All but the first are outside Colyseus's own codes (4000-4010); the
 * first is Colyseus's `WITH_ERROR`, which it also uses for floods.
 */
export const GameCloseCode = {
  /**
   * The client sent what this room never accepts: a message name outside the shared table, a
   * payload that fails its schema, or a frame outside the protocol. The close reason is fixed
   * text naming the kind of fault. Colyseus also closes with this code (its `WITH_ERROR`) a
   * client that floods messages. No reconnection follows.
   */
  PROTOCOL_VIOLATION: 4002,
  /** The same character joined elsewhere; this connection was taken over. */
  TAKEN_OVER: 4100,
  /** The session ended (logout, ban) while playing. */
  SESSION_REVOKED: 4101,
  /** A `transfer` was sent and the client did not leave for the new room. */
  TRANSFERRED: 4102,
  /** The character no longer exists (deleted while playing). */
  CHARACTER_GONE: 4103,
  /** The account was banned; an `error` with code `ACCOUNT_BANNED` and the sanction came first. */
  BANNED: 4104,
  /** A moderator kicked the account (no ban); an `error` with code `KICKED` and the reason came first. */
  KICKED: 4105,
} as const;

const direction = z.union([z.literal(-1), z.literal(0), z.literal(1)]);

/**
 * `move`: walk in a direction until told otherwise (`{dx, dy}`, each -1, 0 or 1; `{0, 0}`
 * stops), or walk to a tile along a path the server finds (`{to: {x, y}}`).
 */
export const moveMessageSchema = z.union([
  z.object({ dx: direction, dy: direction }).strict(),
  z.object({ to: z.object({ x: z.number().int().min(0).max(1023), y: z.number().int().min(0).max(1023) }) }).strict(),
]);
export type MoveMessage = z.infer<typeof moveMessageSchema>;

/**
 * Chat channels: `area` reaches this map-area instance; `party` and `guild` reach the
 * sender's party or guild members wherever they play (relayed by the social API).
 */
export const CHAT_CHANNELS = ['area', 'party', 'guild'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

/** `chat` from a client: one line to a channel, the area instance by default. */
export const chatMessageSchema = z.object({ text: safeText(), channel: z.enum(CHAT_CHANNELS).optional() }).strict();
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** `report_chat`: report an area chat line this client received, by its id, with a reason. */
export const reportChatMessageSchema = z.object({ lineId: safeText().min(1).max(64), reason: safeText().trim().min(1).max(500) }).strict();
export type ReportChatMessage = z.infer<typeof reportChatMessageSchema>;

/** One area chat line as a report keeps it. */
export const reportedChatLineSchema = z.object({
  id: z.string(),
  characterId: z.uuid(),
  from: z.string(),
  text: z.string(),
  sentAt: z.iso.datetime(),
});
export type ReportedChatLine = z.infer<typeof reportedChatLineSchema>;

/** `use_portal`: take the portal the player stands on (stepping on one also does). */
export const usePortalMessageSchema = z.object({}).strict().optional();

/**
 * Channels of `chat` lines clients receive: the sendable ones plus `system`, announcements by
 * the moderators (to everyone or one area), which no client can send.
 */
export const CHAT_BROADCAST_CHANNELS = [...CHAT_CHANNELS, 'system'] as const;
export type ChatBroadcastChannel = (typeof CHAT_BROADCAST_CHANNELS)[number];

/** `chat` to clients. */
export const chatBroadcastSchema = z.object({
  from: z.string(),
  text: z.string(),
  channel: z.enum(CHAT_BROADCAST_CHANNELS),
  /** Area lines carry an id, by which a player may report the line (`report_chat`). */
  id: z.string().max(64).optional(),
});
export type ChatBroadcast = z.infer<typeof chatBroadcastSchema>;

/** A Colyseus seat reservation, consumed by `client.consumeSeatReservation`. */
export const seatReservationSchema = z.object({
  name: z.string(),
  sessionId: z.string(),
  roomId: z.string(),
  processId: z.string().optional(),
  publicAddress: z.string().optional(),
  reconnectionToken: z.string().optional(),
  devMode: z.boolean().optional(),
});
export type SeatReservation = z.infer<typeof seatReservationSchema>;

/** `transfer` to a client: join this reservation (another area) and leave the current room. */
export const transferMessageSchema = z.object({ reservation: seatReservationSchema, area: z.string() });
export type TransferMessage = z.infer<typeof transferMessageSchema>;

/** `error` to a client: a refused action; `cid` echoes the client's id for it, if any. */
export const roomErrorSchema = errorBodySchema.extend({ cid: z.string().optional() });
export type RoomError = z.infer<typeof roomErrorSchema>;

/** `POST /world/enter`. */
export const enterWorldRequestSchema = z.object({ characterId: z.uuid() });
export type EnterWorldRequest = z.infer<typeof enterWorldRequestSchema>;

export const enterWorldResponseSchema = z.object({ reservation: seatReservationSchema, area: z.string() });
export type EnterWorldResponse = z.infer<typeof enterWorldResponseSchema>;
