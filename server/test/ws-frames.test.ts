import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Client } from '@colyseus/core';
import { WebSocket, WebSocketServer } from 'ws';
import { ScratchList } from '../src/game/scratch-list.js';
import { directSocket, framesJoining, framesOf, writeTo } from '../src/game/rooms/ws-frames.js';

/** Frames written straight to the socket, as the room's patches go, read by a real `ws` client. */
describe('WebSocket frames written directly', () => {
  let server: WebSocketServer;
  let serverSide: WebSocket;
  let clientSide: WebSocket;
  const received: Buffer[] = [];

  beforeEach(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const accepted = once(server, 'connection');
    clientSide = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    received.length = 0;
    clientSide.on('message', (data: Buffer) => received.push(data));
    [serverSide] = (await accepted) as [WebSocket];
    await once(clientSide, 'open');
  });

  afterEach(async () => {
    clientSide.terminate();
    await new Promise((done) => server.close(done));
  });

  const until = async (count: number) => {
    for (let waited = 0; received.length < count && waited < 3000; waited += 10) await new Promise((done) => setTimeout(done, 10));
  };
  const bytes = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));

  it('delivers every frame of one buffer as its own message, whatever its length (1-, 2- and 8-byte lengths)', async () => {
    const payloads = [bytes(5, 1), bytes(125, 2), bytes(126, 3), bytes(300, 4), bytes(65_535, 5), bytes(70_000, 6), bytes(0, 7)];
    const socket = directSocket({ ref: serverSide } as unknown as Client);
    assert.ok(socket, 'an open connection takes frames directly');
    writeTo(socket, framesOf(payloads));
    await until(payloads.length);
    assert.deepEqual(received, payloads);
  });

  it('falls back to the stream where the kernel takes only part (a reader that stopped reading) and loses nothing', async () => {
    // The client stops reading: the kernel's buffers fill, direct writes come short, the rest queues in the stream.
    clientSide.pause();
    const socket = directSocket({ ref: serverSide } as unknown as Client)!;
    const payloads = Array.from({ length: 400 }, (_, i) => bytes(10_000 + i, i));
    for (const payload of payloads) writeTo(socket, framesOf([payload]), 16 * 1024 * 1024);
    assert.ok(socket.writableLength > 0, 'the stream holds what the kernel did not take');
    clientSide.resume();
    await until(payloads.length);
    assert.equal(received.length, payloads.length);
    assert.ok(received.every((data, i) => data.equals(payloads[i]!)), 'every message whole and in order');
  });

  it('lets go of a client that does not read once more than the bound waits unwritten, and never holds more', async () => {
    clientSide.pause();
    const closed = once(serverSide, 'close');
    const socket = directSocket({ ref: serverSide } as unknown as Client)!;
    const bound = 256 * 1024;
    let most = 0;
    for (let i = 0; i < 2000 && !socket.destroyed; i += 1) {
      writeTo(socket, framesOf([bytes(10_000, i)]), bound);
      most = Math.max(most, socket.writableLength);
    }
    assert.ok(socket.destroyed, 'the socket was let go');
    assert.ok(most <= bound, `${most} bytes waited, over the bound of ${bound}`);
    await closed;
  });

  it('keeps the order of what `ws` sends around it, and one buffer can go to several clients', async () => {
    serverSide.send(bytes(10, 1));
    const shared = framesOf([bytes(20, 2), bytes(30, 3)]);
    writeTo(directSocket({ ref: serverSide } as unknown as Client)!, shared);
    writeTo(directSocket({ ref: serverSide } as unknown as Client)!, shared);
    serverSide.send(bytes(40, 4));
    await until(6);
    assert.deepEqual(
      received.map((data) => data.length),
      [10, 20, 30, 20, 30, 40],
    );
  });

  it('frames a payload joined from pieces after the messages, as one frame of the whole (each length form)', async () => {
    for (const sizes of [[1, 0, 3], [60, 66], [100, 200, 0, 65_000], [40_000, 40_000]]) {
      received.length = 0;
      const messages = [bytes(7, 1), bytes(130, 2)];
      const rest = new ScratchList<Uint8Array>();
      sizes.slice(1).forEach((size, i) => rest.push(bytes(size, 10 + i)));
      const head = bytes(sizes[0]!, 9);
      const joined = Buffer.concat([head, ...sizes.slice(1).map((size, i) => bytes(size, 10 + i))]);
      const frames = framesJoining(messages, head, rest);
      assert.deepEqual(frames, framesOf([...messages, joined]), `pieces of ${sizes.join(', ')} bytes`);
      writeTo(directSocket({ ref: serverSide } as unknown as Client)!, frames);
      await until(3);
      assert.deepEqual(received, [...messages, joined]);
    }
  });

  it('refuses a connection that is closing or has no `ws` underneath (the caller sends through Colyseus)', () => {
    assert.equal(directSocket({ ref: undefined } as unknown as Client), undefined);
    serverSide.close();
    assert.equal(directSocket({ ref: serverSide } as unknown as Client), undefined);
  });
});
