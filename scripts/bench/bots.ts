// Benchmark bots: real @colyseus/sdk clients, driven by the orchestrator through stdin (one JSON
// command a line) and answering on stdout (one JSON line each):
//   {"cmd":"add","count":N}       N more bots join, BENCH_JOIN_RATE a second and
//                                 BENCH_JOIN_CONCURRENCY at once at most; a failed
//                                 register/login/character/enter/join is retried (5 attempts),
//                                 counted, and never stops the others
//   {"cmd":"window","seconds":S}  counts the bytes every bot receives for S s, the bots' own CPU and
//                                 event-loop lag, and the zone transfers completed
//   {"cmd":"leave"}               every bot leaves
// BENCH_TARGET "ours" goes through the primary (BENCH_PRIMARY: register, login, enter world) and
// the player API (BENCH_PLAYER_API: characters); "bare" calls joinOrCreate('bare') on BENCH_GAME.
//
// Walking like a player (walker.ts), each bot at a phase of its own. Only
// BENCH_DECODERS (a share, BENCH_MAX_DECODERS at most) of the bots are SDK clients that decode the state patches: decoding
// thousands of full states in one process would saturate the bots' core before the server's
// (bare Colyseus sends every client everything). The others are light clients (light-bot.ts):
// the same seat and the same room protocol by hand over a raw WebSocket, counting every frame
// without decoding it, so that receiving costs them next to nothing; they keep their position by
// dead reckoning from their intents (from where they started). Both targets get the same mix.
// Only decoders hunt. BENCH_PORTAL_BOTS of the decoders go back and forth through the arena's portal to the
// field instead, timing each transfer from the step onto the portal to joined in the
// destination room.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Client, type Room } from '@colyseus/sdk';
import { callJson } from '@mmo/platform/testing';
import { ClientMessage, enterWorldResponseSchema, ServerMessage, transferMessageSchema, type SeatReservation } from '@mmo/shared';
import pg from 'pg';
import { ARENA_ARRIVAL, ARENA_PORTAL, ARENA_SIZE } from './arena.js';
import { LightRoom, reserveSeat } from './light-bot.js';
import { walkAndHunt, type StateShape, type WalkerRoom } from './walker.js';

const target = process.env.BENCH_TARGET === 'bare' ? 'bare' : 'ours';
const primary = process.env.BENCH_PRIMARY ?? '';
const playerApi = process.env.BENCH_PLAYER_API ?? '';
const gameBase = process.env.BENCH_GAME ?? '';
const joinRate = Number(process.env.BENCH_JOIN_RATE ?? 40);
const joinConcurrency = Number(process.env.BENCH_JOIN_CONCURRENCY ?? 40);
const decoders = Number(process.env.BENCH_DECODERS ?? 0.1);
let decodersLeft = Number(process.env.BENCH_MAX_DECODERS ?? Infinity);
let portalBotsLeft = Number(process.env.BENCH_PORTAL_BOTS ?? 0);
const run = Math.random().toString(36).slice(2, 7).replace(/\d/g, 'q');
const ATTEMPTS = 5;
/** Where portal commuters start: the arena's spawn (the shipped town's), as new characters do. */
const SPAWN = { x: 10, y: 10 } as const;
/**
 * The others start on a random tile of the arena (away from the portal), the same for ours and
 * bare: a crowd spread over the area it fills, not piled in one corner. Ours are placed by
 * writing the new character's position in the bench's own database before entering the world;
 * bare players by their join options.
 */
const database = process.env.BENCH_DATABASE_URL ? new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 4 }) : undefined;
function spreadStart(): { x: number; y: number } {
  for (;;) {
    const at = { x: 2 + Math.floor(Math.random() * (ARENA_SIZE - 4)), y: 2 + Math.floor(Math.random() * (ARENA_SIZE - 4)) };
    if (Math.abs(at.x - ARENA_PORTAL.x) > 3 || Math.abs(at.y - ARENA_PORTAL.y) > 3) return at;
  }
}

const print = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Letters only, as character names require. */
function letters(n: number): string {
  return n.toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)));
}

let receiving = false;
let received = 0;
let frames = 0;
const countReceived = (bytes: number) => {
  if (!receiving) return;
  received += bytes;
  frames += 1;
};
/** A completed transfer's two parts: the step onto the portal sent → the `transfer` message, and that message → joined. */
interface TransferTime {
  toMessage: number;
  toJoined: number;
}
const transfers: TransferTime[] = [];
const totalOf = (transfer: TransferTime) => transfer.toMessage + transfer.toJoined;
let transferFailures = 0;

interface Bot {
  room: WalkerRoom;
  decodes: boolean;
  /** Between a `transfer` and the join in the destination room: still in the world. */
  transferring?: boolean;
  stop(): void;
}
const bots: Bot[] = [];
/** The room of a light bot still joining. */
const NOT_JOINED: WalkerRoom = { sessionId: '', isOpen: false, send: () => undefined, leave: () => Promise.resolve() };
let joinFailures = 0;
let retries = 0;
/** Why bots failed to join and how rooms closed under them, by message or close code (a few kinds). */
const failureReasons = new Map<string, number>();
/** Why attempts were retried (the same few kinds), for a crowd that joined only after retries. */
const retryReasons = new Map<string, number>();
const leaveCodes = new Map<string, number>();
const tally = (into: Map<string, number>, key: string) => {
  if (into.has(key) || into.size < 10) into.set(key, (into.get(key) ?? 0) + 1);
};
/** Why something failed, short enough to tally. */
const reasonOf = (error: unknown) => String((error as Error).message).slice(0, 120);

/** Counts every frame the room's socket receives. */
function countBytes(room: Room): void {
  const ws = (room.connection.transport as unknown as { ws: { on(event: 'message', listener: (data: ArrayBuffer | Buffer) => void): void } }).ws;
  ws.on('message', (data) => countReceived(data.byteLength));
}

/** SDK rooms the bots leave themselves (a transfer's old room, the end): not counted as closed under them. */
const leftByBot = new WeakSet<Room>();
const leaveSdk = (room: Room) => {
  leftByBot.add(room);
  return room.leave().catch(() => undefined);
};

/** An SDK room, counted and listened to, as a walker's room. */
function listen(room: Room): WalkerRoom {
  countBytes(room);
  room.onLeave((code) => {
    if (!leftByBot.has(room)) tally(leaveCodes, String(code));
  });
  room.onMessage(ServerMessage.error, () => undefined);
  room.onMessage(ServerMessage.chat, () => undefined);
  room.onMessage(ServerMessage.combat, () => undefined);
  room.onMessage(ServerMessage.notify, () => undefined);
  return {
    sessionId: room.sessionId,
    get isOpen() {
      return room.connection.isOpen;
    },
    get state() {
      return room.state as StateShape | undefined;
    },
    send: (type, payload) => room.send(type, payload),
    leave: () => leaveSdk(room),
  };
}

/**
 * A light client's room (light-bot.ts): counted, its closes tallied (the light room reports
 * only those it did not ask for), and its `transfer` followed as a player's client does.
 */
async function joinLight(bot: Bot, reservation: SeatReservation): Promise<LightRoom> {
  const room = await LightRoom.join(gameBase, reservation, countReceived);
  room.onLeave((code) => tally(leaveCodes, String(code)));
  room.onMessage(ServerMessage.transfer, (message) => {
    const parsed = transferMessageSchema.safeParse(message);
    if (!parsed.success) return void (transferFailures += 1);
    bot.transferring = true;
    void joinLight(bot, parsed.data.reservation)
      .then((next) => {
        void room.leave();
        bot.room = next;
      })
      .catch(() => void (transferFailures += 1))
      .finally(() => void (bot.transferring = false));
  });
  return room;
}

/**
 * Joins one bot's room through `seat` (the SDK's or a light client's): ours through register,
 * login, character and enter world, bare through the matchmaker's joinOrCreate, as the SDK's
 * `joinOrCreate` does. Each step is retried on its own; a reservation and its use together.
 */
async function join<R>(index: number, start: { x: number; y: number } | null, seat: (reservation: SeatReservation) => Promise<R>): Promise<R> {
  const attempt = async <T>(step: () => Promise<T>): Promise<T> => {
    for (let n = 1; ; n += 1) {
      try {
        return await step();
      } catch (error) {
        if (n >= ATTEMPTS) throw error;
        retries += 1;
        tally(retryReasons, reasonOf(error));
        await sleep(300 * n);
      }
    }
  };
  if (target === 'bare') return attempt(async () => seat(await reserveSeat(gameBase, 'joinOrCreate', 'bare', start ?? {})));
  const username = `bot${run}${letters(index)}`;
  const ok = (response: { status: number; body: Record<string, unknown> }, what: string) => {
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    return response.body;
  };
  await attempt(async () => {
    const response = await callJson(primary, '/auth/register', { method: 'POST', body: { username, password: 'bench password' } });
    // Registered by an attempt whose answer was lost.
    if (response.status !== 409) ok(response, 'register');
  });
  const token = String((await attempt(async () => ok(await callJson(primary, '/auth/login', { method: 'POST', body: { username, password: 'bench password' } }), 'login'))).accessToken);
  const character = await attempt(async () =>
    ok(await callJson(playerApi, '/characters', { method: 'POST', token, body: { name: `B${run}${letters(index)}`.slice(0, 16), class: 'ranger' } }), 'character'),
  );
  if (start && database) await attempt(() => database.query('UPDATE characters SET x = $1, y = $2 WHERE id = $3::uuid', [start.x, start.y, String(character.id)]));
  return attempt(async () => {
    const entered = ok(await callJson(primary, '/world/enter', { method: 'POST', token, body: { characterId: character.id } }), 'enter world');
    return seat(enterWorldResponseSchema.parse(entered).reservation);
  });
}

const seatSdk = (reservation: SeatReservation) => new Client(gameBase).consumeSeatReservation(reservation);

/** A decoding walker that stepped onto a portal follows its `transfer`, as a player's client does. */
function follow(bot: Bot, room: Room): void {
  room.onMessage(ServerMessage.transfer, (message: unknown) => {
    bot.transferring = true;
    void seatSdk(transferMessageSchema.parse(message).reservation)
      .then((next) => {
        bot.room = listen(next);
        follow(bot, next);
        void leaveSdk(room);
      })
      .catch(() => void (transferFailures += 1))
      .finally(() => void (bot.transferring = false));
  });
}

/**
 * Back and forth through the portal pair: from the tile beside the arena's portal (where the
 * field's portal lands) a step east onto it; from the field's arrival a step west onto its
 * portal. The bot stands still a second first, so the step is taken at the next tick.
 */
function commute(first: Room): Bot {
  const bot: Bot = { room: listen(first), decodes: true, stop: () => undefined };
  let stopped = false;
  bot.stop = () => void (stopped = true);
  void (async () => {
    let room = first;
    // Walk to the tile beside the portal first (within a path's reach of the spawn).
    room.send(ClientMessage.move, { to: ARENA_ARRIVAL });
    const at = (where: { x: number; y: number }) => {
      const self = (room.state as StateShape | undefined)?.players?.get(room.sessionId);
      return self?.x === where.x && self.y === where.y;
    };
    for (let waited = 0; !at(ARENA_ARRIVAL) && waited < 20_000 && !stopped; waited += 100) await sleep(100);
    let inArena = true;
    while (!stopped) {
      await sleep(1000);
      if (stopped || !room.connection.isOpen) break;
      const transfer = new Promise<unknown>((done, fail) => {
        room.onMessage(ServerMessage.transfer, done);
        setTimeout(() => fail(new Error('no transfer within 5 s')), 5000);
      });
      const sentAt = performance.now();
      room.send(ClientMessage.move, { dx: inArena ? 1 : -1, dy: 0 });
      try {
        const message = await transfer;
        const messageAt = performance.now();
        bot.transferring = true;
        const { reservation } = transferMessageSchema.parse(message);
        const next = await seatSdk(reservation);
        const joinedAt = performance.now();
        transfers.push({ toMessage: messageAt - sentAt, toJoined: joinedAt - messageAt });
        bot.room = listen(next);
        void leaveSdk(room);
        room = next;
        bot.transferring = false;
        inArena = !inArena;
        // Stop holding the key in the new room.
        room.send(ClientMessage.move, { dx: 0, dy: 0 });
      } catch {
        transferFailures += 1;
        bot.transferring = false;
        room.send(ClientMessage.move, { dx: 0, dy: 0 });
        room.send(ClientMessage.move, { to: inArena ? ARENA_ARRIVAL : { x: 2, y: 10 } });
        await sleep(3000);
      }
    }
  })();
  return bot;
}

async function add(count: number): Promise<void> {
  const started = performance.now();
  const first = bots.length;
  const joining: Promise<void>[] = [];
  // Progress every 5 s, so that the orchestrator tells a slow crowd from a stuck one.
  const progress = setInterval(() => print({ progress: bots.length - first, failed: joinFailures }), 5000);
  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  for (let i = 0; i < count; i += 1) {
    // Bounded rate: bot i starts at i / rate seconds at the earliest, and only while fewer than
    // `joinConcurrency` joins are in flight.
    const due = started + (i * 1000) / joinRate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= joinConcurrency) await new Promise<void>((done) => (slotFreed = done));
    inFlight += 1;
    const index = first + i;
    // The first bots of ours commute through the portal pair, starting from the spawn.
    const portal = target === 'ours' && portalBotsLeft > 0;
    if (portal) portalBotsLeft -= 1;
    const start = portal ? null : spreadStart();
    const decodes = portal || (decodersLeft > 0 && Math.random() < decoders);
    if (decodes) decodersLeft -= 1;
    joining.push(
      startBot(index, start, portal, decodes)
        .then(
          (bot) => void bots.push(bot),
          (error: unknown) => {
            joinFailures += 1;
            tally(failureReasons, reasonOf(error));
          },
        )
        .finally(() => {
          inFlight -= 1;
          slotFreed?.();
          slotFreed = undefined;
        }),
    );
  }
  await Promise.all(joining);
  clearInterval(progress);
  print({ added: count, joinSeconds: (performance.now() - started) / 1000, bots: bots.length, connected: connected(), joinFailures, retries, retryReasons: Object.fromEntries(retryReasons), failureReasons: Object.fromEntries(failureReasons), leaveCodes: Object.fromEntries(leaveCodes) });
}

/** Commuters and decoders on the SDK, the others light clients; a bot walks once it has joined. */
async function startBot(index: number, start: { x: number; y: number } | null, portal: boolean, decodes: boolean): Promise<Bot> {
  if (portal) return commute(await join(index, start, seatSdk));
  if (decodes) {
    const room = await join(index, start, seatSdk);
    const bot: Bot = { room: listen(room), decodes, stop: () => undefined };
    follow(bot, room);
    bot.stop = walkAndHunt(bot, start ?? SPAWN);
    return bot;
  }
  // The light room's transfer handler moves this bot, so the bot exists before its room does.
  const bot: Bot = { room: NOT_JOINED, decodes, stop: () => undefined };
  bot.room = await join(index, start, (reservation) => joinLight(bot, reservation));
  bot.stop = walkAndHunt(bot, start ?? SPAWN);
  return bot;
}

const connected = () => bots.filter((bot) => bot.room.isOpen || bot.transferring).length;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

async function window(seconds: number): Promise<void> {
  loop.reset();
  transfers.length = 0;
  transferFailures = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  received = 0;
  frames = 0;
  receiving = true;
  await sleep(seconds * 1000);
  receiving = false;
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const held = connected();
  const sortedBy = (pick: (transfer: TransferTime) => number) => transfers.map(pick).sort((a, b) => a - b);
  const totals = sortedBy(totalOf);
  const slowest = transfers.reduce<TransferTime | undefined>((worst, transfer) => (!worst || totalOf(transfer) > totalOf(worst) ? transfer : worst), undefined);
  print({
    connected: held,
    bots: bots.length,
    decoders: bots.filter((bot) => bot.decodes).length,
    bytesPerClientPerSecond: held ? received / held / (elapsed / 1000) : 0,
    framesPerClientPerSecond: held ? frames / held / (elapsed / 1000) : 0,
    botCpuPercent: ((used.user + used.system) / 1000 / elapsed) * 100,
    botLoopP99: loop.percentile(99) / 1e6,
    transfers: transfers.length,
    transferFailures,
    transferP50: totals[Math.floor(totals.length * 0.5)] ?? 0,
    transferP99: p99(totals),
    transferToMessageP99: p99(sortedBy((transfer) => transfer.toMessage)),
    transferToJoinedP99: p99(sortedBy((transfer) => transfer.toJoined)),
    transferSlowest: slowest ?? null,
    leaveCodes: Object.fromEntries(leaveCodes),
  });
}

/** The 99th percentile of sorted figures (0 when there are none). */
function p99(sorted: readonly number[]): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

async function leave(): Promise<void> {
  for (const bot of bots) bot.stop();
  await Promise.all(bots.map((bot) => bot.room.leave().catch(() => undefined)));
  print({ left: bots.length });
}

// Commands run one after another.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  let command: { cmd?: string; count?: number; seconds?: number };
  try {
    command = JSON.parse(line) as typeof command;
  } catch {
    return;
  }
  queue = queue.then(async () => {
    if (command.cmd === 'add') await add(Number(command.count));
    else if (command.cmd === 'window') await window(Number(command.seconds));
    else if (command.cmd === 'leave') await leave();
  });
});
// The SDK reports rejected promises of rooms closed under it; none of them should end the crowd.
process.on('unhandledRejection', () => undefined);
// Stopped by the orchestrator: a normal exit, so that `BENCH_BOTS_NODE_OPTIONS=--cpu-prof` writes its profile.
process.once('SIGTERM', () => process.exit(0));
print({ ready: true });
