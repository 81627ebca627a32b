import { writeSync } from 'node:fs';
import type { Client } from '@colyseus/core';
import { WebSocket } from 'ws';

/**
 * WebSocket frames written straight to a client's TCP socket: a tick's messages and patch for
 * one client leave as one buffer in one write, and clients that receive the same bytes (everyone
 * standing in a cell) share that buffer, instead of going through `ws` frame by frame (a header
 * buffer, a cork and two writes per message, then a `writev` per client per tick).
 */

/** The parts of a `ws` (v8) WebSocket this reads. */
interface WsInternals {
  readyState?: number;
  _socket?: TcpSocket;
  _sender?: { _state?: number; _queue?: unknown[] };
}

/**
 * Each socket's file descriptor, read once and kept on the socket itself: the handle's `fd` is a
 * native accessor, paid per client per tick, and a `WeakMap` from handles to descriptors cost a
 * cold lookup per write (1.4 % of the process's samples with 3,000 clients over 30 instances, in
 * `perf`). A socket keeps its handle (and so its descriptor) for its whole life; once the handle
 * is gone, writes go through the stream.
 */
const DESCRIPTOR = Symbol('fd');

/** The parts of a `net.Socket` this reads. */
export interface TcpSocket {
  write(chunk: Uint8Array): boolean;
  destroy(): void;
  readonly destroyed?: boolean;
  readonly writableLength: number;
  readonly _handle?: { readonly fd?: number } | null;
  /** The handle's descriptor, once read (`writeTo`). */
  [DESCRIPTOR]?: number;
}

/** `ws`'s sender state when it is not waiting on a compression or a Blob read (its `DEFAULT`). */
const SENDER_IDLE = 0;

/** The size of a frame carrying `length` bytes: the header of an unmasked (server-to-client) frame, then the payload. */
export function frameSize(length: number): number {
  return length + (length < 126 ? 2 : length < 65_536 ? 4 : 10);
}

/** Writes the header of one final binary frame of `length` bytes at `offset` of `into`; answers the offset after it. */
function writeHeader(into: Buffer, offset: number, length: number): number {
  into[offset] = 0x82; // FIN, binary
  if (length < 126) {
    into[offset + 1] = length;
    return offset + 2;
  }
  if (length < 65_536) {
    into[offset + 1] = 126;
    into.writeUInt16BE(length, offset + 2);
    return offset + 4;
  }
  into[offset + 1] = 127;
  into.writeUInt32BE(0, offset + 2);
  into.writeUInt32BE(length, offset + 6);
  return offset + 10;
}

/** Writes one final binary frame carrying `payload` at `offset` of `into`; answers the offset after it. */
function writeFrame(into: Buffer, offset: number, payload: Uint8Array): number {
  offset = writeHeader(into, offset, payload.length);
  into.set(payload, offset);
  return offset + payload.length;
}

/** One buffer holding a frame for each payload, in order. */
export function framesOf(payloads: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const payload of payloads) size += frameSize(payload.length);
  const buffer = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const payload of payloads) offset = writeFrame(buffer, offset, payload);
  return buffer;
}

/** Pieces of one payload, in order (a `ScratchList`). */
export interface Pieces {
  readonly length: number;
  at(index: number): Uint8Array;
}

/**
 * One buffer holding a frame for each of `messages`, then one frame carrying `head` and the
 * `rest` joined: a payload assembled from pieces is copied once, straight into its frame.
 * Answers the buffer; the joined payload is its last `head.length` + the rest's bytes.
 */
export function framesJoining(messages: readonly Uint8Array[], head: Uint8Array, rest: Pieces): Buffer {
  let length = head.length;
  for (let i = 0; i < rest.length; i += 1) length += rest.at(i).length;
  let size = frameSize(length);
  for (const message of messages) size += frameSize(message.length);
  const buffer = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const message of messages) offset = writeFrame(buffer, offset, message);
  offset = writeHeader(buffer, offset, length);
  buffer.set(head, offset);
  offset += head.length;
  for (let i = 0; i < rest.length; i += 1) {
    const piece = rest.at(i);
    buffer.set(piece, offset);
    offset += piece.length;
  }
  return buffer;
}


/**
 * What may wait unwritten in a socket's stream (past what the kernel's buffers hold) before its
 * client is taken for one that does not read: minutes of a crowded view's patches. A client
 * that keeps sending but never reads would otherwise have the server queue its patches in
 * memory without end.
 */
export const MAX_UNSENT_BYTES = 1 << 20;

/**
 * Writes `bytes` to the socket. When nothing is waiting to be written on it, straight to its
 * file descriptor with one `write(2)`: the stream's own path costs as much again as the system
 * call for a small buffer, once per client per tick. The stream's `writableLength` counts every
 * byte it was given until libuv has written it, so zero means libuv holds nothing either. What
 * the kernel does not take at once (a full send buffer: `EAGAIN`, or part of it) goes through
 * the stream, which also reports a broken connection the usual way. Where the handle has no
 * file descriptor (closed, or another platform), always through the stream. A socket whose
 * stream would hold more than `maxUnsent` bytes is destroyed instead (the client then leaves as
 * one whose connection dropped).
 */
export function writeTo(socket: TcpSocket, bytes: Buffer, maxUnsent = MAX_UNSENT_BYTES): void {
  const handle = socket._handle;
  if (!handle || socket.writableLength > 0) {
    if (socket.writableLength + bytes.length > maxUnsent) socket.destroy();
    else socket.write(bytes);
    return;
  }
  let fd = socket[DESCRIPTOR];
  if (fd === undefined) socket[DESCRIPTOR] = fd = handle.fd ?? -1;
  if (fd < 0) {
    socket.write(bytes);
    return;
  }
  let written = 0;
  try {
    written = writeSync(fd, bytes);
  } catch {
    // EAGAIN and the like: the stream writes it when the socket can take it, or reports why not.
  }
  if (written < bytes.length) socket.write(written === 0 ? bytes : bytes.subarray(written));
}

/**
 * The client's TCP socket when frames may go to it directly: an open `ws` connection whose
 * sender has nothing waiting (it holds frames back while it compresses, which this server turns
 * off, or reads a Blob, which Colyseus never sends). Otherwise undefined: the caller sends
 * through Colyseus, which keeps the order of whatever `ws` holds.
 */
export function directSocket(client: Client): TcpSocket | undefined {
  return idleSocketOf(client.ref);
}

/** A `ws` WebSocket's TCP socket when frames may go to it directly, as `directSocket` says; else undefined. */
export function idleSocketOf(webSocket: unknown): TcpSocket | undefined {
  const ws = webSocket as WsInternals | undefined;
  if (ws?.readyState !== WebSocket.OPEN) return undefined;
  const socket = ws._socket;
  const sender = ws._sender;
  if (!socket || socket.destroyed || !sender || sender._state !== SENDER_IDLE || (sender._queue?.length ?? 0) > 0) return undefined;
  return socket;
}
