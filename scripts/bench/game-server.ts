// Benchmark server "ours": the real game process composition (startGameProcess: PostgreSQL,
// RedisPresence, RedisDriver) with the arena world and the bench's metrics sink. The
// orchestrator passes the game's usual environment plus BENCH_PLAYERS_PER_INSTANCE,
// BENCH_MONSTERS and BENCH_PORTALS for the arena; see metrics.ts for the control protocol.
import { matchMaker } from '@colyseus/core';
import { createLogger } from '@mmo/platform';
import { gameConfigSchema } from '@mmo/server/game';
import { startGameProcess } from '../../server/src/game/game.process.js';
import { arenaWorld, ARENA_SIZE } from './arena.js';
import { BenchRecorder, serveControl } from './metrics.js';

const config = gameConfigSchema.parse(process.env);
const logger = createLogger({ service: 'bench-game', level: config.LOG_LEVEL });
const recorder = new BenchRecorder();
const world = arenaWorld(ARENA_SIZE, Number(process.env.BENCH_PLAYERS_PER_INSTANCE), Number(process.env.BENCH_MONSTERS), process.env.BENCH_PORTALS === 'true');
const game = await startGameProcess(config, logger, { world, metrics: recorder });
serveControl(recorder, config.PORT, () => ({ clients: matchMaker.stats.local.ccu, rooms: matchMaker.stats.local.roomCount }));

let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  // The orchestrator waits a bounded time, then kills the process group.
  void game.stop().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
