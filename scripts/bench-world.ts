// `npx tsx scripts/bench-world.ts`: the pure world rules alone, no network. Monsters
// (BENCH_MONSTERS, default 500) in spawn zones over a 160×160 area and players (BENCH_PLAYERS,
// default 300) walking to random tiles and attacking the nearest monster in reach, for
// BENCH_TICKS fixed 50 ms ticks (default 2000). With BENCH_WALK=1 the players walk like real
// ones instead: a new intent every 150–400 ms, mostly an arrow-key direction, one in five a
// click-to-move `{to}` up to 24 tiles away; with BENCH_WALK=drag every intent is a `{to}`, ten
// a second (a cursor dragged, at the room's intent limit). BENCH_PATH_SEARCH_MS overrides the
// spacing of one player's path searches (0: a search for every target). Prints microseconds per tick of the movement
// simulation and of the combat step, the CPU time of both over the run, and what happened.
import { loadMonsterKinds, type Area, type SpawnZone } from '@mmo/shared';
import { queueAttack } from '../server/src/game/world/combat.js';
import { addCombatPlayer, createCombatWorld, stepCombatWorld, type CombatEvent } from '../server/src/game/world/combat-world.js';
import { SpatialGrid } from '../server/src/game/world/interest.js';
import { checkPickup, takeDrop } from '../server/src/game/world/loot.js';
import { createRng, nextInt } from '../server/src/game/world/rng.js';
import { addPlayer, createAreaSimulation, tick } from '../server/src/game/world/simulation.js';

const monsters = Math.min(5000, Math.max(1, Number(process.env.BENCH_MONSTERS ?? 500)));
const players = Math.min(3000, Math.max(1, Number(process.env.BENCH_PLAYERS ?? 300)));
const ticks = Math.min(100_000, Math.max(10, Number(process.env.BENCH_TICKS ?? 2000)));
const walk = process.env.BENCH_WALK === '1' || process.env.BENCH_WALK === 'drag';
const drag = process.env.BENCH_WALK === 'drag';
const pathSearchMs = process.env.BENCH_PATH_SEARCH_MS === undefined ? undefined : Math.max(0, Number(process.env.BENCH_PATH_SEARCH_MS));
const size = 160;
const tickMs = 50;

// An open area with a short wall every 16 tiles, so that paths bend.
const tiles = Array.from({ length: size }, (_, y) =>
  Array.from({ length: size }, (_, x) => (x === 0 || y === 0 || x === size - 1 || y === size - 1 || (x % 16 === 8 && y % 16 < 6) ? '#' : '.')).join(''),
);
const kindIds = ['field_rat', 'wolf', 'bandit', 'cave_spider', 'cellar_skeleton'];
const perZone = 10;
const spawnZones: SpawnZone[] = Array.from({ length: Math.ceil(monsters / perZone) }, (_, i) => ({
  id: `zone_${i}`,
  kind: kindIds[i % kindIds.length]!,
  x: 10 + ((i * 37) % (size - 30)),
  y: 10 + ((i * 53) % (size - 30)),
  width: 8,
  height: 8,
  count: Math.min(perZone, monsters - i * perZone),
}));
const area: Area = { id: 'field', name: 'Bench', capacity: players, tiles, width: size, height: size, spawn: { x: 80, y: 80 }, portals: [], spawnZones };

const rng = createRng(12345);
const sim = createAreaSimulation(area, { maxPathDistance: 64, ...(pathSearchMs === undefined ? {} : { pathSearchMs }) });
const world = createCombatWorld(area, { instanceId: 'bench', now: 0, rng, kinds: loadMonsterKinds() });
// What the bots see near them (living monsters and drops), kept from the world's events as a room's clients would.
const inSight = new SpatialGrid(8);
for (const monster of world.monsters.values()) if (monster.state !== 'dead') inSight.set(monster.id, monster);
const nearby: string[] = [];
for (let i = 0; i < players; i += 1) {
  const at = { x: nextInt(rng, 2, size - 3), y: nextInt(rng, 2, size - 3) };
  if (tiles[at.y]![at.x] === '#') at.x += 1;
  const simPlayer = addPlayer(sim, { id: `p${i}`, ...at, speed: 4, now: 0 });
  addCombatPlayer(world, { id: `p${i}`, characterId: `c${i}`, class: i % 2 === 0 ? 'warrior' : 'ranger', level: 5, xp: 0, equipped: [], at: simPlayer, now: 0 });
}

const nextInputAt = new Map<string, number>();
const simMicros: number[] = [];
let simCpu = 0;
let combatCpu = 0;
const combatMicros: number[] = [];
const counts = new Map<CombatEvent['type'], number>();
let now = 0;
for (let t = 0; t < ticks; t += 1) {
  now += tickMs;
  // Inputs: every player now and then walks somewhere new, and swings at the nearest monster in reach.
  for (const player of world.players.values()) {
    const simPlayer = sim.players.get(player.id)!;
    if (walk) {
      if (player.respawnAt === null && now >= (nextInputAt.get(player.id) ?? 0)) {
        nextInputAt.set(player.id, now + (drag ? 100 : nextInt(rng, 150, 400)));
        simPlayer.pendingIntent = drag || nextInt(rng, 0, 4) === 0
          ? { to: { x: Math.min(size - 2, Math.max(1, simPlayer.x + nextInt(rng, -24, 24))), y: Math.min(size - 2, Math.max(1, simPlayer.y + nextInt(rng, -24, 24))) } }
          : { dx: nextInt(rng, -1, 1) as -1 | 0 | 1, dy: nextInt(rng, -1, 1) as -1 | 0 | 1 };
      }
    } else if (player.respawnAt === null && simPlayer.intent.kind === 'idle' && nextInt(rng, 0, 40) === 0) {
      simPlayer.pendingIntent = { to: { x: Math.min(size - 2, Math.max(1, simPlayer.x + nextInt(rng, -12, 12))), y: Math.min(size - 2, Math.max(1, simPlayer.y + nextInt(rng, -12, 12))) } };
    }
    if (player.respawnAt !== null || now < player.nextAttackAt) continue;
    let target: string | undefined;
    nearby.length = 0;
    inSight.forEachNear(player.at, 6, (id) => void nearby.push(id));
    for (const id of nearby) {
      if (target === undefined && id.startsWith('m')) target = id;
      else if (id.startsWith('d') && checkPickup(world, player.id, id, now).ok && takeDrop(world, id, player.id)) inSight.remove(id);
    }
    if (target) queueAttack(world, player.id, target, now);
  }
  const cpuA = process.cpuUsage();
  const a = performance.now();
  tick(sim, now);
  const b = performance.now();
  const cpuB = process.cpuUsage();
  const events = stepCombatWorld(world, now, rng);
  const c = performance.now();
  const cpuC = process.cpuUsage();
  simCpu += cpuB.user - cpuA.user + cpuB.system - cpuA.system;
  combatCpu += cpuC.user - cpuB.user + cpuC.system - cpuB.system;
  simMicros.push((b - a) * 1000);
  combatMicros.push((c - b) * 1000);
  for (const event of events) {
    counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    if (event.type === 'monsterMoved' || event.type === 'monsterSpawned') inSight.set(event.monsterId, event);
    else if (event.type === 'monsterDied') inSight.remove(event.monsterId);
    else if (event.type === 'dropSpawned') inSight.set(event.dropId, event);
    else if (event.type === 'dropExpired') inSight.remove(event.dropId);
    // The room's part: a player back from death is moved to the spawn.
    if (event.type === 'playerRespawned') {
      const simPlayer = sim.players.get(event.playerId)!;
      Object.assign(simPlayer, { x: event.x, y: event.y, intent: { kind: 'idle' } });
    }
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const row = (name: string, values: number[]) =>
  `${name.padEnd(22)} p50 ${percentile(values, 50).toFixed(0).padStart(6)} µs   p99 ${percentile(values, 99).toFixed(0).padStart(6)} µs   mean ${(values.reduce((s, v) => s + v, 0) / values.length).toFixed(0).padStart(6)} µs`;
console.log(`${world.monsters.size} monsters, ${world.players.size} players${drag ? ' dragging the cursor' : walk ? ' walking like players' : ''}, path searches ${sim.pathSearchMs} ms apart, ${ticks} ticks of ${tickMs} ms (${(ticks * tickMs) / 1000} s of game time)`);
console.log(row('movement tick', simMicros));
console.log(row('stepCombatWorld', combatMicros));
console.log(`CPU per tick           movement ${(simCpu / ticks).toFixed(0)} µs   combat ${(combatCpu / ticks).toFixed(0)} µs`);
console.log(`events: ${[...counts].map(([type, n]) => `${type} ${n}`).join(', ')}`);
