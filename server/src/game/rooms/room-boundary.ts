import { ClientState, ServerError, type Client, type RoomException, type RoomMethodName } from '@colyseus/core';
import type { Logger } from '@mmo/platform';
import { clientMessageSchemas, ErrorCode, GameCloseCode, ServerMessage, type ClientMessageName, type ClientMessages, type RoomError } from '@mmo/shared';
import { heardFrom } from '../heartbeat.js';
import { MessageFault, readFrame, summarizeIssues } from './message-boundary.js';
import { readSmallFramesDirectly } from './ws-reads.js';

/** What the boundary needs of its room. */
export interface BoundaryRoom {
  readonly roomId: string;
  /** The room's clock: a client's messages are counted per second of it, as Colyseus counts them. */
  readonly clock: { readonly currentTime: number };
  /** More frames than this in a second of the room's clock close the sender. */
  readonly maxMessagesPerSecond: number;
  /** Colyseus's own forced close: stops reading the client's frames at once, runs the leave, then closes. */
  kickClient(sessionId: string, closeCode: number, reason: string): void;
}

/** A handler of one client message, given its payload once it has passed its schema. */
export type MessageHandler<K extends ClientMessageName> = (client: Client, message: ClientMessages[K]) => void;

/** Colyseus's reader of one client frame (`Room._onMessage`), which the boundary stands in front of. */
type FrameReader = (client: Client, data: Buffer, isBinary?: boolean) => void;

/** What the boundary keeps of a joined client's frames. */
interface ClientFrames {
  joinAcknowledged: boolean;
  /** Frames in the second of the room's clock that ends at `countResetsAt`. */
  count: number;
  countResetsAt: number;
}

/** Nothing read yet: the join acknowledgement still due, no frame counted. */
function freshFrames(): ClientFrames {
  return { joinAcknowledged: false, count: 0, countResetsAt: 0 };
}

/** What was thrown, as an Error (a thrown string or value wrapped). */
function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/** At most this many distinct server faults are remembered per room, so that each is logged once. */
const REMEMBERED_FAULTS = 64;

/**
 * The error boundary of one room: what a client sends is judged here before any handler sees it,
 * and what goes wrong inside the room stays inside it.
 *
 * - Every frame of a joined client is read here, in place of Colyseus's reader (`interceptFrames`),
 *   and decoded once: a message goes from here to its handler, pings, leaves and the join
 *   acknowledgement on to Colyseus. More than `maxMessagesPerSecond` frames in a second of the
 *   room's clock close the sender with 4002, as Colyseus's own count would (which still stands
 *   behind this one for what goes on to it).
 * - A frame a client of this room never sends (text, empty, unknown protocol code, a second
 *   join, a request, a message name outside the shared table, undecodable bytes) and a payload
 *   that fails its schema close that client with 4002 and a fixed reason. The offence is logged
 *   at `warn`, once per connection, with the ids and a bounded summary (never the payload).
 * - An exception in a message handler is logged once per connection and answered `INTERNAL`;
 *   one in a timer, tick or lifecycle hook is logged once per room and kind; the room and the
 *   process go on. A promise the room does not await goes through `background`.
 */
export class RoomBoundary {
  /** Connections already logged for an offence: one line per connection, however many frames. */
  private readonly offenders = new Set<string>();
  /** Server faults already logged in this room (handler faults by connection, others by kind). */
  private readonly faults = new Set<string>();
  /** Each joined client's frames so far. */
  private readonly frames = new WeakMap<Client, ClientFrames>();
  /** The room's message handlers by name, each behind its schema (`handle`). */
  private readonly handlers = new Map<ClientMessageName, (client: Client, payload: unknown) => void>();
  /** Colyseus's own reader, for the frames it answers (pings, leaves, the join acknowledgement). */
  private colyseus: FrameReader | undefined;

  constructor(
    private readonly room: BoundaryRoom,
    private readonly logger: Logger,
    /** The character a connection plays, for the log; undefined before join or after leave. */
    private readonly characterOf: (sessionId: string) => string | undefined,
  ) {}

  /**
   * Makes this boundary the reader of every frame the room's clients send: Colyseus binds the
   * room's `_onMessage` to each client as it joins (after `onJoin`), and that is this boundary's
   * `read` from now on. Call in `onCreate`. Throws if this Colyseus reads frames otherwise, so
   * that a room never runs with its frames unread by the boundary.
   */
  interceptFrames(): void {
    const room = this.room as unknown as { _onMessage?: FrameReader };
    const colyseus = room._onMessage;
    if (typeof colyseus !== 'function') throw new Error('this Colyseus has no Room._onMessage for the boundary to stand in front of');
    this.colyseus = (client, data) => colyseus.call(room, client, data);
    room._onMessage = (client, data, isBinary = true) => this.read(client, data, isBinary);
  }

  /**
   * Prepares for a joined client's frames: called at the end of `onJoin` and `onReconnect`,
   * before Colyseus starts reading them.
   */
  guard(client: Client): void {
    // A WebSocket's error events are the peer's protocol faults (a frame over the 4 KB limit, bad
    // framing or UTF-8): `ws` closes with its own code (1009, 1002...) and the room lets the
    // client go as for 4002, with no reconnection. The transport's own listener would log each
    // at error level with a stack; this one logs a short warn line once per connection. A
    // listener must stay, or the error event would be thrown.
    client.ref.removeAllListeners('error');
    client.ref.on('error', (error: Error & { code?: string }) => {
      this.offence(client, MessageFault.socketError, { code: error.code });
      this.room.kickClient(client.sessionId, GameCloseCode.PROTOCOL_VIOLATION, MessageFault.socketError);
    });
    this.frames.set(client, freshFrames());
    // Just joined, so there: set now, the flag is one more field of every socket from the start.
    heardFrom(client.ref);
    // A client's intents skip the stream machinery of Node's socket and of `ws` (`ws-reads.ts`),
    // and come straight here rather than through a `message` event and Colyseus's listener.
    readSmallFramesDirectly(client.ref, (data) => this.read(client, data, true));
  }

  /** Registers the handler of one message name; it receives only payloads that pass the message's schema. */
  handle<K extends ClientMessageName>(name: K, handler: MessageHandler<K>): void {
    this.handlers.set(name, this.accept(name, handler));
  }

  /**
   * Reads one frame of a joined client (Colyseus's `_onMessage`, once `interceptFrames` ran):
   * counts it, decodes it once, and hands a message to its handler, a ping, a leave or the join
   * acknowledgement to Colyseus; anything else closes the client. What a handler throws is
   * answered `INTERNAL` and logged once per connection.
   */
  read(client: Client, data: Buffer, isBinary: boolean): void {
    if (client.state === ClientState.LEAVING) return;
    // The client is there: the heartbeat spares it its next ping.
    heardFrom(client.ref);
    let frames = this.frames.get(client);
    if (!frames) this.frames.set(client, (frames = freshFrames()));
    const now = this.room.clock.currentTime;
    if (now >= frames.countResetsAt) {
      frames.count = 1;
      frames.countResetsAt = now + 1000;
    } else if (++frames.count > this.room.maxMessagesPerSecond) {
      this.refuse(client, MessageFault.flood, { perSecond: this.room.maxMessagesPerSecond });
      return;
    }
    const verdict = readFrame(data, isBinary, frames.joinAcknowledged);
    switch (verdict.kind) {
      case 'message':
        this.dispatch(client, verdict.type, verdict.payload);
        return;
      case 'joinAck':
      case 'pass':
        if (verdict.kind === 'joinAck') frames.joinAcknowledged = true;
        this.colyseus?.(client, data);
        return;
      case 'refuse':
        this.refuse(client, verdict.fault, { bytes: data.length, ...(verdict.messageType ? { messageType: verdict.messageType } : {}) });
        return;
    }
  }

  private dispatch(client: Client, type: ClientMessageName, payload: unknown): void {
    const handler = this.handlers.get(type);
    if (!handler) {
      this.refuse(client, MessageFault.unknownType, { messageType: type });
      return;
    }
    try {
      handler(client, payload);
    } catch (error) {
      this.handlerFault(client, asError(error));
    }
  }

  /** Wraps a handler so that it receives only payloads that pass the message's schema. */
  private accept<K extends ClientMessageName>(name: K, handler: MessageHandler<K>): (client: Client, payload: unknown) => void {
    const schema = clientMessageSchemas[name];
    return (client, payload) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        this.refuse(client, MessageFault.malformed, { messageType: name, issues: summarizeIssues(parsed.error) });
        return;
      }
      // Typed to return nothing, but an async function fits that type: its rejection is this
      // client's fault report too, never an unhandled rejection (which would end the process).
      const result: unknown = handler(client, parsed.data as ClientMessages[K]);
      if (result instanceof Promise) result.catch((error: unknown) => this.handlerFault(client, asError(error)));
    };
  }

  /** Closes a client for what it sent, with 4002 and a reason that is fixed text. */
  refuse(client: Client, fault: MessageFault, details: Record<string, unknown> = {}): void {
    this.offence(client, fault, details);
    this.room.kickClient(client.sessionId, GameCloseCode.PROTOCOL_VIOLATION, fault);
  }

  private offence(client: Client, fault: MessageFault, details: Record<string, unknown>): void {
    if (this.offenders.has(client.sessionId)) return;
    this.offenders.add(client.sessionId);
    this.logger.warn({ ...this.ids(client.sessionId), fault, ...details }, 'closed a client for what it sent');
  }

  /** Colyseus's `onUncaughtException`: everything the room's hooks, handlers and timers throw. */
  onException(error: RoomException, method: RoomMethodName): void {
    const cause = error.cause instanceof Error ? error.cause : error;
    // A refused join or reconnection (ServerError) is an answer to the client, not a fault.
    if (cause instanceof ServerError) return;
    const client = 'client' in error ? (error.client as Client | undefined) : undefined;
    if (method === 'onMessage' && client) this.handlerFault(client, cause);
    else this.logOnce(`${method}:${cause.message}`, cause, { method, roomId: this.room.roomId });
  }

  /** A message handler threw: the client is told it did not work, the fault logged once per connection. */
  private handlerFault(client: Client, cause: Error): void {
    if (cause instanceof ServerError) return;
    const refusal: RoomError = { code: ErrorCode.INTERNAL, message: 'That did not work; try again.' };
    client.send(ServerMessage.error, refusal);
    this.logOnce(`onMessage:${client.sessionId}`, cause, { method: 'onMessage', ...this.ids(client.sessionId) });
  }

  /** Runs a promise the room does not wait for: a rejection is logged, never left unhandled. */
  background(work: Promise<unknown>, what: string): void {
    work.catch((error: unknown) => this.contain(error, what));
  }

  /** Logs (once per kind) an error caught where Colyseus does not catch for the room. */
  contain(error: unknown, what: string): void {
    const cause = asError(error);
    this.logOnce(`${what}:${cause.message}`, cause, { method: what, roomId: this.room.roomId });
  }

  /** Forgets a connection that has left. */
  forget(sessionId: string): void {
    this.offenders.delete(sessionId);
    for (const key of this.faults) if (key.endsWith(`:${sessionId}`)) this.faults.delete(key);
  }

  private logOnce(key: string, error: Error, fields: Record<string, unknown>): void {
    // Past the cap nothing more is logged: a room in a fault loop must not flood the log.
    if (this.faults.has(key) || this.faults.size >= REMEMBERED_FAULTS) return;
    this.faults.add(key);
    this.logger.error({ err: error, ...fields }, 'a room fault was contained');
  }

  private ids(sessionId: string): Record<string, unknown> {
    return { roomId: this.room.roomId, sessionId, characterId: this.characterOf(sessionId) };
  }
}
