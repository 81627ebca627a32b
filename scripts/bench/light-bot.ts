// A light benchmark client: Colyseus 0.18's room protocol spoken by hand over a raw `ws`
// WebSocket, for the bots that do not decode state. The SDK costs JS work for every frame a
// client receives (a WebSocket event object, an ArrayBuffer copy, its dispatch); bare Colyseus
// sends every client the whole crowd's changes 20 times a second, so with a thousand SDK clients
// in one process the bots' core saturated long before the server's. This client only looks at
// the first bytes of a frame and parses nothing it does not need; it never decodes a patch.
//
// The steps, as the SDK takes them (@colyseus/sdk Client.consumeSeatReservation, Room):
//   1. A seat reservation: bare's from the matchmaker route (POST /matchmake/joinOrCreate/<room>,
//      the body being the join options), ours from POST /world/enter or a `transfer` message.
//   2. The room's WebSocket: ws://<publicAddress or host>/<processId>/<roomId>?sessionId=<id>
//      (and &reconnectionToken=<t> when the reservation has one). No skipHandshake: the SDK asks
//      for the handshake too when it has no state class, as the SDK bots do.
//   3. The server sends JOIN_ROOM (code 10, then the reconnection token, the serializer and the
//      state's reflection); the client acknowledges with the single byte 10, after which the
//      server sends the full state (ROOM_STATE, 14) and then patches (ROOM_STATE_PATCH, 15).
//   4. Messages both ways are ROOM_DATA (13): the type as a schema-encoded string, then the
//      payload in msgpack. A LEAVE_ROOM (12) from the server is answered with 12, and sending 12
//      leaves (the server then closes the socket with CONSENTED, 4000).
//   5. The server's WebSocket pings (every 3 s; a client that misses two is dropped) are answered
//      by `ws` itself.
// Every frame's payload is counted, as the SDK bots count theirs (`ws` message lengths).
import { decode, encode } from '@colyseus/schema';
import { Protocol } from '@colyseus/sdk';
import type { SeatReservation } from '@mmo/shared';
import { pack, unpack } from 'msgpackr';
import WebSocket from 'ws';
import { idleSocketOf, writeTo } from '../../server/src/game/rooms/ws-frames.js';
import { readServerFramesDirectly } from '../../server/src/game/rooms/ws-reads.js';

/** The protocol code of a frame, without modifier bits (TIMED, UNRELIABLE); as the SDK masks it. */
const PROTOCOL_CODE_MASK = 0x1f;
/** A join that has not completed in this time has failed (the SDK has no such bound; bots need one). */
const JOIN_TIMEOUT_MS = 30_000;

/** The first bytes of a ROOM_DATA frame of `type`, as the SDK writes and the server reads them. */
function roomDataHeader(type: string): Buffer {
  const header = Buffer.alloc(2 + Buffer.byteLength(type) + 8);
  header[0] = Protocol.ROOM_DATA;
  const it = { offset: 1 };
  encode.string(header, type, it);
  return header.subarray(0, it.offset);
}

/**
 * A client's final binary frame of a payload under 126 bytes: masked, as a client must, with a
 * zero key (legal, and what `generateMask` below gives `ws` too), so the payload goes as it is.
 */
function clientFrame(payload: Buffer): Buffer {
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x82;
  frame[1] = 0x80 | payload.length;
  payload.copy(frame, 6);
  return frame;
}

/** A message's payload; undefined when it has none or it does not decode (the owner's schema then refuses it). */
function unpackPayload(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return unpack(bytes);
  } catch {
    return undefined;
  }
}

/** An ERROR frame's code and message (Colyseus writes the code as a number, then a string). */
function describeError(frame: Buffer): string {
  try {
    const it = { offset: 1 };
    const code = decode.number(frame, it);
    return `${code} ${decode.string(frame, it)}`;
  } catch {
    return 'an unreadable ERROR frame';
  }
}

/** The room's WebSocket address for a reservation, as the SDK's `buildEndpoint` makes it. */
export function roomEndpoint(base: string, reservation: SeatReservation): string {
  const url = new URL(base);
  const host = reservation.publicAddress ?? url.host;
  const scheme = url.protocol === 'https:' ? 'wss' : 'ws';
  let query = `sessionId=${reservation.sessionId}`;
  if (reservation.reconnectionToken) query += `&reconnectionToken=${reservation.reconnectionToken}`;
  return `${scheme}://${host}/${reservation.processId ?? ''}/${reservation.roomId}?${query}`;
}

/**
 * A seat from the matchmaker's HTTP route, the one the SDK's `joinOrCreate(name, options)` calls;
 * the answer is the reservation itself. Throws with the status and body on a refusal.
 */
export async function reserveSeat(base: string, method: 'joinOrCreate' | 'join' | 'create', roomName: string, options: object): Promise<SeatReservation> {
  const response = await fetch(new URL(`/matchmake/${method}/${roomName}`, base), {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(options),
  });
  const body = (await response.json()) as SeatReservation & { error?: string };
  if (!response.ok) throw new Error(`matchmake ${method} ${roomName}: ${response.status} ${body.error ?? ''}`);
  return body;
}

/** One client's seat in one room, joined and held over a raw WebSocket. */
export class LightRoom {
  readonly sessionId: string;
  readonly roomId: string;
  private readonly socket: WebSocket;
  /** Headers of the types this client sends, encoded once. */
  private readonly sendHeaders = new Map<string, Buffer>();
  /** The ROOM_DATA types whose payloads are read, by their header; every other frame is only counted. */
  private readonly handlers: { header: Buffer; handler: (payload: unknown) => void }[] = [];
  private leaveHandler: ((code: number) => void) | undefined;
  private joined = false;
  private leaving = false;

  private constructor(base: string, reservation: SeatReservation, countBytes: (bytes: number) => void, settle: (error?: Error) => void) {
    this.sessionId = reservation.sessionId;
    this.roomId = reservation.roomId;
    this.socket = new WebSocket(roomEndpoint(base, reservation), {
      // The server does not compress (ws-transport's default); not offering it saves the
      // extension's negotiation and per-message checks.
      perMessageDeflate: false,
      // Frames are read as bytes; none is text.
      skipUTF8Validation: true,
      // A zero masking key is legal (RFC 6455 asks the client to mask, not to mask randomly)
      // and lets `ws` skip the XOR and the random bytes for every intent.
      generateMask: (mask) => void mask.fill(0),
    });
    // A Buffer view of each frame: no ArrayBuffer copy, no event object.
    const read = (data: Buffer) => {
      countBytes(data.length);
      this.receive(data, settle);
    };
    this.socket.on('message', read);
    // Once open, the server's whole binary frames are read straight from the socket, as the game
    // server reads its clients' (`ws-reads.ts`): bare Colyseus sends every bot a patch of the whole
    // crowd 20 times a second, and `ws`'s stream machinery for each was most of the light bots' cost.
    this.socket.once('open', () => readServerFramesDirectly(this.socket, read));
    this.socket.on('close', (code) => {
      if (!this.joined) settle(new Error(`room closed before the join (${code})`));
      else if (!this.leaving) this.leaveHandler?.(code);
    });
    // An error is followed by `close`, which settles the join or reports the leave.
    this.socket.on('error', () => undefined);
  }

  /**
   * Joins the room a reservation is for; resolves once the server's JOIN_ROOM has been
   * acknowledged, rejects if the socket closes first or the room sends an ERROR instead.
   * `countBytes` sees every frame's payload length from the first.
   */
  static join(base: string, reservation: SeatReservation, countBytes: (bytes: number) => void): Promise<LightRoom> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!error) return resolve(room);
        room.socket.terminate();
        reject(error);
      };
      const timer = setTimeout(() => settle(new Error(`no JOIN_ROOM within ${JOIN_TIMEOUT_MS / 1000} s`)), JOIN_TIMEOUT_MS);
      const room = new LightRoom(base, reservation, countBytes, settle);
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Reads the payloads of ROOM_DATA messages of `type` (as the SDK's `room.onMessage`). */
  onMessage(type: string, handler: (payload: unknown) => void): void {
    this.handlers.push({ header: roomDataHeader(type), handler });
  }

  /** The server closed the socket under the client (not after `leave()`), with this close code. */
  onLeave(handler: (code: number) => void): void {
    this.leaveHandler = handler;
  }

  /**
   * A message to the room, encoded as the SDK's `room.send(type, payload)` encodes it. A short one
   * (every intent) is framed here and written to the socket in one `write(2)`, as the game server
   * writes its frames (`ws-frames.ts`), unless `ws` holds frames of its own: `ws`'s `send` corks
   * the socket, writes the header and the payload, and uncorks into a `writev`: a fifth of the
   * bots' busy time with thousands of bots, three quarters of it the system call, which stays.
   */
  send(type: string, payload: unknown): void {
    if (!this.isOpen) return;
    let header = this.sendHeaders.get(type);
    if (!header) this.sendHeaders.set(type, (header = roomDataHeader(type)));
    const message = Buffer.concat([header, pack(payload)]);
    const socket = message.length < 126 ? idleSocketOf(this.socket) : undefined;
    if (socket) writeTo(socket, clientFrame(message));
    else this.socket.send(message);
  }

  /** Leaves as the SDK does (LEAVE_ROOM, the server closes); resolves once the socket is closed. */
  leave(): Promise<void> {
    this.leaving = true;
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      if (this.isOpen) this.socket.send(Buffer.of(Protocol.LEAVE_ROOM));
      else this.socket.terminate();
    });
  }

  private receive(data: Buffer, settle: (error?: Error) => void): void {
    switch (data[0]! & PROTOCOL_CODE_MASK) {
      case Protocol.ROOM_DATA: {
        for (const { header, handler } of this.handlers) {
          if (data.length >= header.length && data.compare(header, 0, header.length, 0, header.length) === 0) handler(unpackPayload(data.subarray(header.length)));
        }
        return;
      }
      case Protocol.JOIN_ROOM:
        // The acknowledgement; the server sends the full state after it.
        this.joined = true;
        this.socket.send(Buffer.of(Protocol.JOIN_ROOM));
        settle();
        return;
      case Protocol.ERROR:
        // A refused join (an expired reservation...), with the server's code and message; after
        // the join, errors are only counted.
        if (!this.joined) settle(new Error(`the room refused the join: ${describeError(data)}`));
        return;
      case Protocol.LEAVE_ROOM:
        // The server asks the client to leave; the SDK answers with LEAVE_ROOM.
        this.socket.send(Buffer.of(Protocol.LEAVE_ROOM));
        return;
      default:
        // State, patches and pongs: counted, never decoded.
        return;
    }
  }
}
