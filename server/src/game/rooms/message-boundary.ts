import { Protocol } from '@colyseus/core';
import { ClientMessage, type ClientMessageName } from '@mmo/shared';
import { unpack } from 'msgpackr';
import type { z } from 'zod';

/**
 * Why a client's frame or message was refused. The wire word of each is the close reason the
 * client receives with close code 4002: fixed text, so a close never quotes client input (a
 * WebSocket close reason over 123 bytes makes `ws` throw, which once ended the process).
 */
export const MessageFault = {
  /** A text frame: the Colyseus protocol is binary only. */
  textFrame: 'text frame',
  emptyFrame: 'empty frame',
  /** A protocol code a client never sends to this room (bytes, inputs, server-only codes, modifiers). */
  unknownProtocol: 'unknown protocol code',
  /** The join acknowledgement sent a second time. */
  repeatedJoin: 'repeated join',
  /** A request frame: this room answers no requests, every message is fire and forget. */
  request: 'requests are not answered',
  /** A message name that is not in the shared table (`ClientMessage`). */
  unknownType: 'unknown message type',
  /** Bytes that do not decode as a message (truncated type, broken msgpack, nesting too deep). */
  undecodable: 'undecodable message',
  /** A known message whose payload fails its schema. */
  malformed: 'malformed message',
  /** More frames in a second than the room reads from one client (`MAX_MESSAGES_PER_SECOND`). */
  flood: 'too many messages',
  /** A frame `ws` refused (over the 4 KB limit, bad framing); `ws` closes with its own code. */
  socketError: 'socket error',
} as const;
export type MessageFault = (typeof MessageFault)[keyof typeof MessageFault];

/** What to do with one frame a client sent. */
export type FrameVerdict =
  /** A ping or a leave: Colyseus's own to answer. */
  | { kind: 'pass' }
  /** The first JOIN_ROOM frame: the client acknowledges the join; Colyseus then sends the state. */
  | { kind: 'joinAck' }
  /** A message named in the shared table, its payload decoded (not yet checked against its schema). */
  | { kind: 'message'; type: ClientMessageName; payload: unknown }
  | { kind: 'refuse'; fault: MessageFault; messageType?: ClientMessageName };

/**
 * Reads one raw WebSocket frame from a joined client, the only place its bytes are decoded.
 * Passes only what a client of this room legitimately sends: a message named in the shared table
 * whose payload decodes (handed back decoded), a ping, a leave, and one join acknowledgement.
 * Everything else is refused, and the caller closes the sender. Payload schemas are checked
 * later, by the message's handler.
 */
export function readFrame(data: Buffer, isBinary: boolean, joinAcknowledged: boolean): FrameVerdict {
  if (!isBinary) return refuse(MessageFault.textFrame);
  if (data.length === 0) return refuse(MessageFault.emptyFrame);
  switch (data[0]) {
    case Protocol.PING:
    case Protocol.LEAVE_ROOM:
      return PASS;
    case Protocol.JOIN_ROOM:
      return joinAcknowledged ? refuse(MessageFault.repeatedJoin) : JOIN_ACK;
    case Protocol.ROOM_REQUEST:
      return refuse(MessageFault.request);
    case Protocol.ROOM_DATA:
      return readMessage(data);
    default:
      return refuse(MessageFault.unknownProtocol);
  }
}

const PASS: FrameVerdict = { kind: 'pass' };
const JOIN_ACK: FrameVerdict = { kind: 'joinAck' };

/**
 * The message names of the shared table as the bytes a frame carries them in (UTF-8), by
 * length: a frame's name is matched against these, so no string is made of what a client sent.
 */
const namesByLength = new Map<number, { name: ClientMessageName; bytes: Buffer }[]>();
for (const name of Object.values(ClientMessage)) {
  const bytes = Buffer.from(name);
  namesByLength.set(bytes.length, [...(namesByLength.get(bytes.length) ?? []), { name, bytes }]);
}

function readMessage(data: Buffer): FrameVerdict {
  // The type is a schema string (a msgpack string header, then UTF-8); a number is as unknown as
  // a name outside the table, and so is a name cut short by the frame's end.
  const header = data[1];
  let length: number;
  let start: number;
  if (header === undefined) return refuse(MessageFault.unknownType);
  if (header > 0xa0 && header < 0xc0) [length, start] = [header & 0x1f, 2];
  else if (header === 0xd9 && data.length > 2) [length, start] = [data[2]!, 3];
  else if (header === 0xda && data.length > 3) [length, start] = [data.readUInt16LE(2), 4];
  else if (header === 0xdb && data.length > 5) [length, start] = [data.readUInt32LE(2), 6];
  else return refuse(MessageFault.unknownType);
  const type = nameAt(data, start, length);
  if (!type) return refuse(MessageFault.unknownType);
  const end = start + length;
  if (end === data.length) return { kind: 'message', type, payload: undefined };
  try {
    return { kind: 'message', type, payload: unpack(data.subarray(end)) };
  } catch {
    return refuse(MessageFault.undecodable, type);
  }
}

/** The table's name spelled by `length` bytes at `start`, if any (none when the frame ends first). */
function nameAt(data: Buffer, start: number, length: number): ClientMessageName | undefined {
  const candidates = namesByLength.get(length);
  if (!candidates || start + length > data.length) return undefined;
  for (const { name, bytes } of candidates) {
    let i = 0;
    while (i < length && data[start + i] === bytes[i]) i += 1;
    if (i === length) return name;
  }
  return undefined;
}

function refuse(fault: MessageFault, messageType?: ClientMessageName): FrameVerdict {
  return messageType ? { kind: 'refuse', fault, messageType } : { kind: 'refuse', fault };
}

/** At most this many schema issues are logged for a malformed message, each path cut short. */
const LOGGED_ISSUES = 3;
const LOGGED_PATH_CHARS = 64;

/**
 * A bounded summary of why a payload failed its schema, for the log: the first few issues'
 * codes and paths, never the values (which are the client's, and may be huge).
 */
export function summarizeIssues(error: z.ZodError): { path: string; code: string }[] {
  return error.issues.slice(0, LOGGED_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.').slice(0, LOGGED_PATH_CHARS),
    code: issue.code,
  }));
}
