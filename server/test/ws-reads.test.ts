import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { WebSocket as WsClient, WebSocketServer, type WebSocket } from 'ws';
import { createRng, nextInt, type Rng } from '../src/game/world/rng.js';

/** A whole number in [0, n). */
const below = (rng: Rng, n: number) => nextInt(rng, 0, n - 1);
import { isWholeServerFrames, isWholeSmallFrames, readServerFramesDirectly, readSmallFramesDirectly } from '../src/game/rooms/ws-reads.js';

/** What one server-side WebSocket saw: its messages in order, then how it closed. */
interface Seen {
  messages: string[];
  closeCode?: number;
  /** What the server wrote back to the client (its close frame, if any). */
  answered?: Buffer;
  /** Chunks the receiver took through `ws`'s own write. */
  fallbacks: number;
}

/** A client frame as a browser sends it: masked, with the opcode and FIN given. */
function frame(opcode: number, payload: Buffer, options: { fin?: boolean; masked?: boolean; mask?: Buffer } = {}): Buffer {
  const { fin = true, masked = true } = options;
  const length = payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length <= 0xffff) header.push(maskBit | 126, length >> 8, length & 0xff);
  else header.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = options.mask ?? randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i += 1) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([Buffer.from(header), mask, body]);
}

const payload = (rng: Rng, length: number) => Buffer.from(Array.from({ length }, () => below(rng, 256)));

/** A random client stream: mostly small binary messages, with every other kind of frame `ws` knows mixed in. */
function stream(rng: Rng): Buffer[] {
  const frames: Buffer[] = [];
  for (let i = 0; i < 40; i += 1) {
    const kind = below(rng, 14);
    if (kind < 9) frames.push(frame(0x2, payload(rng, 1 + below(rng, 125))));
    else if (kind === 9) frames.push(frame(0x2, payload(rng, 126 + below(rng, 400))));
    else if (kind === 10) frames.push(frame(0x1, Buffer.from(`text ${i}`)));
    else if (kind === 11) frames.push(frame(0x9, payload(rng, below(rng, 20))));
    else if (kind === 12) frames.push(frame(0x2, payload(rng, 10), { fin: false }), frame(0x9, Buffer.alloc(0)), frame(0x0, payload(rng, 30)));
    else frames.push(frame(0x2, Buffer.alloc(0)));
  }
  return frames;
}

/**
 * Cuts the frames into chunks: half the time one or two whole frames (as a client's reads
 * mostly come), else at a random point (a frame split across reads, or several with a part).
 */
function chunksOf(rng: Rng, frames: readonly Buffer[]): Buffer[] {
  const ends: number[] = [];
  let end = 0;
  for (const bytes of frames) ends.push((end += bytes.length));
  const all = Buffer.concat(frames);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < all.length; ) {
    const next = below(rng, 2) === 0 ? ends.filter((at) => at > offset)[below(rng, 2)] ?? all.length : offset + 1 + below(rng, 90);
    chunks.push(all.subarray(offset, next));
    offset = next;
  }
  return chunks;
}

describe('small client frames read directly', () => {
  let server: WebSocketServer;
  const seen = new Map<string, Seen>();

  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 4 * 1024 });
    await once(server, 'listening');
    server.on('connection', (ws: WebSocket, request) => {
      const id = request.url!.slice(1);
      const entry: Seen = { messages: [], fallbacks: 0 };
      seen.set(id, entry);
      const receiver = (ws as unknown as { _receiver: { write(chunk: Buffer): boolean } })._receiver;
      // Counts what reaches `ws`'s own write.
      const write = Writable.prototype.write as (this: unknown, chunk: Buffer) => boolean;
      receiver.write = function (this: unknown, chunk: Buffer) {
        entry.fallbacks += 1;
        return write.call(this, chunk);
      };
      const record = (data: Buffer, isBinary: boolean) => entry.messages.push(`${isBinary ? 'b' : 't'}:${data.toString('hex')}`);
      if (id.startsWith('direct')) assert.equal(readSmallFramesDirectly(ws), 'socket', 'reads from the socket');
      // A sink takes what is read directly; `ws`'s own messages still come as events, to the same record.
      if (id.startsWith('sink')) assert.equal(readSmallFramesDirectly(ws, (data) => record(data, true)), 'socket', 'reads from the socket');
      ws.on('message', record);
      ws.on('close', (code) => (entry.closeCode = code));
      ws.on('error', () => undefined);
    });
  });

  after(() => new Promise((done) => server.close(done)));

  /** Opens a raw TCP WebSocket to `path`, sends the chunks one read at a time, and waits for the server to close it or go quiet. */
  async function send(path: string, chunks: readonly Buffer[], options: { answeredAfter?: number } = {}): Promise<Seen> {
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.setNoDelay(true);
    await once(socket, 'connect');
    socket.write(`GET /${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await once(socket, 'data');
    const answered: Buffer[] = [];
    socket.on('data', (data: Buffer) => answered.push(data));
    socket.on('error', () => undefined);
    for (const [index, chunk] of chunks.entries()) {
      if (socket.destroyed) break;
      socket.write(chunk);
      // Long enough for each write to arrive as its own read.
      await new Promise((done) => setTimeout(done, 2));
      // `answeredAfter`: the rest waits for the server's answer to this chunk (its close frame).
      for (let waited = 0; index === options.answeredAfter && answered.length === 0 && waited < 1000; waited += 5) await new Promise((done) => setTimeout(done, 5));
    }
    await new Promise((done) => setTimeout(done, 30));
    socket.destroy();
    for (let waited = 0; seen.get(path)?.closeCode === undefined && waited < 2000; waited += 10) await new Promise((done) => setTimeout(done, 10));
    return { ...seen.get(path)!, answered: Buffer.concat(answered) };
  }

  it('tells whole small binary frames from everything else', () => {
    const small = frame(0x2, Buffer.from('hello'));
    assert.ok(isWholeSmallFrames(small));
    assert.ok(isWholeSmallFrames(Buffer.concat([small, frame(0x2, Buffer.alloc(125, 1))])));
    assert.equal(isWholeSmallFrames(small.subarray(0, small.length - 1)), false, 'a partial frame');
    assert.equal(isWholeSmallFrames(Buffer.concat([small, small.subarray(0, 3)])), false, 'a whole frame and a partial one');
    assert.equal(isWholeSmallFrames(frame(0x2, Buffer.alloc(126, 1))), false, 'a 16-bit length');
    assert.equal(isWholeSmallFrames(Buffer.concat([Buffer.from([0x82, 0x80 | 126, 0, 3]), Buffer.alloc(4), Buffer.from([1, 2, 3])])), false, 'a 16-bit length of a short payload');
    assert.equal(isWholeSmallFrames(frame(0x1, Buffer.from('text'))), false, 'text');
    assert.equal(isWholeSmallFrames(frame(0x9, Buffer.from('ping'))), false, 'a ping');
    assert.equal(isWholeSmallFrames(frame(0x2, Buffer.from('part'), { fin: false })), false, 'a fragment');
    assert.equal(isWholeSmallFrames(frame(0x2, Buffer.from('bare'), { masked: false })), false, 'unmasked');
    assert.equal(isWholeSmallFrames(frame(0x2, Buffer.alloc(0))), false, 'empty');
    assert.equal(isWholeSmallFrames(Buffer.from([0xc2, 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9])), false, 'an extension bit');
    assert.equal(isWholeSmallFrames(Buffer.alloc(0)), false);
  });

  it('emits the same messages in the same order as ws, and reads most small frames itself', async () => {
    const frames = Array.from({ length: 50 }, (_, i) => frame(0x2, Buffer.from([i, 1, 2, 3])));
    // One frame per read, then several per read.
    const chunks = [...frames.slice(0, 30), Buffer.concat(frames.slice(30, 40)), Buffer.concat(frames.slice(40))];
    const [direct, plain] = await Promise.all([send('direct-order', chunks), send('plain-order', chunks)]);
    assert.equal(direct.messages.length, 50);
    assert.deepEqual(direct.messages, plain.messages);
    assert.equal(direct.fallbacks, 0, 'every chunk was whole small frames');
    assert.equal(plain.fallbacks, chunks.length);
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`agrees with ws on a stream of every kind of frame cut at random points (seed ${seed})`, async () => {
      const rng = createRng(seed);
      const chunks = chunksOf(rng, stream(rng));
      const [direct, plain] = await Promise.all([send(`direct-${seed}`, chunks), send(`plain-${seed}`, chunks)]);
      assert.ok(plain.messages.length > 0);
            assert.ok(direct.fallbacks < plain.fallbacks, `some chunks read directly (${direct.fallbacks} of ${plain.fallbacks} went to ws)`);
      assert.deepEqual(direct.messages, plain.messages);
      assert.equal(direct.closeCode, plain.closeCode);
      assert.deepEqual(direct.answered, plain.answered, 'the same close frame, if any');
    });
  }

  for (const seed of [7, 8]) {
    it(`hands a sink what it reads, and only that, in the stream's order with what ws emits itself (seed ${seed})`, async () => {
      const rng = createRng(seed);
      const chunks = chunksOf(rng, stream(rng));
      const [sink, plain] = await Promise.all([send(`sink-${seed}`, chunks), send(`plain-${seed}`, chunks)]);
      assert.ok(sink.fallbacks < plain.fallbacks, `some chunks read directly (${sink.fallbacks} of ${plain.fallbacks} went to ws)`);
      assert.deepEqual(sink.messages, plain.messages);
      assert.equal(sink.closeCode, plain.closeCode);
      assert.deepEqual(sink.answered, plain.answered, 'the same close frame, if any');
    });
  }

  it('keeps each connection its own while they all read into one buffer', async () => {
    // Four connections at once, each a different stream: the buffer is read into again for every
    // read, so a message held past its read, or a chunk handed to ws uncopied, would show here.
    const streams = [7, 8, 9, 10].map((seed) => {
      const rng = createRng(seed);
      return { seed, chunks: chunksOf(rng, stream(rng)) };
    });
    const results = await Promise.all(streams.flatMap(({ seed, chunks }) => [send(`direct-many-${seed}`, chunks), send(`plain-many-${seed}`, chunks)]));
    for (let i = 0; i < streams.length; i += 1) {
      const [direct, plain] = [results[2 * i]!, results[2 * i + 1]!];
      assert.ok(plain.messages.length > 0);
      assert.deepEqual(direct.messages, plain.messages, `stream ${streams[i]!.seed}`);
      assert.equal(direct.closeCode, plain.closeCode);
    }
  });

  it("hands ws a chunk too big for its receiver at once, with ws's back pressure, and reads on after it", async () => {
    // 40 KB of 16-bit-length frames in one read: past the receiver's 16 KB mark, so its write
    // answers false and the socket pauses until the receiver drains; then small frames follow.
    const big = Array.from({ length: 150 }, (_, i) => frame(0x2, Buffer.alloc(260, i)));
    const after = Array.from({ length: 5 }, (_, i) => frame(0x2, Buffer.from([i])));
    const chunks = [Buffer.concat(big), ...after];
    const [direct, plain] = await Promise.all([send('direct-big', chunks), send('plain-big', chunks)]);
    assert.equal(direct.messages.length, 155);
    assert.deepEqual(direct.messages, plain.messages);
  });

  it('leaves to ws a chunk that completes a frame it holds, even one that looks like whole frames', async () => {
    // A frame whose payload (under a zero mask) is itself a small frame: cut before that part,
    // the second chunk looks whole on its own.
    const inner = frame(0x2, Buffer.from([7, 7]));
    const outer = frame(0x2, Buffer.concat([Buffer.from([1, 2, 3]), inner]), { mask: Buffer.alloc(4) });
    const cut = outer.length - inner.length;
    const chunks = [outer.subarray(0, cut), outer.subarray(cut), frame(0x2, Buffer.from([9]))];
    const [direct, plain] = await Promise.all([send('direct-inner', chunks), send('plain-inner', chunks)]);
    assert.deepEqual(direct.messages, [`b:${Buffer.concat([Buffer.from([1, 2, 3]), inner]).toString('hex')}`, 'b:09']);
    assert.deepEqual(direct.messages, plain.messages);
  });

  it('leaves to ws a chunk that completes a header it holds one byte of', async () => {
    // Cut after its first byte, the rest of this frame reads as a whole frame of its own.
    const split = frame(0x2, Buffer.from([5, 6]), { mask: Buffer.from([0x81, 1, 2, 3]) });
    assert.ok(isWholeSmallFrames(split.subarray(1)));
    const chunks = [split.subarray(0, 1), split.subarray(1), frame(0x2, Buffer.from([9]))];
    const [direct, plain] = await Promise.all([send('direct-header', chunks), send('plain-header', chunks)]);
    assert.deepEqual(direct.messages, ['b:0506', 'b:09']);
    assert.deepEqual(direct.messages, plain.messages);
  });

  it('leaves to ws a final frame that follows an unfinished fragment (its protocol error)', async () => {
    const chunks = [frame(0x2, Buffer.from([1]), { fin: false }), frame(0x2, Buffer.from([2]))];
    const [direct, plain] = await Promise.all([send('direct-fragment', chunks), send('plain-fragment', chunks)]);
    assert.deepEqual(direct.messages, []);
    assert.deepEqual(plain.messages, []);
    assert.deepEqual(direct.answered, Buffer.from([0x88, 0x02, 0x03, 0xea]));
    assert.deepEqual(direct.answered, plain.answered);
  });

  it('leaves to ws a final frame that follows an empty unfinished fragment (nothing held, a message begun)', async () => {
    const chunks = [frame(0x2, Buffer.alloc(0), { fin: false }), frame(0x2, Buffer.from([2]))];
    const [direct, plain] = await Promise.all([send('direct-empty-fragment', chunks), send('plain-empty-fragment', chunks)]);
    assert.deepEqual(direct.messages, []);
    assert.deepEqual(direct.answered, Buffer.from([0x88, 0x02, 0x03, 0xea]));
    assert.deepEqual(direct.answered, plain.answered);
  });

  it('leaves to ws the frames it must refuse, with its close code, and drops what follows as ws does', async () => {
    // The frames after the refused one come in reads of their own: ws has stopped listening by
    // then, and must still see the peer go (a paused socket would hold the close for 30 s).
    const after = [3, 4, 5].map((i) => frame(0x2, Buffer.from([i])));
    const chunks = [frame(0x2, Buffer.from([1])), frame(0x2, Buffer.from([2]), { masked: false }), ...after];
    const [direct, plain] = await Promise.all([send('direct-unmasked', chunks, { answeredAfter: 1 }), send('plain-unmasked', chunks, { answeredAfter: 1 })]);
    assert.deepEqual(direct.messages, ['b:01']);
    assert.deepEqual(direct.messages, plain.messages);
    assert.notEqual(plain.closeCode, undefined);
    assert.equal(direct.closeCode, plain.closeCode, 'closed as soon as the peer went');
    // ws's close frame for a protocol error: 1002.
    const protocolError = Buffer.from([0x88, 0x02, 0x03, 0xea]);
    assert.deepEqual(direct.answered, protocolError);
    assert.deepEqual(plain.answered, protocolError);
  });

  it('stops at a frame whose listener closed the connection', async () => {
    const closer = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(closer, 'listening');
    const messages: number[] = [];
    closer.on('connection', (ws: WebSocket) => {
      readSmallFramesDirectly(ws);
      ws.on('message', (data: Buffer) => {
        messages.push(data[0]!);
        if (data[0] === 2) ws.close(4002, 'refused');
      });
    });
    const socket = net.connect((closer.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await once(socket, 'data');
    socket.on('error', () => undefined);
    socket.write(Buffer.concat([1, 2, 3, 4].map((i) => frame(0x2, Buffer.from([i])))));
    await new Promise((done) => setTimeout(done, 100));
    socket.destroy();
    await new Promise((done) => closer.close(done));
    assert.deepEqual(messages, [1, 2]);
  });
});

/** A random server stream: binary messages of every length a patch has, with every other kind of frame a server sends mixed in, then a close. */
function serverStream(rng: Rng): Buffer[] {
  const unmasked = { masked: false };
  const frames: Buffer[] = [];
  for (let i = 0; i < 60; i += 1) {
    const kind = below(rng, 20);
    if (kind < 8) frames.push(frame(0x2, payload(rng, 1 + below(rng, 125)), unmasked));
    else if (kind < 15) frames.push(frame(0x2, payload(rng, 126 + below(rng, 4000)), unmasked));
    else if (kind === 15) frames.push(frame(0x2, payload(rng, 65_536 + below(rng, 5000)), unmasked));
    else if (kind === 16) frames.push(frame(0x1, Buffer.from(`text ${i}`), unmasked));
    else if (kind === 17) frames.push(frame(0x9, payload(rng, below(rng, 20)), unmasked));
    else if (kind === 18) frames.push(frame(0x2, payload(rng, 300), { masked: false, fin: false }), frame(0x0, payload(rng, 30), unmasked));
    else frames.push(frame(0x2, Buffer.alloc(0), unmasked));
  }
  // A normal close (1000).
  frames.push(frame(0x8, Buffer.from([0x03, 0xe8]), unmasked));
  return frames;
}

/**
 * A third of the time one whole frame (as a server's writes mostly arrive), a third two to four
 * (writes that arrive together), else cut at a random point up to 4 KB on.
 */
function serverChunksOf(rng: Rng, frames: readonly Buffer[]): Buffer[] {
  const all = Buffer.concat(frames);
  const ends: number[] = [];
  let end = 0;
  for (const bytes of frames) ends.push((end += bytes.length));
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < all.length; ) {
    const kind = below(rng, 3);
    const wholeEnds = ends.filter((at) => at > offset);
    const next = kind === 0 ? wholeEnds[0]! : kind === 1 ? wholeEnds[Math.min(wholeEnds.length - 1, 1 + below(rng, 3))]! : Math.min(all.length, offset + 1 + below(rng, 4000));
    chunks.push(all.subarray(offset, next));
    offset = next;
  }
  return chunks;
}

describe("a server's frames read directly on a client", () => {
  /**
   * A raw TCP server that answers the WebSocket handshake and writes `chunks`, one read at a time;
   * a `ws` client reads them, directly (`readServerFramesDirectly`, into a sink) or as `ws` alone.
   */
  async function receive(chunks: readonly Buffer[], direct: boolean, options: { maxPayload?: number } = {}): Promise<{ messages: string[]; closeCode: number; sunk: number; error?: string }> {
    const server = net.createServer((socket) => {
      socket.once('data', async (request) => {
        const key = /Sec-WebSocket-Key: (.+)\r\n/i.exec(request.toString())![1]!;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        await new Promise((done) => setTimeout(done, 20));
        for (const chunk of chunks) {
          if (socket.destroyed) break;
          socket.write(chunk);
          await new Promise((done) => setTimeout(done, 1));
        }
      });
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const messages: string[] = [];
    let sunk = 0;
    const client = new WsClient(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, { perMessageDeflate: false, ...options });
    const record = (data: Buffer, isBinary: boolean) => messages.push(`${isBinary ? 'b' : 't'}:${createHash('sha1').update(data).digest('hex')}:${data.length}`);
    client.on('message', record);
    let error: string | undefined;
    client.on('error', (cause) => (error = cause.message));
    client.once('open', () => {
      if (!direct) return;
      const sink = (data: Buffer) => {
        sunk += 1;
        record(data, true);
      };
      assert.equal(readServerFramesDirectly(client, sink), 'socket');
    });
    // Not `once(client, 'close')`: that rejects on the `error` a refused frame emits first.
    const closeCode = await new Promise<number>((done) => client.on('close', done));
    server.close();
    return { messages, closeCode, sunk, ...(error ? { error } : {}) };
  }

  it('tells whole unmasked binary frames up to a 16-bit length from everything else', () => {
    const unmasked = { masked: false };
    const small = frame(0x2, Buffer.from('patch'), unmasked);
    const medium = frame(0x2, Buffer.alloc(3000, 1), unmasked);
    assert.ok(isWholeServerFrames(small));
    assert.ok(isWholeServerFrames(Buffer.concat([small, medium, frame(0x2, Buffer.alloc(0xffff, 2), unmasked)])));
    assert.equal(isWholeServerFrames(medium.subarray(0, medium.length - 1)), false, 'a partial frame');
    assert.equal(isWholeServerFrames(medium.subarray(0, 3)), false, 'a 16-bit length cut short');
    assert.equal(isWholeServerFrames(frame(0x2, Buffer.alloc(0x10000, 1), unmasked)), false, 'a 64-bit length');
    assert.equal(isWholeServerFrames(frame(0x2, Buffer.from('masked'))), false, 'masked');
    assert.equal(isWholeServerFrames(frame(0x9, Buffer.from('ping'), unmasked)), false, 'a ping');
    assert.equal(isWholeServerFrames(frame(0x1, Buffer.from('text'), unmasked)), false, 'text');
    assert.equal(isWholeServerFrames(frame(0x2, Buffer.alloc(0), unmasked)), false, 'empty');
    assert.equal(isWholeSmallFrames(small), false, 'not a client frame');
  });

  it("leaves to ws a frame over the client's maxPayload, which it refuses", async () => {
    const unmasked = { masked: false };
    const chunks = [frame(0x2, Buffer.alloc(100, 1), unmasked), frame(0x2, Buffer.alloc(2000, 2), unmasked), frame(0x2, Buffer.alloc(10, 3), unmasked)];
    const [direct, plain] = [await receive(chunks, true, { maxPayload: 1000 }), await receive(chunks, false, { maxPayload: 1000 })];
    assert.equal(plain.error, 'Max payload size exceeded');
    assert.equal(direct.error, plain.error);
    assert.equal(direct.closeCode, plain.closeCode);
    assert.equal(direct.messages.length, 1, 'the first frame only');
    assert.deepEqual(direct.messages, plain.messages);
  });

  for (const seed of [11, 12, 13]) {
    it(`agrees with ws on a stream of every kind of frame cut at random points (seed ${seed})`, async () => {
      const rng = createRng(seed);
      const chunks = serverChunksOf(rng, serverStream(rng));
      const [direct, plain] = [await receive(chunks, true), await receive(chunks, false)];
      assert.ok(plain.messages.length > 30);
      assert.ok(direct.sunk > 0, 'some frames read directly');
      assert.deepEqual(direct.messages, plain.messages);
      assert.equal(plain.closeCode, 1000);
      assert.equal(direct.closeCode, plain.closeCode);
    });
  }
});
