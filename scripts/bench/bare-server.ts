// Benchmark server "bare": Colyseus 0.18 and nothing of ours (@colyseus/core Server,
// @colyseus/ws-transport, @colyseus/schema), for comparison in the same run. Its room has the
// state shape of ours (`players` {name, class, level, hp, x, y}, `monsters` {kind, hp, maxHp,
// x, y}) without interest management: every client receives everything, as a bare Colyseus room
// sends it. 20 Hz simulation and patches; players move by the same intents as ours (a held
// direction, or a straight walk to a tile: the arena is open) at the same speed; as many
// monsters wander. Clients join with `joinOrCreate('bare')`; a room holds
// BENCH_PLAYERS_PER_INSTANCE, then another is created. Same control protocol as game-server.ts.
import { createServer } from 'node:http';
import { matchMaker, Room, Server, type Client } from '@colyseus/core';
import { schema, t, type SchemaType } from '@colyseus/schema';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { MOVE_SPEED } from '@mmo/shared';
import { ARENA_SIZE } from './arena.js';
import { BenchRecorder, serveControl } from './metrics.js';

const port = Number(process.env.PORT ?? 0);
const perInstance = Number(process.env.BENCH_PLAYERS_PER_INSTANCE ?? 100);
const monsterCount = Number(process.env.BENCH_MONSTERS ?? 0);
const speed = MOVE_SPEED.ranger;
const recorder = new BenchRecorder();

const BarePlayer = schema({ name: t.string(), class: t.string(), level: t.uint8(), hp: t.uint16(), x: t.uint8(), y: t.uint8() }, 'BarePlayer');
type BarePlayer = SchemaType<typeof BarePlayer>;
const BareMonster = schema({ kind: t.string(), hp: t.uint16(), maxHp: t.uint16(), x: t.uint8(), y: t.uint8() }, 'BareMonster');
type BareMonster = SchemaType<typeof BareMonster>;
const BareState = schema({ players: t.map(BarePlayer), monsters: t.map(BareMonster) }, 'BareState');
type BareState = SchemaType<typeof BareState>;

interface Walker {
  dx: number;
  dy: number;
  to?: { x: number; y: number };
  /** Tiles earned and not yet walked. */
  progress: number;
}

const clamp = (v: number) => Math.min(ARENA_SIZE - 2, Math.max(1, v));
const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);

class BareRoom extends Room<{ state: BareState }> {
  private readonly walkers = new Map<string, Walker>();
  private readonly wanderers: Walker[] = [];

  override onCreate(): void {
    this.maxClients = perInstance;
    this.state = new BareState();
    for (let i = 0; i < monsterCount; i += 1) {
      const monster = new BareMonster();
      Object.assign(monster, { kind: i % 3 === 0 ? 'wolf' : 'field_rat', hp: 30, maxHp: 30, x: clamp(2 + Math.floor(Math.random() * (ARENA_SIZE - 4))), y: clamp(2 + Math.floor(Math.random() * (ARENA_SIZE - 4))) });
      this.state.monsters.set(`m${i}`, monster);
      this.wanderers.push({ dx: 0, dy: 0, progress: 0 });
    }
    this.onMessage('move', (client, message: { dx?: number; dy?: number; to?: { x: number; y: number } }) => {
      const walker = this.walkers.get(client.sessionId);
      if (!walker) return;
      if (message.to) Object.assign(walker, { to: { x: clamp(message.to.x), y: clamp(message.to.y) }, dx: 0, dy: 0 });
      else Object.assign(walker, { to: undefined, dx: sign(message.dx ?? 0), dy: sign(message.dy ?? 0) });
    });
    this.onMessage('attack', (client, message: { targetId?: string }) => {
      const monster = message.targetId ? this.state.monsters.get(message.targetId) : undefined;
      const player = this.state.players.get(client.sessionId);
      if (!monster || !player || monster.hp === 0) return;
      if (Math.max(Math.abs(monster.x - player.x), Math.abs(monster.y - player.y)) > 6) return;
      monster.hp = Math.max(0, monster.hp - 7);
    });
    this.setSimulationInterval((ms) => this.step(ms), 50);
    this.setPatchRate(50);
  }

  /** Players appear where the bot asks (a random tile of the arena, as ours are placed), else at the spawn. */
  override onJoin(client: Client, options?: { x?: unknown; y?: unknown }): void {
    const at = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? clamp(value) : 10);
    const player = new BarePlayer();
    Object.assign(player, { name: `P${client.sessionId}`.slice(0, 16), class: 'ranger', level: 1, hp: 100, x: at(options?.x), y: at(options?.y) });
    this.state.players.set(client.sessionId, player);
    this.walkers.set(client.sessionId, { dx: 0, dy: 0, progress: 0 });
  }

  override onLeave(client: Client): void {
    this.state.players.delete(client.sessionId);
    this.walkers.delete(client.sessionId);
  }

  override onDispose(): void {
    recorder.forget(this.roomId);
  }

  private step(ms: number): void {
    const started = performance.now();
    const earned = (speed * ms) / 1000;
    this.walkers.forEach((walker, id) => {
      const player = this.state.players.get(id);
      if (player) walk(walker, player, earned);
    });
    let index = 0;
    this.state.monsters.forEach((monster) => {
      const wanderer = this.wanderers[index++]!;
      // A dead monster comes back at full health; a live one changes its mind now and then.
      if (monster.hp === 0) monster.hp = monster.maxHp;
      if (Math.random() < 0.02) Object.assign(wanderer, { dx: Math.floor(Math.random() * 3) - 1, dy: Math.floor(Math.random() * 3) - 1 });
      walk(wanderer, monster, earned * 0.6);
    });
    recorder.recordTick(this.roomId, started, performance.now() - started);
  }

  override broadcastPatch(): boolean {
    const started = performance.now();
    const sent = super.broadcastPatch();
    recorder.recordPatch(this.roomId, started, performance.now() - started);
    return sent;
  }
}

/** Whole tiles at `earned` tiles per step, toward a target or in a direction, inside the arena. */
function walk(walker: Walker, at: { x: number; y: number }, earned: number): void {
  const dx = walker.to ? sign(walker.to.x - at.x) : walker.dx;
  const dy = walker.to ? sign(walker.to.y - at.y) : walker.dy;
  if (dx === 0 && dy === 0) {
    walker.progress = 0;
    walker.to = undefined;
    return;
  }
  walker.progress = Math.min(walker.progress + earned, 1.5);
  while (walker.progress >= 1) {
    walker.progress -= 1;
    at.x = clamp(at.x + dx);
    at.y = clamp(at.y + dy);
  }
}

const http = createServer();
const server = new Server({ transport: new WebSocketTransport({ server: http }), greet: false, gracefullyShutdown: false });
server.define('bare', BareRoom);
await server.listen(port);
const address = http.address();
serveControl(recorder, typeof address === 'object' && address ? address.port : port, () => ({ clients: matchMaker.stats.local.ccu, rooms: matchMaker.stats.local.roomCount }));

const stop = () => void server.gracefullyShutdown(false).then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
