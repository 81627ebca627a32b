// Benchmark bots: BENCH_BOTS real @colyseus/sdk clients against BENCH_BASE. Each registers,
// creates a character, enters the world and walks to a random tile every two seconds; every
// 400 ms it shoots at the nearest monster in view when one is within its reach (rangers, 6). After
// a warm-up it prints {"phase":"measuring"}, counts the bytes every client receives for
// BENCH_SECONDS, prints the result as one JSON line, leaves and exits.
import { Client, type Room } from '@colyseus/sdk';
import { callJson } from '@mmo/platform/testing';
import { ClientMessage, ServerMessage, enterWorldResponseSchema } from '@mmo/shared';

const base = process.env.BENCH_BASE ?? 'http://127.0.0.1:2567';
const count = Number(process.env.BENCH_BOTS ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const run = Math.random().toString(36).slice(2, 7).replace(/\d/g, 'q');

/** Letters only, as character names require. */
function letters(n: number): string {
  return n.toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)));
}

let received = 0;
let counting = false;

async function startBot(index: number): Promise<Room> {
  const username = `bot${run}${letters(index)}`;
  await callJson(base, '/auth/register', { method: 'POST', body: { username, password: 'bench password' } });
  const login = await callJson(base, '/auth/login', { method: 'POST', body: { username, password: 'bench password' } });
  const token = String(login.body.accessToken);
  const character = await callJson(base, '/characters', { method: 'POST', token, body: { name: `B${run}${letters(index)}`.slice(0, 16), class: 'ranger' } });
  const entered = await callJson(base, '/world/enter', { method: 'POST', token, body: { characterId: character.body.id } });
  const room = await new Client(base).consumeSeatReservation(enterWorldResponseSchema.parse(entered.body).reservation);
  const ws = (room.connection.transport as unknown as { ws: { on(event: 'message', listener: (data: ArrayBuffer | Buffer) => void): void } }).ws;
  ws.on('message', (data) => {
    if (counting) received += data.byteLength;
  });
  room.onMessage(ServerMessage.error, () => undefined);
  room.onMessage(ServerMessage.chat, () => undefined);
  room.onMessage(ServerMessage.combat, () => undefined);
  const hunt = () => {
    const state = room.state as { players?: Map<string, { x: number; y: number }>; monsters?: Map<string, { x: number; y: number; hp: number }> } | undefined;
    const self = state?.players?.get(room.sessionId);
    if (!self || !state?.monsters) return;
    let best: string | undefined;
    let bestDistance = 7;
    state.monsters.forEach((monster, id) => {
      const distance = Math.max(Math.abs(monster.x - self.x), Math.abs(monster.y - self.y));
      if (monster.hp > 0 && distance < bestDistance) [best, bestDistance] = [id, distance];
    });
    if (best) room.send(ClientMessage.attack, { targetId: best });
  };
  setInterval(hunt, 400).unref();
  // A random tile within 24 of where the bot stands (paths are limited to 64 tiles).
  const wander = () => {
    const self = (room.state as { players?: Map<string, { x: number; y: number }> } | undefined)?.players?.get(room.sessionId);
    const near = (v: number) => Math.min(93, Math.max(2, v + Math.floor(Math.random() * 49) - 24));
    room.send(ClientMessage.move, { to: { x: near(self?.x ?? 48), y: near(self?.y ?? 48) } });
  };
  wander();
  setInterval(wander, 2000).unref();
  return room;
}

const rooms: Room[] = [];
for (let i = 0; i < count; i += 20) {
  rooms.push(...(await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, k) => startBot(i + k)))));
}
await new Promise((done) => setTimeout(done, 3000));
process.stdout.write(`${JSON.stringify({ phase: 'measuring', clients: rooms.length })}\n`);
counting = true;
await new Promise((done) => setTimeout(done, seconds * 1000));
counting = false;
process.stdout.write(`${JSON.stringify({ clients: rooms.length, bytesPerClientPerSecond: received / rooms.length / seconds })}\n`);
// Still connected while the server counts the clients it holds (it is asked right after the line above).
await new Promise((done) => setTimeout(done, 2000));
await Promise.all(rooms.map((room) => room.leave().catch(() => undefined)));
process.exit(0);
