import { Protocol } from '@colyseus/core';
import { decode, type Iterator } from '@colyseus/schema';
import { isClientMessageName, type ClientMessageName } from '@mmo/shared';
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
  /** A frame `ws` refused (over the 4 KB limit, bad framing); `ws` closes with its own code. */
  socketError: 'socket error',
} as const;
export type MessageFault = (typeof MessageFault)[keyof typeof MessageFault];

/** What to do with one frame a client sent. */
export type FrameVerdict =
  | { kind: 'pass' }
  /** The first JOIN_ROOM frame: the client acknowledges the join; Colyseus then sends the state. */
  | { kind: 'joinAck' }
  | { kind: 'refuse'; fault: MessageFault; messageType?: ClientMessageName };

/**
 * Judges one raw WebSocket frame from a joined client before Colyseus reads it. Passes only what
 * a client of this room legitimately sends: a message named in the shared table whose payload
 * decodes, a ping, a leave, and one join acknowledgement. Everything else is refused, and the
 * caller closes the sender. Payload schemas are checked later, by the message's handler.
 */
export function inspectFrame(data: Buffer, isBinary: boolean, joinAcknowledged: boolean): FrameVerdict {
  if (!isBinary) return refuse(MessageFault.textFrame);
  if (data.length === 0) return refuse(MessageFault.emptyFrame);
  switch (data[0]) {
    case Protocol.PING:
    case Protocol.LEAVE_ROOM:
      return { kind: 'pass' };
    case Protocol.JOIN_ROOM:
      return joinAcknowledged ? refuse(MessageFault.repeatedJoin) : { kind: 'joinAck' };
    case Protocol.ROOM_REQUEST:
      return refuse(MessageFault.request);
    case Protocol.ROOM_DATA:
      return inspectMessage(data);
    default:
      return refuse(MessageFault.unknownProtocol);
  }
}

function inspectMessage(data: Buffer): FrameVerdict {
  const it: Iterator = { offset: 1 };
  let messageType: unknown;
  try {
    // Only names are registered; a number is as unknown as a name outside the table.
    if (!decode.stringCheck(data, it)) return refuse(MessageFault.unknownType);
    messageType = decode.string(data, it);
  } catch {
    return refuse(MessageFault.undecodable);
  }
  if (it.offset > data.length) return refuse(MessageFault.undecodable);
  if (!isClientMessageName(messageType)) return refuse(MessageFault.unknownType);
  if (it.offset < data.length) {
    try {
      // Decoded here too so that bytes Colyseus could not decode never reach it: it logs such a
      // failure with a stack at error level, once per frame.
      unpack(data.subarray(it.offset));
    } catch {
      return refuse(MessageFault.undecodable, messageType);
    }
  }
  return { kind: 'pass' };
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
