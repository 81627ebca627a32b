// The benchmark's light client (scripts/bench/light-bot.ts) against a real Colyseus 0.18 server
// in this process (@colyseus/core, @colyseus/ws-transport with its pings every 100 ms): it must
// speak the room protocol as the SDK does, or the bench would measure a crowd the server drops.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { matchMaker, Room, Server, type Client } from '@colyseus/core';
import { schema, t, type SchemaType } from '@colyseus/schema';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { transferMessageSchema, type SeatReservation } from '@mmo/shared';
import { LightRoom, reserveSeat } from '../scripts/bench/light-bot.js';

const PING_INTERVAL_MS = 100;

const CounterState = schema({ ticks: t.uint32(), names: t.map('string') }, 'LightBotTestState');
type CounterState = SchemaType<typeof CounterState>;

/** What the rooms saw, for the assertions. */
const seen = { moves: [] as { roomId: string; sessionId: string; message: unknown }[], leaves: [] as { roomId: string; sessionId: string }[] };

/** A room that changes its state every tick (so that patches flow) and records what clients send. */
class RecordingRoom extends Room<{ state: CounterState }> {
  override onCreate(): void {
    this.state = new CounterState();
    this.onMessage('move', (client, message: unknown) => seen.moves.push({ roomId: this.roomId, sessionId: client.sessionId, message }));
    // A transfer as the game sends it: a seat in another room, which the client consumes.
    this.onMessage('ask_transfer', (client) => {
      void (async () => {
        const other = await matchMaker.createRoom('recording', {});
        const reservation = await matchMaker.reserveSeatFor(other, {});
        client.send('transfer', { reservation, area: 'elsewhere' });
      })();
    });
    this.setSimulationInterval(() => void (this.state.ticks += 1), 50);
    this.setPatchRate(50);
  }

  override onJoin(client: Client): void {
    this.state.names.set(client.sessionId, `player ${client.sessionId}`);
  }

  override onLeave(client: Client): void {
    seen.leaves.push({ roomId: this.roomId, sessionId: client.sessionId });
    this.state.names.delete(client.sessionId);
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe('bench light bot', () => {
  let server: Server;
  let base: string;

  before(async () => {
    const http = createServer();
    server = new Server({ transport: new WebSocketTransport({ server: http, pingInterval: PING_INTERVAL_MS, pingMaxRetries: 2 }), greet: false, gracefullyShutdown: false });
    server.define('recording', RecordingRoom);
    await server.listen(0);
    const address = http.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    await server.gracefullyShutdown(false);
  });

  beforeEach(() => {
    seen.moves.length = 0;
    seen.leaves.length = 0;
  });

  it('joins through the matchmaker, stays joined past ten ping intervals, counts its bytes, and its intents reach the room', async () => {
    let received = 0;
    const reservation = await reserveSeat(base, 'joinOrCreate', 'recording', {});
    const room = await LightRoom.join(base, reservation, (bytes) => (received += bytes));
    let closedUnder: number | undefined;
    room.onLeave((code) => (closedUnder = code));
    assert.equal(room.sessionId, reservation.sessionId);

    await sleep(PING_INTERVAL_MS * 10);
    assert.equal(closedUnder, undefined, 'the server did not drop the client');
    assert.ok(room.isOpen);
    const [listing] = await matchMaker.query({ roomId: reservation.roomId });
    assert.equal(listing?.clients, 1);
    // The handshake, the full state after the acknowledgement, and a patch each 50 ms.
    const afterJoin = received;
    await sleep(500);
    assert.ok(received - afterJoin > 5 * 5, `patches counted (${received - afterJoin} bytes in 500 ms)`);

    room.send('move', { dx: 1, dy: -1 });
    room.send('move', { to: { x: 12, y: 34 } });
    await until(() => seen.moves.length === 2, 'both intents reached the room');
    assert.deepEqual(seen.moves, [
      { roomId: reservation.roomId, sessionId: reservation.sessionId, message: { dx: 1, dy: -1 } },
      { roomId: reservation.roomId, sessionId: reservation.sessionId, message: { to: { x: 12, y: 34 } } },
    ]);

    await room.leave();
    await until(() => seen.leaves.length === 1, 'the room saw the leave');
    assert.equal(closedUnder, undefined, 'a leave the client asked for is not reported as a close under it');
  });

  it('reads a transfer and joins the room of its reservation, leaving the first', async () => {
    const first = await LightRoom.join(base, await reserveSeat(base, 'joinOrCreate', 'recording', {}), () => undefined);
    const transfer = new Promise<SeatReservation>((done) => first.onMessage('transfer', (message) => done(transferMessageSchema.parse(message).reservation)));
    first.send('ask_transfer', {});
    const reservation = await transfer;
    assert.notEqual(reservation.roomId, first.roomId);

    const next = await LightRoom.join(base, reservation, () => undefined);
    await first.leave();
    next.send('move', { dx: 0, dy: 1 });
    await until(() => seen.moves.length === 1, 'the intent reached the new room');
    assert.deepEqual(seen.moves[0], { roomId: reservation.roomId, sessionId: reservation.sessionId, message: { dx: 0, dy: 1 } });
    assert.deepEqual(seen.leaves, [{ roomId: first.roomId, sessionId: first.sessionId }]);
    await next.leave();
  });

  it('rejects the join when the reservation is not the room’s', async () => {
    const reservation = await reserveSeat(base, 'joinOrCreate', 'recording', {});
    await assert.rejects(LightRoom.join(base, { ...reservation, sessionId: 'nobody' }, () => undefined), /the room refused the join: 524 seat reservation expired/);
  });
});
