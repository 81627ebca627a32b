import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { heardFrom, SlicedHeartbeat, SlicedHeartbeatTransport, type HeartbeatSocket } from '../src/game/heartbeat.js';

class FakeSocket implements HeartbeatSocket {
  pingCount?: number;
  heard?: boolean;
  pings = 0;
  terminated = false;
  constructor(readonly answers: boolean) {}
  ping(): void {
    this.pings += 1;
    // Colyseus's pong handler resets the count.
    if (this.answers) this.pingCount = 0;
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('sliced heartbeat (Colyseus pings spread over the interval)', () => {
  it('pings each client once per interval, a slice of them at each beat, and never drops one that answers', () => {
    const sockets = Array.from({ length: 300 }, () => new FakeSocket(true));
    const heartbeat = new SlicedHeartbeat(() => sockets, { intervalMs: 3000, maxRetries: 2, sliceMs: 100 });
    assert.equal(heartbeat.slices, 30);
    for (let interval = 1; interval <= 4; interval += 1) {
      const slices: number[] = [];
      for (let beat = 0; beat < heartbeat.slices; beat += 1) {
        const before = sockets.reduce((sum, s) => sum + s.pings, 0);
        heartbeat.beat();
        slices.push(sockets.reduce((sum, s) => sum + s.pings, 0) - before);
      }
      // 300 clients over 30 slices: 10 at every beat, not 300 at one.
      assert.deepEqual(slices, Array.from({ length: 30 }, () => 10), `interval ${interval}`);
      for (const socket of sockets) assert.equal(socket.pings, interval);
    }
    assert.ok(sockets.every((s) => !s.terminated));
  });

  it('drops a client that left maxRetries pings unanswered, at its next turn', () => {
    const silent = new FakeSocket(false);
    const sockets = [new FakeSocket(true), silent];
    const heartbeat = new SlicedHeartbeat(() => sockets, { intervalMs: 300, maxRetries: 2, sliceMs: 100 });
    const interval = () => {
      for (let beat = 0; beat < heartbeat.slices; beat += 1) heartbeat.beat();
    };
    interval();
    interval();
    assert.equal(silent.pings, 2);
    assert.equal(silent.terminated, false);
    interval();
    assert.equal(silent.terminated, true);
    assert.equal(silent.pings, 2);
    assert.equal(sockets[0]!.terminated, false);
  });

  it('spares a ping to a client heard from since its last turn, and starts its count of unanswered pings again', () => {
    const talking = new FakeSocket(false);
    const quiet = new FakeSocket(true);
    const sockets = [talking, quiet];
    const heartbeat = new SlicedHeartbeat(() => sockets, { intervalMs: 200, maxRetries: 2, sliceMs: 100 });
    const interval = () => {
      for (let beat = 0; beat < heartbeat.slices; beat += 1) heartbeat.beat();
    };
    // It never answers a ping, but it keeps sending: one unanswered ping, then frames, again and again.
    for (let round = 0; round < 5; round += 1) {
      interval();
      heardFrom(talking);
      interval();
    }
    assert.equal(talking.pings, 5);
    assert.equal(talking.terminated, false);
    assert.equal(quiet.pings, 10);
    // Once it falls silent, two unanswered pings and it is dropped at its next turn, as any client.
    interval();
    interval();
    assert.equal(talking.terminated, false);
    interval();
    assert.equal(talking.terminated, true);
    assert.equal(talking.pings, 7);
  });

  it('gives a client that joins later a turn of its own', () => {
    const sockets = [new FakeSocket(true)];
    const heartbeat = new SlicedHeartbeat(() => sockets, { intervalMs: 200, maxRetries: 2, sliceMs: 100 });
    heartbeat.beat();
    sockets.push(new FakeSocket(true));
    heartbeat.beat();
    heartbeat.beat();
    heartbeat.beat();
    assert.deepEqual(sockets.map((s) => s.pings), [2, 2]);
  });
});

describe('sliced heartbeat transport', () => {
  it("runs the sliced heartbeat on Colyseus's own timer: started when the HTTP server listens, stopped when it closes", async () => {
    class Probe extends SlicedHeartbeatTransport {
      get clients(): Set<unknown> {
        return this.wss.clients as Set<unknown>;
      }
    }
    const http = createServer();
    const transport = new Probe({ server: http, pingInterval: 200 });
    const socket = new FakeSocket(true);
    transport.clients.add(socket);
    http.emit('listening');
    await sleep(260);
    assert.equal(socket.pings, 1);
    http.emit('close');
    await sleep(260);
    assert.equal(socket.pings, 1);
    transport.clients.delete(socket);
  });
});
