import { Client, type Room } from '@colyseus/sdk';
import {
  areaSchema,
  ErrorCode,
  GameCloseCode,
  ServerMessage,
  serverMessageSchemas,
  type AreaId,
  type ClientMessageName,
  type ClientMessages,
  type MapAreaView,
  type SeatReservation,
  type ServerMessageName,
  type ServerMessages,
} from '@mmo/shared';

/** A room of the `map_area` type as the page sees it. */
export type GameRoom = Room<unknown, MapAreaView>;

/** How a game connection ended, in words, and where the player goes next. */
export interface ConnectionEnd {
  code: number;
  message: string;
  next: 'characters' | 'login';
}

export interface GameConnectionEvents {
  /** A room was joined (the first, or the next after a portal): draw it. */
  joined(room: GameRoom, area: AreaId): void;
  status(status: 'connecting' | 'online' | 'reconnecting' | 'transferring'): void;
  message<K extends ServerMessageName>(name: K, payload: ServerMessages[K]): void;
  ended(end: ConnectionEnd): void;
}

/**
 * The SDK waits for a room to have been up this long before it reconnects by itself (5 s by
 * default, against reconnect loops). A map-area room keeps a dropped character for
 * `RECONNECT_SECONDS`, so a drop soon after a portal hop is worth reconnecting from too.
 */
const RECONNECT_MIN_UPTIME_MS = 1000;

/**
 * The connection to the game servers: consumes seat reservations (from enter world and from
 * `transfer`), parses every server message with its schema, follows portals, and turns close
 * codes into words.
 */
export class GameConnection {
  private room: GameRoom | undefined;
  private readonly client: Client;

  constructor(
    private readonly events: GameConnectionEvents,
    base = location.origin,
  ) {
    this.client = new Client(base);
  }

  get current(): GameRoom | undefined {
    return this.room;
  }

  async join(reservation: SeatReservation, area: AreaId): Promise<void> {
    this.events.status('connecting');
    const room = await this.client.consumeSeatReservation<MapAreaView>(reservation);
    this.attach(room as GameRoom, area);
  }

  send<K extends ClientMessageName>(name: K, payload: ClientMessages[K]): void {
    this.room?.send(name, payload);
  }

  /** Leaves the world on purpose (back to the characters, log out). */
  async leave(): Promise<void> {
    const room = this.room;
    this.room = undefined;
    if (!room) return;
    room.removeAllListeners();
    await room.leave(true).catch(() => undefined);
  }

  private attach(room: GameRoom, area: AreaId): void {
    this.room = room;
    room.reconnection.minUptime = RECONNECT_MIN_UPTIME_MS;
    // A moderator's ban or kick arrives as an `error` with the reason just before the close.
    let sanction: string | undefined;
    for (const name of Object.keys(serverMessageSchemas) as ServerMessageName[]) {
      room.onMessage(name, (raw: unknown) => {
        const parsed = serverMessageSchemas[name].safeParse(raw);
        if (!parsed.success) return;
        if (name === ServerMessage.transfer) {
          void this.transfer(room, parsed.data as ServerMessages['transfer']);
          return;
        }
        if (name === ServerMessage.error) {
          const error = parsed.data as ServerMessages['error'];
          if (error.code === ErrorCode.ACCOUNT_BANNED || error.code === ErrorCode.KICKED) sanction = error.message;
        }
        this.events.message(name, parsed.data as ServerMessages[typeof name]);
      });
    }
    room.onDrop(() => this.events.status('reconnecting'));
    room.onReconnect(() => this.events.status('online'));
    room.onLeave((code) => {
      if (this.room !== room) return;
      this.room = undefined;
      this.events.ended(describeClose(code, sanction));
    });
    this.events.joined(room, area);
    this.events.status('online');
  }

  /** A portal: join the reserved seat in the next area, then leave this room. */
  private async transfer(from: GameRoom, message: ServerMessages['transfer']): Promise<void> {
    if (this.room !== from) return;
    this.events.status('transferring');
    const area = areaSchema.shape.id.parse(message.area);
    try {
      const next = await this.client.consumeSeatReservation<MapAreaView>(message.reservation);
      from.removeAllListeners();
      void from.leave(true).catch(() => undefined);
      this.attach(next as GameRoom, area);
    } catch {
      from.removeAllListeners();
      this.room = undefined;
      this.events.ended({ code: 0, message: 'The next area could not be reached. Please enter the world again.', next: 'characters' });
    }
  }
}

/** Words for each way a room connection ends, and where the page goes after it. */
export function describeClose(code: number, reason?: string): ConnectionEnd {
  switch (code) {
    case GameCloseCode.BANNED:
      return { code, message: reason ?? 'This account was banned by a moderator.', next: 'login' };
    case GameCloseCode.KICKED:
      return { code, message: reason ?? 'A moderator ended this connection.', next: 'characters' };
    case GameCloseCode.TAKEN_OVER:
      return { code, message: 'This character was entered in the world from another window or device.', next: 'characters' };
    case GameCloseCode.SESSION_REVOKED:
      return { code, message: 'Your session was ended (logged out elsewhere, ended from the session list, or banned). Please log in again.', next: 'login' };
    case GameCloseCode.CHARACTER_GONE:
      return { code, message: 'This character was deleted.', next: 'characters' };
    case GameCloseCode.TRANSFERRED:
      return { code, message: 'The move to the next area did not complete. Please enter the world again.', next: 'characters' };
    case GameCloseCode.PROTOCOL_VIOLATION:
      return { code, message: 'The server closed the connection after a message it could not read.', next: 'characters' };
    default:
      return { code, message: 'The connection to the game was lost and could not be restored.', next: 'characters' };
  }
}

