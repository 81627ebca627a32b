// What a room's save rounds cost the event loop and the database, on the real stack: a few
// hundred occupants of one room, every one with changed progress (worst case: each moves a
// leaderboard), saved for one save interval. Prints the longest event-loop block while saves run
// (a 1 ms timer's largest gap, and monitorEventLoopDelay's max), the CPU time spent, and the
// statements and transactions sent to PostgreSQL.
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/11 \
//     npx tsx scripts/bench-saves.ts [players] [idle]
//
// `idle` measures the same window with no saves at all: the noise floor of the machine.
//
// Runs against either save path: a room that saves a slice each second (`saveSlice`) or, on an
// older checkout, the whole room at once every interval (`saveRound`).
import { randomBytes, randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Client } from '@colyseus/core';
import { RedisPresence } from '@colyseus/redis-presence';
import { createRedis, createSilentLogger, LocalEventBus, openDatabase, RedisLeaderboardStore, RedisOnlineDirectory, SanctionList, SessionDenylist, TextFilter } from '@mmo/platform';
import { createScratchDatabase } from '@mmo/platform/testing';
import { loadWorld, normalizeName } from '@mmo/shared';
import pg from 'pg';
import { PrismaCharacterStore } from '../server/src/game/character.store.js';
import { gameSettingsSchema } from '../server/src/game/config.js';
import { PrismaProgressStore } from '../server/src/game/progress.store.js';
import type { MapAreaDeps } from '../server/src/game/rooms/map-area.deps.js';
import { Occupancy } from '../server/src/game/rooms/occupancy.js';
import type { Occupant } from '../server/src/game/rooms/occupant.js';
import { SocialLink } from '../server/src/game/rooms/social-link.js';
import { createCombatWorld } from '../server/src/game/world/combat-world.js';
import { createRng } from '../server/src/game/world/rng.js';
import { createAreaSimulation } from '../server/src/game/world/simulation.js';

const PLAYERS = Number(process.argv[2] ?? 300);
const SAVE_INTERVAL_SECONDS = 15;
const { DATABASE_URL: serverUrl, REDIS_URL: redisUrl } = process.env;
if (!serverUrl || !redisUrl) throw new Error('bench-saves needs DATABASE_URL and REDIS_URL');

// Every statement any pooled connection sends (BEGIN and COMMIT included).
const sent = { statements: 0, begins: 0 };
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text ?? '';
  sent.statements += 1;
  if (/^\s*BEGIN/i.test(text)) sent.begins += 1;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const logger = createSilentLogger();
const scratch = await createScratchDatabase(serverUrl, 'saves_bench');
const db = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 10 }, { migrate: true });
const redis = createRedis(redisUrl, 'bench-saves', logger);
const presence = new RedisPresence(redisUrl);
const prefix = `bench-saves:${randomBytes(4).toString('hex')}:`;
const area = loadWorld().get('field')!;

try {
  const account = await db.prisma.account.create({ data: { username: `b${randomBytes(4).toString('hex')}`, usernameKey: `b${randomBytes(6).toString('hex')}`, passwordHash: 'x' } });
  const rows = Array.from({ length: PLAYERS }, (_, i) => {
    const name = `Bench${i}x${randomBytes(3).toString('hex').replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)))}`;
    return { id: randomUUID(), accountId: account.id, name, nameKey: normalizeName(name), class: 'warrior', area: 'field', ...area.spawn };
  });
  await db.prisma.character.createMany({ data: rows });

  const settings = gameSettingsSchema.parse({ SAVE_INTERVAL_SECONDS: String(SAVE_INTERVAL_SECONDS) });
  const deps: Omit<MapAreaDeps, 'ticks'> = {
    world: loadWorld(),
    characters: new PrismaCharacterStore(db.prisma, logger),
    progress: new PrismaProgressStore(db.prisma, logger, new RedisLeaderboardStore(redis, prefix)),
    bus: new LocalEventBus(logger),
    denylist: new SessionDenylist(),
    sanctions: new SanctionList(),
    online: new RedisOnlineDirectory(redis),
    filter: new TextFilter(),
    logger,
    settings,
    reserveSeat: () => Promise.reject(new Error('no transfers here')),
  };
  const roomId = `bench-${randomUUID()}`;
  const combat = createCombatWorld(area, { instanceId: roomId, now: 0, rng: createRng(1) });
  const occupancy = new Occupancy(deps, {
    roomId,
    presence,
    area,
    sim: createAreaSimulation(area, { maxPathDistance: 32 }),
    combat,
    players: new Map(),
    social: new SocialLink({ ...deps, onlineTtlSeconds: SAVE_INTERVAL_SECONDS * 3 + 5 }, roomId),
    now: () => 0,
    later: () => {},
    background: (work) => void work.catch(() => {}),
  });
  const occupants: Occupant[] = [];
  for (const [i, row] of rows.entries()) {
    const client = { sessionId: `s${i}`, auth: { accountId: account.id, loginSessionId: randomUUID(), characterId: row.id }, send: () => {}, leave: () => {} };
    occupants.push(await occupancy.admit(client as unknown as Client));
  }

  const saves = occupancy as unknown as { saveSlice?: () => Promise<void>; saveRound?: () => Promise<void> };
  const mode = saves.saveSlice ? 'slices' : 'round';
  /** Every occupant moved and earned experience since its last save. */
  const changeEveryone = () => {
    for (const occupant of occupants) {
      occupant.fighter.xp += 1;
      occupant.character.x = occupant.character.x === area.spawn.x ? area.spawn.x + 1 : area.spawn.x;
      occupant.dirty = true;
    }
  };
  /** One save interval's worth of saves, as the room's timer runs them. */
  const oneInterval = async () => {
    if (process.argv[3] === 'idle') {
      await new Promise((resolve) => setTimeout(resolve, SAVE_INTERVAL_SECONDS * 1000));
    } else if (saves.saveSlice) {
      for (let second = 0; second < SAVE_INTERVAL_SECONDS; second += 1) {
        const started = performance.now();
        await saves.saveSlice.call(occupancy);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - started))));
      }
    } else {
      await saves.saveRound!.call(occupancy);
    }
  };

  changeEveryone();
  await oneInterval(); // warm-up: connections opened, statements prepared, boards created

  // CPU of one interval's saves alone, without the timers below (which cost CPU themselves).
  changeEveryone();
  const quiet = process.cpuUsage();
  await oneInterval();
  const quietCpu = process.cpuUsage(quiet);

  changeEveryone();
  const before = { ...sent };
  let last = performance.now();
  let maxGap = 0;
  const gaps: number[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    if (now - last > 10) gaps.push(Math.round(now - last));
    last = now;
  }, 1);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await oneInterval();
  const wallMs = performance.now() - started;
  const measured = { statements: sent.statements - before.statements, begins: sent.begins - before.begins };
  const used = process.cpuUsage(cpu);
  histogram.disable();
  clearInterval(timer);
  const unsaved = occupants.filter((o) => o.dirty).length;
  const stored = await db.prisma.character.count({ where: { id: { in: rows.map((row) => row.id) }, xp: 3 } });

  console.log(`save path: ${process.argv[3] === 'idle' ? 'none (idle baseline)' : mode}, ${PLAYERS} occupants, all changed, interval ${SAVE_INTERVAL_SECONDS} s`);
  console.log(`  saved: ${stored}/${PLAYERS} rows hold the latest progress, ${unsaved} still dirty`);
  console.log(`  statements sent: ${measured.statements}, transactions opened (BEGIN): ${measured.begins}`);
  console.log(`  event loop: longest gap of a 1 ms timer ${maxGap.toFixed(1)} ms, max delay ${(histogram.max / 1e6).toFixed(1)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms`);
  console.log(`  gaps over 10 ms: ${gaps.length} (${gaps.join(', ')})`);
  console.log(`  CPU: ${((quietCpu.user + quietCpu.system) / 1000).toFixed(0)} ms for one interval's saves; ${((used.user + used.system) / 1000).toFixed(0)} ms with the timers, over ${(wallMs / 1000).toFixed(1)} s`);
} finally {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  presence.shutdown();
  await redis.quit();
  await db.close();
  await scratch.drop();
}
