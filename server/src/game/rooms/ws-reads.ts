/**
 * A client's small messages read without the stream machinery of Node's socket and of `ws`: the
 * counterpart of `ws-frames.ts` on the way in.
 *
 * Every read of a socket normally costs a buffer allocated for it, a `Readable` push and a
 * `data` event; `ws` then hands the chunk to its receiver, a `Writable` stream (a write, its
 * bookkeeping and a deferred callback), whose state machine goes over the frame's header, mask
 * and payload before the `message` event. A game client's chunk is nearly always one small
 * intent (a `move` is about 20 bytes), which all that costs several microseconds each.
 *
 * Here the socket reads into one buffer shared by every socket of the process (Node's `onread`
 * option of `net.Socket`, set on a socket the HTTP server made): each read is handled before the
 * next begins, so one buffer serves them all, and nothing is allocated per read. The chunk is
 * looked at first: when `ws`'s receiver holds nothing (no partial frame, no fragments, nothing
 * queued) and the chunk is whole frames that are each final, binary, masked and under 126 bytes,
 * they are unmasked in place and each `message` is emitted on the WebSocket as `ws` would, with
 * the same arguments, in order (or handed to the caller's sink, the room's boundary, with no
 * event at all). Anything else (a text, control, fragmented or longer frame, a
 * partial one, a closing socket) goes to `ws` as a copy, chunk and all, in a `data` event as
 * Node's stream would emit it, so its checks, close codes and back pressure stand. Listeners
 * and sinks get views into the shared buffer, valid until they return (the room's boundary
 * decodes a message at once and keeps no bytes of it).
 *
 * Where the socket is not a plain TCP socket of this Node (TLS, another runtime), the receiver's
 * `write` alone looks at the chunk first, the same way, after Node's and before `ws`'s machinery.
 *
 * The same works the other way round on a `ws` client (`readServerFramesDirectly`, for the
 * benchmark's bots): a server's frames are unmasked and a patch may take a 16-bit length, so
 * there whole binary frames up to 64 KB are read directly.
 */

import { WebSocket } from 'ws';

/** The parts of a `ws` (v8) Receiver this reads. */
interface ReceiverInternals {
  _state?: number;
  _bufferedBytes?: number;
  _errored?: boolean;
  _fragments?: unknown[];
  /** The opcode of a fragmented message in progress, 0 when none (its fragments may all be empty). */
  _fragmented?: number;
  _binaryType?: string;
  _allowSynchronousEvents?: boolean;
  _maxPayload?: number;
  readonly writableLength: number;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  write(chunk: Buffer): boolean;
}

/** The parts of a `ws` (v8) WebSocket this reads. */
interface WsInternals {
  readonly readyState: number;
  _receiver?: ReceiverInternals;
  _socket?: SocketInternals;
  emit(event: 'message', data: Buffer, isBinary: boolean): boolean;
}

/** The parts of a Node `net.Socket` this reads and sets (its `onread` state, by Node's own symbols). */
interface SocketInternals {
  readonly destroyed: boolean;
  readonly readableLength: number;
  readonly encrypted?: boolean;
  readonly _handle?: { useUserBuffer?: (buffer: Uint8Array) => void; constructor: { name: string } } | null;
  emit(event: 'data', chunk: Buffer): boolean;
  [key: symbol]: unknown;
}

/** Node's symbols for a socket's `onread` buffer, its callback and its generator (`net.Socket`). */
interface OnreadKeys {
  readonly buffer: symbol;
  readonly callback: symbol;
  readonly generator: symbol;
}

/** The receiver's state between frames (`GET_INFO`). */
const BETWEEN_FRAMES = 0;
/** FIN with the binary opcode, no extension bits. */
const FINAL_BINARY = 0x82;
const MASKED = 0x80;
/** Payload lengths under this fit the header's 7 bits; this in the 7 bits says a 16-bit length follows. */
const SHORT_PAYLOAD = 126;
/** The largest payload a 16-bit length gives. */
const MEDIUM_PAYLOAD_MAX = 0xffff;

/** The frames read directly on one side of a connection; any other goes to `ws`. */
interface FrameKind {
  /** Frames from a client are masked; a server's are not. */
  readonly masked: boolean;
  /** The longest payload read directly. */
  readonly maxPayload: number;
}

/** A game client's intents, on the server: masked, their length in the header's 7 bits. */
const SMALL_CLIENT_FRAMES: FrameKind = { masked: true, maxPayload: SHORT_PAYLOAD - 1 };
/** A server's frames, on the client: unmasked, up to a 16-bit length. */
const SERVER_FRAMES: FrameKind = { masked: false, maxPayload: MEDIUM_PAYLOAD_MAX };

const reading = new WeakSet<object>();

/** What every socket reading directly reads into: libuv's own read size. */
const sharedReads = Buffer.allocUnsafe(64 * 1024);

/** Node's `onread` symbols, found on the first socket (null: this Node has none such). */
let onreadKeys: OnreadKeys | null | undefined;

/** How a WebSocket's frames are read: from the socket's reads, from what reaches `ws`'s receiver, or by `ws` alone. */
export type DirectReads = 'socket' | 'receiver' | null;

/** Where a frame read directly goes: each message's bytes, a view valid until it returns. */
export type FrameSink = (data: Buffer) => void;

/**
 * Makes the WebSocket's whole small binary frames be read directly, from the socket's reads where
 * it can (`'socket'`), else from what reaches `ws`'s receiver (`'receiver'`). Answers null (and
 * changes nothing) where the receiver is not the kind this knows: another transport, or `ws` set
 * to defer its events or to hand out other than Buffers.
 *
 * Each message read directly is emitted as `ws` emits it (`message`, the bytes, `true`), or,
 * with a `sink`, handed to the sink alone, with no event: the reader of every message then gets
 * the ones `ws` reads itself from its `message` event and the others from the sink, in the order
 * they came.
 */
export function readSmallFramesDirectly(socket: unknown, sink?: FrameSink): DirectReads {
  return readDirectly(socket, SMALL_CLIENT_FRAMES, sink);
}

/**
 * The same on a client's WebSocket (the benchmark's bots): a server's whole binary frames, which
 * are unmasked, read directly up to a 16-bit length (64 KB), or `ws`'s own `maxPayload` if lower.
 * A server sends a game client a patch or two per read; anything not whole in one read (a full
 * state over 64 KB or split across reads), pings and closes go to `ws` as before.
 */
export function readServerFramesDirectly(socket: unknown, sink?: FrameSink): DirectReads {
  return readDirectly(socket, SERVER_FRAMES, sink);
}

function readDirectly(socket: unknown, kind: FrameKind, sink: FrameSink | undefined): DirectReads {
  const ws = socket as WsInternals | undefined;
  const receiver = ws?._receiver;
  if (!ws || !receiver || reading.has(receiver)) return null;
  if (receiver._state === undefined || receiver._bufferedBytes === undefined || receiver._fragmented === undefined || !Array.isArray(receiver._fragments)) return null;
  if (receiver._binaryType !== 'nodebuffer' || receiver._allowSynchronousEvents === false) return null;
  // `ws` refuses a frame over its limit (a close with 1009): such a frame is left to it.
  const limit = receiver._maxPayload;
  if (limit !== undefined && limit > 0 && limit < kind.maxPayload) kind = { masked: kind.masked, maxPayload: limit };
  reading.add(receiver);
  const deliver: FrameSink = sink ?? ((data) => ws.emit('message', data, true));
  if (readFromSocket(ws, receiver, kind, deliver)) return 'socket';
  // Here the chunks reach the receiver through Node's stream; it looks at each first.
  const write = receiver.write.bind(receiver);
  receiver.write = (chunk: Buffer) => (idle(ws, receiver) && deliverFrames(ws, chunk, kind, deliver)) || write(chunk);
  return 'receiver';
}

/**
 * Has the socket read into the shared buffer and hand each chunk here instead of pushing it
 * through its stream to `ws`'s `data` listener. Answers false (and changes nothing) unless the
 * socket is a plain TCP one of a Node that has `onread` as this knows it, open, with nothing
 * buffered and no `onread` of its own.
 */
function readFromSocket(ws: WsInternals, receiver: ReceiverInternals, kind: FrameKind, deliver: FrameSink): boolean {
  const socket = ws._socket;
  const handle = socket?._handle;
  if (!socket || !handle || socket.destroyed || socket.encrypted || socket.readableLength > 0) return false;
  if (handle.constructor.name !== 'TCP' || typeof handle.useUserBuffer !== 'function') return false;
  const keys = (onreadKeys ??= findOnreadKeys(socket));
  if (!keys || socket[keys.buffer] !== null || socket[keys.callback] !== null || socket[keys.generator] !== null) return false;
  socket[keys.buffer] = sharedReads;
  socket[keys.callback] = (length: number, into: Buffer): boolean => {
    const chunk = into.subarray(0, length);
    if (idle(ws, receiver) && deliverFrames(ws, chunk, kind, deliver)) return true;
    // Anything else as Node's stream would hand it on: a `data` event, with a copy (the receiver
    // may keep part of it). `ws`'s listener writes it to the receiver and pauses the socket while
    // the receiver is full; once `ws` has given up on the connection (a protocol error) its
    // listener is gone and the bytes are dropped, as `ws` drops them, so the peer's close still
    // reaches the socket.
    socket.emit('data', Buffer.from(chunk));
    return true;
  };
  handle.useUserBuffer(sharedReads);
  return true;
}

/** Node's `onread` symbols on a socket (`kBuffer`, `kBufferCb`, `kBufferGen`), or null. */
function findOnreadKeys(socket: SocketInternals): OnreadKeys | null {
  const byName = new Map(Object.getOwnPropertySymbols(socket).map((key) => [key.description, key]));
  const buffer = byName.get('kBuffer');
  const callback = byName.get('kBufferCb');
  const generator = byName.get('kBufferGen');
  return buffer && callback && generator ? { buffer, callback, generator } : null;
}

/** Nothing of an earlier chunk is waiting in the receiver (no partial frame, no message begun), and the connection is open. */
function idle(ws: WsInternals, receiver: ReceiverInternals): boolean {
  return (
    ws.readyState === WebSocket.OPEN &&
    receiver._state === BETWEEN_FRAMES &&
    receiver._bufferedBytes === 0 &&
    receiver._fragmented === 0 &&
    receiver._fragments!.length === 0 &&
    !receiver._errored &&
    receiver.writableLength === 0 &&
    !receiver.writableEnded &&
    !receiver.destroyed
  );
}

/**
 * Delivers the chunk's frames when it is nothing but whole binary ones of the kind; answers
 * whether it did (false: the chunk is untouched). A reader that closes the connection (the room's
 * boundary refusing a frame) ends the chunk there: the rest came from a client being let go.
 */
function deliverFrames(ws: WsInternals, chunk: Buffer, kind: FrameKind, deliver: FrameSink): boolean {
  if (!isWholeFrames(chunk, kind)) return false;
  for (let offset = 0; offset < chunk.length && ws.readyState === WebSocket.OPEN; ) {
    const start = payloadStart(chunk, offset, kind.masked);
    const length = payloadLength(chunk, offset);
    if (kind.masked) for (let i = 0; i < length; i += 1) chunk[start + i]! ^= chunk[start - 4 + (i & 3)]!;
    deliver(chunk.subarray(start, start + length));
    offset = start + length;
  }
  return true;
}

/** Where the payload of the frame at `offset` starts (its header read, not checked). */
function payloadStart(chunk: Uint8Array, offset: number, masked: boolean): number {
  return offset + ((chunk[offset + 1]! & 0x7f) < SHORT_PAYLOAD ? 2 : 4) + (masked ? 4 : 0);
}

/** The payload length of the frame at `offset`, from its 7-bit or 16-bit length (its header read, not checked). */
function payloadLength(chunk: Uint8Array, offset: number): number {
  const short = chunk[offset + 1]! & 0x7f;
  return short < SHORT_PAYLOAD ? short : (chunk[offset + 2]! << 8) | chunk[offset + 3]!;
}

/** Every frame in the chunk is final, binary, masked, of 1 to 125 bytes, and the last ends with the chunk. */
export function isWholeSmallFrames(chunk: Uint8Array): boolean {
  return isWholeFrames(chunk, SMALL_CLIENT_FRAMES);
}

/** Every frame in the chunk is final, binary, unmasked, of 1 to 65,535 bytes, and the last ends with the chunk. */
export function isWholeServerFrames(chunk: Uint8Array): boolean {
  return isWholeFrames(chunk, SERVER_FRAMES);
}

/** Every frame in the chunk is final, binary, masked as the kind says, of 1 to its longest payload, and the last ends with the chunk. */
function isWholeFrames(chunk: Uint8Array, kind: FrameKind): boolean {
  let offset = 0;
  while (offset < chunk.length) {
    if (chunk.length - offset < 2 || chunk[offset] !== FINAL_BINARY) return false;
    const second = chunk[offset + 1]!;
    if (Boolean(second & MASKED) !== kind.masked) return false;
    const short = second & 0x7f;
    // A kind whose payloads fit the 7 bits takes no 16-bit length (as before for a client's intents).
    if (short > SHORT_PAYLOAD || (short === SHORT_PAYLOAD && kind.maxPayload < SHORT_PAYLOAD)) return false;
    const start = payloadStart(chunk, offset, kind.masked);
    // The header (its 16-bit length, its mask) cut short.
    if (start > chunk.length) return false;
    const length = payloadLength(chunk, offset);
    if (length === 0 || length > kind.maxPayload) return false;
    offset = start + length;
  }
  return offset === chunk.length && chunk.length > 0;
}
