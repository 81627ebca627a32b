import { WebSocketTransport } from '@colyseus/ws-transport';

/** The parts of a `ws` socket the heartbeat uses; `pingCount` is Colyseus's, reset on every pong. */
export interface HeartbeatSocket {
  pingCount?: number;
  /** A frame arrived from the client since its last turn (`heardFrom`). */
  heard?: boolean;
  ping(callback: () => void): void;
  terminate(): void;
}

/** How often a slice of the clients is pinged. */
export const HEARTBEAT_SLICE_MS = 100;

const noop = () => undefined;

/**
 * Notes that a frame arrived from the client: on its next turn the heartbeat counts that as an
 * answer and sends no ping. The room's boundary calls it for every frame it reads.
 */
export function heardFrom(socket: object): void {
  (socket as HeartbeatSocket).heard = true;
}

/**
 * Colyseus's heartbeat, in slices. Its transport pings every client at once every 3 s and drops
 * those that missed two pings; each ping is a `ws` frame and a socket write, so with 1,000
 * clients that is one macrotask of about 50 ms, which delays whichever tick it lands beside
 * (a late tick every few seconds in a crowd that otherwise holds 20 Hz). Here each client
 * gets a turn, one of `intervalMs / sliceMs`, when it joins, and every `sliceMs` the clients
 * whose turn it is are pinged or dropped by the same rule: the same pings, spread evenly.
 *
 * A client heard from since its last turn (`heardFrom`: any frame, a move every 250 ms while a
 * player walks) is not pinged: its own frames show the connection is alive, as a pong would,
 * and its count of unanswered pings starts again. Only quiet clients are pinged. A ping is a
 * write on the server and its pong a read of a control frame, which goes through `ws`'s own
 * receiver: with 3,000 players walking that was about 1,000 of each a second for nothing.
 */
export class SlicedHeartbeat {
  readonly slices: number;
  /** How often `beat` is due: the interval over the slices. */
  readonly beatMs: number;
  private readonly turns = new WeakMap<HeartbeatSocket, number>();
  private nextTurn = 0;
  private turn = 0;

  constructor(
    private readonly clients: () => Iterable<HeartbeatSocket>,
    private readonly options: { intervalMs: number; maxRetries: number; sliceMs: number },
  ) {
    this.slices = Math.max(1, Math.round(options.intervalMs / options.sliceMs));
    this.beatMs = options.intervalMs / this.slices;
  }

  /** One slice: pings the clients whose turn it is, and drops those that left `maxRetries` pings unanswered. */
  beat(): void {
    const turn = this.turn;
    this.turn = (turn + 1) % this.slices;
    for (const socket of this.clients()) {
      let own = this.turns.get(socket);
      if (own === undefined) {
        own = this.nextTurn;
        this.nextTurn = (own + 1) % this.slices;
        this.turns.set(socket, own);
      }
      if (own !== turn) continue;
      if (socket.heard) {
        socket.heard = false;
        socket.pingCount = 0;
        continue;
      }
      if ((socket.pingCount ?? 0) >= this.options.maxRetries) {
        socket.terminate();
        continue;
      }
      socket.pingCount = (socket.pingCount ?? 0) + 1;
      socket.ping(noop);
    }
  }
}

/**
 * Colyseus's WebSocket transport with its heartbeat sliced (`SlicedHeartbeat`): the same
 * interval and retries, and the timer Colyseus starts when the HTTP server listens and clears
 * when it closes.
 */
export class SlicedHeartbeatTransport extends WebSocketTransport {
  protected override autoTerminateUnresponsiveClients(pingInterval: number, pingMaxRetries: number): void {
    const heartbeat = new SlicedHeartbeat(() => this.wss.clients as Iterable<HeartbeatSocket>, {
      intervalMs: pingInterval,
      maxRetries: pingMaxRetries,
      sliceMs: HEARTBEAT_SLICE_MS,
    });
    this.pingInterval = setInterval(() => heartbeat.beat(), heartbeat.beatMs);
  }
}
