import { ServerError, type Client, type RoomException, type RoomMethodName } from '@colyseus/core';
import type { Logger } from '@mmo/platform';
import { clientMessageSchemas, ErrorCode, GameCloseCode, ServerMessage, type ClientMessageName, type ClientMessages, type RoomError } from '@mmo/shared';
import { inspectFrame, MessageFault, summarizeIssues } from './message-boundary.js';
import { readSmallFramesDirectly } from './ws-reads.js';

/** What the boundary needs of its room. */
export interface BoundaryRoom {
  readonly roomId: string;
  /** Colyseus's own forced close: stops reading the client's frames at once, runs the leave, then closes. */
  kickClient(sessionId: string, closeCode: number, reason: string): void;
}

/** A handler of one client message, given its payload once it has passed its schema. */
export type MessageHandler<K extends ClientMessageName> = (client: Client, message: ClientMessages[K]) => void;

/** At most this many distinct server faults are remembered per room, so that each is logged once. */
const REMEMBERED_FAULTS = 64;

/**
 * The error boundary of one room: what a client sends is judged here before any handler sees it,
 * and what goes wrong inside the room stays inside it.
 *
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

  constructor(
    private readonly room: BoundaryRoom,
    private readonly logger: Logger,
    /** The character a connection plays, for the log; undefined before join or after leave. */
    private readonly characterOf: (sessionId: string) => string | undefined,
  ) {}

  /**
   * Reads every frame of a joined client before Colyseus does. Called at the end of `onJoin` and
   * `onReconnect`, before Colyseus attaches its own listener, so this one runs first; a refused
   * frame closes the client, which marks it leaving, and Colyseus then skips the frame.
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
    let joinAcknowledged = false;
    // A client's intents skip the stream machinery of Node's socket and of `ws` (`ws-reads.ts`); its messages are the same.
    readSmallFramesDirectly(client.ref);
    client.ref.on('message', (data: Buffer, isBinary: boolean) => {
      const verdict = inspectFrame(data, isBinary, joinAcknowledged);
      if (verdict.kind === 'joinAck') joinAcknowledged = true;
      else if (verdict.kind === 'refuse') {
        this.refuse(client, verdict.fault, { bytes: data.length, ...(verdict.messageType ? { messageType: verdict.messageType } : {}) });
      }
    });
  }

  /** Wraps a handler so that it receives only payloads that pass the message's schema. */
  accept<K extends ClientMessageName>(name: K, handler: MessageHandler<K>): (client: Client, payload: unknown) => void {
    const schema = clientMessageSchemas[name];
    return (client, payload) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        this.refuse(client, MessageFault.malformed, { messageType: name, issues: summarizeIssues(parsed.error) });
        return;
      }
      handler(client, parsed.data as ClientMessages[K]);
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
    if (method === 'onMessage' && client) {
      const refusal: RoomError = { code: ErrorCode.INTERNAL, message: 'That did not work; try again.' };
      client.send(ServerMessage.error, refusal);
      this.logOnce(`${method}:${client.sessionId}`, cause, { method, ...this.ids(client.sessionId) });
      return;
    }
    this.logOnce(`${method}:${cause.message}`, cause, { method, roomId: this.room.roomId });
  }

  /** Runs a promise the room does not wait for: a rejection is logged, never left unhandled. */
  background(work: Promise<unknown>, what: string): void {
    work.catch((error: unknown) => this.contain(error, what));
  }

  /** Logs (once per kind) an error caught where Colyseus does not catch for the room. */
  contain(error: unknown, what: string): void {
    const cause = error instanceof Error ? error : new Error(String(error));
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
