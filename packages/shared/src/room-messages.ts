import type { z } from 'zod';
import {
  chatBroadcastSchema,
  chatMessageSchema,
  moveMessageSchema,
  reportChatMessageSchema,
  roomErrorSchema,
  transferMessageSchema,
  usePortalMessageSchema,
} from './game.js';
import { attackMessageSchema, combatMessageSchema, pickupMessageSchema, useItemMessageSchema } from './monsters.js';
import { notificationSchema } from './social/notify.js';

/**
 * Every message a client may send to a `map_area` room, by wire name. The room registers one
 * handler per entry (and nothing else); the client sends only these names. A name is written
 * here once: elsewhere it is `ClientMessage.move`, so a renamed message fails to compile on
 * both sides.
 */
export const ClientMessage = {
  move: 'move',
  chat: 'chat',
  usePortal: 'use_portal',
  reportChat: 'report_chat',
  attack: 'attack',
  pickup: 'pickup',
  use: 'use',
} as const;
export type ClientMessageName = (typeof ClientMessage)[keyof typeof ClientMessage];

/** The payload schema of each client message; a payload that fails it disconnects the sender. */
export const clientMessageSchemas = {
  [ClientMessage.move]: moveMessageSchema,
  [ClientMessage.chat]: chatMessageSchema,
  [ClientMessage.usePortal]: usePortalMessageSchema,
  [ClientMessage.reportChat]: reportChatMessageSchema,
  [ClientMessage.attack]: attackMessageSchema,
  [ClientMessage.pickup]: pickupMessageSchema,
  [ClientMessage.use]: useItemMessageSchema,
} as const satisfies Record<ClientMessageName, z.ZodType>;

/** The payload type of each client message, by wire name. */
export type ClientMessages = { [K in ClientMessageName]: z.infer<(typeof clientMessageSchemas)[K]> };

/** Every message a `map_area` room sends to its clients, by wire name. */
export const ServerMessage = {
  chat: 'chat',
  notify: 'notify',
  transfer: 'transfer',
  error: 'error',
  combat: 'combat',
} as const;
export type ServerMessageName = (typeof ServerMessage)[keyof typeof ServerMessage];

/** The payload schema of each server message; clients parse with these. */
export const serverMessageSchemas = {
  [ServerMessage.chat]: chatBroadcastSchema,
  [ServerMessage.notify]: notificationSchema,
  [ServerMessage.transfer]: transferMessageSchema,
  [ServerMessage.error]: roomErrorSchema,
  [ServerMessage.combat]: combatMessageSchema,
} as const satisfies Record<ServerMessageName, z.ZodType>;

/** The payload type of each server message, by wire name. */
export type ServerMessages = { [K in ServerMessageName]: z.infer<(typeof serverMessageSchemas)[K]> };

/** Whether a wire name is one a client may send (for boundaries that see raw input). */
export function isClientMessageName(name: unknown): name is ClientMessageName {
  return typeof name === 'string' && Object.hasOwn(clientMessageSchemas, name);
}

/**
 * A player as a client sees it in the room state (`players`, keyed by session id). The server's
 * Colyseus schema satisfies this type (checked where it is declared), so the client is typed
 * without importing the server.
 */
export interface PlayerView {
  name: string;
  class: string;
  level: number;
  hp: number;
  /** Tile coordinates, whole numbers; clients interpolate between them. */
  x: number;
  y: number;
}

/** A monster as a client sees it in the room state (`monsters`, keyed by monster id). */
export interface MonsterView {
  /** The id of its kind in `MONSTER_KIND_DATA` (name, level, boss...). */
  kind: string;
  hp: number;
  maxHp: number;
  x: number;
  y: number;
}

/**
 * Something lying on the ground (`drops`, keyed by drop id): one stack of an item, or gold when
 * `itemId` is empty (`quantity` is then the amount).
 */
export interface DropView {
  itemId: string;
  quantity: number;
  x: number;
  y: number;
}

/** The read side of a Colyseus `MapSchema` that clients use. */
export interface SyncedMap<V> {
  get(key: string): V | undefined;
  forEach(callback: (value: V, key: string) => void): void;
  readonly size: number;
}

/**
 * What a client sees of one map-area instance: its area and the entities interest management
 * put in its view (itself included).
 */
export interface MapAreaView {
  area: string;
  players: SyncedMap<PlayerView>;
  /** Monsters in view (a dead one leaves every view until it respawns). */
  monsters: SyncedMap<MonsterView>;
  /** Drops in view. */
  drops: SyncedMap<DropView>;
}
