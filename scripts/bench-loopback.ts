// What one WebSocket frame costs the sending process on this machine's loopback, whatever the
// server does before it: the floor under every game server that `bench:game` measures.
//
//   npm run bench:loopback [-- --clients=1000 --seconds=4]
//
// A writer process pinned to core 1 (where `bench:game` pins the game server) sends frames to
// `clients` TCP connections whose other ends are read by a process pinned to core 0 (where the
// bots run), and then receives small frames from them:
// - a frame of 200 bytes (ours: a patch of what one cell's neighbourhood changed) and of 2,000
//   bytes (bare Colyseus: the whole crowd's changes), each as one `write(2)` of a prebuilt frame,
//   as the game server writes them (`ws-frames.ts`);
// - the same 2,000 bytes through `ws`'s `send`, as Colyseus's transport sends them;
// - the 200-byte frame through the game server's own checks and write (`directSocket`,
//   `writeTo`), to the same `ws` connections: what its path adds to the system call;
// - a client's 16-byte message received through a `ws` server (an intent), up to its `message`
//   event, before any room reads it: through `ws`'s stream path (bare Colyseus), then read
//   directly from the socket as the game server's rooms read it (`ws-reads.ts`).
// On loopback the sender's core also runs the receiving end's TCP work and its wake-up, so a
// frame costs about the same at any size. It prints the CPU (user + system) of the writer per
// frame and what 20 frames and 4 intents a second cost per client.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@colyseus/core';
import WebSocket, { WebSocketServer } from 'ws';
import { z } from 'zod';
import { directSocket, framesOf, writeTo } from '../server/src/game/rooms/ws-frames.js';
import { readSmallFramesDirectly } from '../server/src/game/rooms/ws-reads.js';
import { parseFlags } from './bench/options.js';

const optionsSchema = z
  .object({
    clients: z.coerce.number().int().min(10).max(5000).default(1000),
    seconds: z.coerce.number().min(1).max(60).default(4),
  })
  .strict();

/** What the reading end is asked over IPC. */
type SinkCommand = { cmd: 'tcp' } | { cmd: 'ws'; port: number; clients: number; sendEveryMs: number } | { cmd: 'quiet' };

const here = fileURLToPath(import.meta.url);

/** Moves a process to one core where there are two or more (`taskset`); answers whether it did. */
function pin(pid: number, core: number): boolean {
  return availableParallelism() > 1 && spawnSync('taskset', ['-apc', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The reading end: drains raw TCP connections, or opens `ws` clients that read and may send. */
function sink(): void {
  const server = net.createServer((socket) => socket.on('data', () => undefined));
  const sockets: WebSocket[] = [];
  let sending: NodeJS.Timeout | undefined;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as net.AddressInfo).port }));
  process.on('message', async (command: SinkCommand) => {
    if (command.cmd === 'ws') {
      for (let i = 0; i < command.clients; i += 1) {
        const ws = new WebSocket(`ws://127.0.0.1:${command.port}`, { perMessageDeflate: false });
        await new Promise((open) => ws.once('open', open));
        sockets.push(ws);
      }
      const intent = Buffer.alloc(16, 1);
      // Spread over the period: a tenth of the clients every tenth of it.
      let turn = 0;
      if (command.sendEveryMs > 0) {
        sending = setInterval(() => {
          for (let i = turn; i < sockets.length; i += 10) sockets[i]!.send(intent);
          turn = (turn + 1) % 10;
        }, command.sendEveryMs / 10);
      }
    } else if (command.cmd === 'quiet') {
      clearInterval(sending);
      for (const ws of sockets.splice(0)) ws.terminate();
    }
    process.send!({ done: command.cmd });
  });
}

function ask(child: ChildProcess, command: SinkCommand): Promise<void> {
  return new Promise((done) => {
    const answer = (message: { done?: string }) => {
      if (message.done !== command.cmd) return;
      child.off('message', answer);
      done();
    };
    child.on('message', answer);
    child.send(command);
  });
}

/** CPU microseconds of this process while `work` runs, per unit it reports. */
async function cpuPer(work: () => Promise<number>): Promise<number> {
  const before = process.cpuUsage();
  const units = await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / Math.max(1, units);
}

/** Writes `frame` to every socket once per 50 ms for `seconds`; answers the writes. */
async function rounds(seconds: number, write: () => number): Promise<number> {
  let writes = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    writes += write();
    await sleep(50);
  }
  return writes;
}

/** The writing end: runs in this process, once the sink is up. */
async function writer(sinkProcess: ChildProcess, tcpPort: number, clients: number, seconds: number): Promise<void> {
  const sockets = await Promise.all(
    Array.from({ length: clients }, () => new Promise<net.Socket>((open) => {
      const socket = net.connect(tcpPort, '127.0.0.1', () => open(socket));
      socket.setNoDelay(true);
    })),
  );
  const fds = sockets.map((socket) => (socket as unknown as { _handle: { fd: number } })._handle.fd);
  const results: [string, number][] = [];
  for (const size of [200, 2000]) {
    // A binary frame of `size` bytes in all: a 4-byte header (16-bit length) and its payload.
    const frame = framesOf([Buffer.alloc(size - 4, 7)]);
    const writeAll = () => {
      for (const fd of fds) writeSync(fd, frame);
      return fds.length;
    };
    await rounds(1, writeAll);
    results.push([`one write(2) of a ${size.toLocaleString('en-US')}-byte frame`, await cpuPer(() => rounds(seconds, writeAll))]);
  }
  for (const socket of sockets) socket.destroy();

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((listening) => wss.once('listening', listening));
  const port = (wss.address() as net.AddressInfo).port;
  let received = 0;
  // Whether new connections read their small frames directly, as the game server's rooms do.
  let direct = false;
  wss.on('connection', (ws) => {
    if (direct) readSmallFramesDirectly(ws);
    ws.on('message', () => void (received += 1));
  });
  await ask(sinkProcess, { cmd: 'ws', port, clients, sendEveryMs: 0 });
  const payload = Buffer.alloc(2000 - 4, 7);
  const sendAll = () => {
    for (const ws of wss.clients) ws.send(payload);
    return wss.clients.size;
  };
  await rounds(1, sendAll);
  results.push(["ws's send of a 2,000-byte message", await cpuPer(() => rounds(seconds, sendAll))]);
  // The game server's own path to the same sockets: its checks of each connection, then the write.
  const clientsOf = [...wss.clients].map((ws) => ({ ref: ws }) as unknown as Client);
  const smallFrame = framesOf([Buffer.alloc(200 - 4, 7)]);
  const writeDirect = () => {
    for (const client of clientsOf) writeTo(directSocket(client)!, smallFrame);
    return clientsOf.length;
  };
  await rounds(1, writeDirect);
  results.push(['a 200-byte frame through directSocket and writeTo', await cpuPer(() => rounds(seconds, writeDirect))]);
  // Intents: every client sends one each 100 ms (10 a second; the bots send 4), to fresh
  // connections read through ws's stream path, then directly.
  const receiving = async (readDirectly: boolean) => {
    await ask(sinkProcess, { cmd: 'quiet' });
    await sleep(500);
    direct = readDirectly;
    await ask(sinkProcess, { cmd: 'ws', port, clients, sendEveryMs: 100 });
    await sleep(1000);
    return cpuPer(async () => {
      received = 0;
      await sleep(seconds * 1000);
      return received;
    });
  };
  results.push(['a 16-byte message received through ws', await receiving(false)]);
  results.push(['the same, read directly (ws-reads.ts)', await receiving(true)]);
  await ask(sinkProcess, { cmd: 'quiet' });
  wss.close();

  const width = Math.max(...results.map(([name]) => name.length));
  for (const [name, us] of results) process.stdout.write(`  ${name.padEnd(width)}  ${us.toFixed(2).padStart(6)} µs\n`);
  const [small, large, wsLarge, ownPath, intent, directIntent] = results.map(([, us]) => us) as [number, number, number, number, number, number];
  // µs a second per client, as a share of one core per 100 clients: µs / 1e6 s × 100 % × 100 clients.
  const perClient = (frame: number, read: number) => (20 * frame + 4 * read) / 100;
  const ours = perClient(small, directIntent);
  const bare = perClient(wsLarge, intent);
  process.stdout.write(
    `2,000 bytes cost ${(large / small).toFixed(2)}× what 200 bytes cost in one write (${(wsLarge / small).toFixed(2)}× through ws's send); ` +
      `a message read directly costs ${(directIntent / intent).toFixed(2)}× one read through ws; the server's checks add ${(ownPath - small).toFixed(2)} µs to a write.\n` +
      `A client sent 20 frames and sending 4 intents a second costs the server's core at least ` +
      `${ours.toFixed(2)} % per 100 clients with 200-byte frames written whole and intents read directly (this server), ` +
      `${bare.toFixed(2)} % with 2,000-byte ones through ws's send and intents through ws (bare Colyseus), ` +
      `before any game or patch work (${(bare / ours).toFixed(2)}×).\n`,
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === '--sink') return sink();
  let options: z.infer<typeof optionsSchema>;
  try {
    options = parseFlags(optionsSchema, process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:loopback: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const sinkProcess = fork(here, ['--sink'], { execArgv: process.execArgv });
  try {
    const { port } = await new Promise<{ port: number }>((up) => sinkProcess.once('message', up));
    const pinned = pin(sinkProcess.pid!, 0) && pin(process.pid, 1);
    process.stdout.write(
      `bench:loopback: ${options.clients.toLocaleString('en-US')} connections, ${options.seconds} s a case, ` +
        `${pinned ? 'writer on core 1, readers on core 0' : 'not pinned (one core or no taskset)'}; CPU of the writer per frame:\n`,
    );
    await writer(sinkProcess, port, options.clients, options.seconds);
  } finally {
    sinkProcess.kill();
  }
}

await main();
