/**
 * A client's small messages read without `ws`'s stream machinery: the counterpart of
 * `ws-frames.ts` on the way in.
 *
 * `ws` hands every chunk its socket reads to its receiver, a `Writable` stream: a write, its
 * bookkeeping and a deferred callback per chunk, then a state machine over the frame's header,
 * mask and payload, before the `message` event. A game client's chunk is nearly always one small
 * intent (a `move` is about 20 bytes), which that costs a few microseconds each. Here the
 * receiver's `write` first looks at the chunk itself: when the receiver holds nothing (no partial
 * frame, no fragments, nothing queued) and the chunk is whole frames that are each final, binary,
 * masked and under 126 bytes, it unmasks them in place and emits each `message` on the
 * WebSocket as `ws` would, with the same arguments, in order. Anything else (a text, control,
 * fragmented or longer frame, a partial one, a closing socket) goes to `ws` untouched, chunk and
 * all, so its own checks and close codes stand.
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
  readonly writableLength: number;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  write(chunk: Buffer): boolean;
}

/** The parts of a `ws` (v8) WebSocket this reads. */
interface WsInternals {
  readonly readyState: number;
  _receiver?: ReceiverInternals;
  emit(event: 'message', data: Buffer, isBinary: boolean): boolean;
}

/** The receiver's state between frames (`GET_INFO`). */
const BETWEEN_FRAMES = 0;
/** FIN with the binary opcode, no extension bits. */
const FINAL_BINARY = 0x82;
const MASKED = 0x80;
/** Payload lengths under this fit the header's 7 bits. */
const SHORT_PAYLOAD = 126;
/** Two header bytes and the mask. */
const HEADER = 6;

const reading = new WeakSet<object>();

/**
 * Makes the WebSocket's receiver take whole small binary frames directly. Answers false (and
 * changes nothing) where the receiver is not the kind this knows: another transport, or `ws`
 * set to defer its events or to hand out other than Buffers.
 */
export function readSmallFramesDirectly(socket: unknown): boolean {
  const ws = socket as WsInternals | undefined;
  const receiver = ws?._receiver;
  if (!ws || !receiver || reading.has(receiver)) return false;
  if (receiver._state === undefined || receiver._bufferedBytes === undefined || receiver._fragmented === undefined || !Array.isArray(receiver._fragments)) return false;
  if (receiver._binaryType !== 'nodebuffer' || receiver._allowSynchronousEvents === false) return false;
  const write = receiver.write.bind(receiver);
  receiver.write = (chunk: Buffer) => (idle(ws, receiver) && emitFrames(ws, chunk)) || write(chunk);
  reading.add(receiver);
  return true;
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
 * Emits the chunk's frames when it is nothing but whole small binary ones; answers whether it
 * did (false: the chunk is untouched). A listener that closes the connection (the room's guard
 * refusing a frame) ends the chunk there: the rest came from a client being let go.
 */
function emitFrames(ws: WsInternals, chunk: Buffer): boolean {
  if (!isWholeSmallFrames(chunk)) return false;
  for (let offset = 0; offset < chunk.length && ws.readyState === WebSocket.OPEN; ) {
    const length = chunk[offset + 1]! & 0x7f;
    const start = offset + HEADER;
    for (let i = 0; i < length; i += 1) chunk[start + i]! ^= chunk[offset + 2 + (i & 3)]!;
    ws.emit('message', chunk.subarray(start, start + length), true);
    offset = start + length;
  }
  return true;
}

/** Every frame in the chunk is final, binary, masked, of 1 to 125 bytes, and the last ends with the chunk. */
export function isWholeSmallFrames(chunk: Uint8Array): boolean {
  let offset = 0;
  while (offset < chunk.length) {
    if (chunk.length - offset < HEADER || chunk[offset] !== FINAL_BINARY) return false;
    const second = chunk[offset + 1]!;
    const length = second & 0x7f;
    if (!(second & MASKED) || length === 0 || length >= SHORT_PAYLOAD) return false;
    offset += HEADER + length;
  }
  return offset === chunk.length && chunk.length > 0;
}
