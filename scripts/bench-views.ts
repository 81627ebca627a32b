// `npm run bench:views`: the patch cycle of interest management alone, in one process with no
// network, so that its cost can be compared between versions without the game benchmark's
// run-to-run swing (on this machine the same build measured 69 % and 89 % of a core an hour
// apart). Options as flags or BENCH_* variables (`--players=2000`, BENCH_PLAYERS=2000).
// BENCH_PLAYERS (default 2000) players and BENCH_MONSTERS (default 300) monsters in one
// 96×96 instance; players walk as the game benchmark's bots do (a direction held for 1-3 s at
// ranger speed), monsters wander at a wolf's speed, half of them standing at a time; both step
// by the game's own rule (`advanceWalker`), so the beats they step on are the game's. Every client is
// joined and receives each patch (bytes counted, nothing sent). Each of BENCH_TICKS (default
// 600) ticks moves what is due, then runs the room's patch: `CellViews.beforePatch`, the room's
// serializer (`CellPatchSerializer`, every distinct view encoded once), `afterPatch`. Prints the
// milliseconds per patch (p50, p99, mean) after BENCH_WARMUP (default 100) ticks, the process's
// CPU time per tick (steadier than the wall clock on a shared machine), and the bytes per client
// per second and the frames (patches sent) per client per second. Seeded: the same walk every run.
import { ClientState, type Client } from '@colyseus/core';
import { MOVE_SPEED } from '@mmo/shared';
import { z } from 'zod';
import { advanceWalker, directionIntent, type Walker as GameWalker } from '../server/src/game/world/movement.js';
import { createRng, nextInt } from '../server/src/game/world/rng.js';
import { CellPatchSerializer } from '../server/src/game/rooms/cell-patches.js';
import { CellViews } from '../server/src/game/rooms/cell-views.js';
import { MapAreaState, MonsterState, PlayerState } from '../server/src/game/rooms/map-area.state.js';
import { ARENA_SIZE, arenaWorld } from './bench/arena.js';
import { parseFlags } from './bench/options.js';

const optionsSchema = z
  .object({
    players: z.coerce.number().int().min(1).max(5000).default(2000),
    monsters: z.coerce.number().int().min(0).max(5000).default(300),
    ticks: z.coerce.number().int().min(2).max(100_000).default(600),
    warmup: z.coerce.number().int().min(0).max(100_000).default(100),
  })
  .strict();
let options: z.infer<typeof optionsSchema>;
try {
  options = parseFlags(optionsSchema, process.argv.slice(2), process.env, {
    BENCH_PLAYERS: 'players',
    BENCH_MONSTERS: 'monsters',
    BENCH_TICKS: 'ticks',
    BENCH_WARMUP: 'warmup',
  });
} catch (error) {
  process.stderr.write(`bench:views: ${(error as Error).message}\n`);
  process.exit(2);
}
const { players, monsters, ticks } = options;
const warmup = Math.min(ticks - 1, options.warmup);
const SIZE = ARENA_SIZE;
const CELL = 6;
const TICK_MS = 50;
/** The room clock at tick 0: a room's ticks need not fall on round milliseconds. */
const CLOCK_START = 1_000_007;
const WOLF_SPEED = 4;
/** The game benchmark's open arena (walls around), for the walls' checks of each step. */
const area = arenaWorld(SIZE, players).get('town')!;

/** A joined client as the serializer sees it: it takes the bytes and counts them. */
class CountingClient {
  state: ClientState = ClientState.JOINING;
  view: Client['view'] = undefined;
  ref = undefined;
  bytes = 0;
  frames = 0;
  constructor(readonly sessionId: string) {}
  raw(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    this.frames += 1;
  }
  enqueueRaw(bytes: Uint8Array): void {
    this.raw(bytes);
  }
}

interface Walker {
  readonly state: InstanceType<typeof PlayerState> | InstanceType<typeof MonsterState>;
  readonly id: string;
  readonly body: GameWalker;
  nextTurn: number;
}

const rng = createRng(7);
/** A whole number in [0, n). */
const pick = (n: number) => nextInt(rng, 0, n - 1);
const state = new MapAreaState({ area: 'arena' });
const views = new CellViews(SIZE, SIZE, CELL);
const serializer = new CellPatchSerializer(
  (client) => views.standingCell(client.sessionId),
  () => views,
);
serializer.reset(state);
const turn = (walker: Walker, now: number, stand: boolean) => {
  let [dx, dy] = [0, 0];
  // Away from the walls, so that nobody spends the run pushing against one.
  const inward = (v: number) => (v < 8 ? 1 : v > SIZE - 9 ? -1 : pick(3) - 1);
  if (!stand) {
    do [dx, dy] = [inward(walker.body.x), inward(walker.body.y)];
    while (dx === 0 && dy === 0);
  }
  walker.body.intent = directionIntent(dx, dy);
  walker.nextTurn = now + 1000 + pick(2000);
};
const body = (x: number, y: number, speed: number): GameWalker => ({ x, y, speed, intent: { kind: 'idle' }, nextStepAt: CLOCK_START, fromRest: true });

const walkers: Walker[] = [];
const clients: CountingClient[] = [];
for (let i = 0; i < monsters; i += 1) {
  const monster = new MonsterState({ kind: 'wolf', hp: 20, maxHp: 20, x: 2 + pick(SIZE - 4), y: 2 + pick(SIZE - 4) });
  const id = `m${i}`;
  state.monsters.set(id, monster);
  views.place(monster, monster.x, monster.y);
  walkers.push({ state: monster, id, body: body(monster.x, monster.y, WOLF_SPEED), nextTurn: CLOCK_START + pick(3000) });
}
for (let i = 0; i < players; i += 1) {
  const id = `player-${i.toString(36).padStart(5, '0')}`;
  const player = new PlayerState({ name: `Hero ${i}`, class: 'ranger', level: 1 + pick(20), hp: 100, x: 2 + pick(SIZE - 4), y: 2 + pick(SIZE - 4) });
  state.players.set(id, player);
  views.place(player, player.x, player.y);
  const client = new CountingClient(id);
  views.watch(client as unknown as Client, player.x, player.y);
  clients.push(client);
  walkers.push({ state: player, id, body: body(player.x, player.y, MOVE_SPEED.ranger), nextTurn: CLOCK_START + pick(3000) });
}
for (const client of clients) {
  client.state = ClientState.JOINED;
  client.raw(serializer.getFullState(client as unknown as Client) as Uint8Array);
  client.bytes = 0;
  client.frames = 0;
}

const durations: number[] = [];
let measuredBytes = 0;
let measuredFrames = 0;
let cpuFrom: NodeJS.CpuUsage | undefined;
for (let tick = 0; tick < ticks; tick += 1) {
  if (tick === warmup) cpuFrom = process.cpuUsage();
  const now = CLOCK_START + tick * TICK_MS;
  for (const walker of walkers) {
    const isPlayer = walker.state instanceof PlayerState;
    if (now >= walker.nextTurn) turn(walker, now, !isPlayer && pick(2) === 0);
    if (!advanceWalker(walker.body, area, now, 0)) continue;
    const { x, y } = walker.body;
    walker.state.x = x;
    walker.state.y = y;
    if (isPlayer) views.placePlayer(walker.id, walker.state, x, y);
    else views.place(walker.state, x, y);
  }
  const before = clients.reduce((sum, client) => sum + client.bytes, 0);
  const framesBefore = clients.reduce((sum, client) => sum + client.frames, 0);
  const started = performance.now();
  views.beforePatch();
  serializer.applyPatches(clients as unknown as Client[]);
  views.afterPatch();
  const took = performance.now() - started;
  if (tick >= warmup) {
    durations.push(took);
    measuredBytes += clients.reduce((sum, client) => sum + client.bytes, 0) - before;
    measuredFrames += clients.reduce((sum, client) => sum + client.frames, 0) - framesBefore;
  }
}

const cpu = process.cpuUsage(cpuFrom);
durations.sort((a, b) => a - b);
const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!;
const mean = durations.reduce((sum, d) => sum + d, 0) / durations.length;
const seconds = (durations.length * TICK_MS) / 1000;
process.stdout.write(
  `bench:views: ${players} players, ${monsters} monsters, ${SIZE}×${SIZE}, cells of ${CELL}; ${durations.length} patches measured after ${warmup}\n` +
    `  patch ms: p50 ${at(0.5).toFixed(2)}, p99 ${at(0.99).toFixed(2)}, mean ${mean.toFixed(2)} (${((100 * mean) / TICK_MS).toFixed(0)} % of a 50 ms tick)\n` +
    `  process CPU per tick (moves and patch, garbage collection included): ${((cpu.user + cpu.system) / 1000 / durations.length).toFixed(2)} ms\n` +
    `  bytes per client per second: ${Math.round(measuredBytes / players / seconds)}; frames (socket writes) per client per second: ${(measuredFrames / players / seconds).toFixed(1)}\n`,
);
