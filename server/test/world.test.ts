import assert from 'node:assert/strict';
import { validateWorld, WORLD_AREAS, type Area } from '@mmo/shared';
import { seededRandom } from '@mmo/platform/testing';
import { cellLayout, cellOf, cellsAround, cellsTouch, forEachCellAround, SpatialGrid } from '../src/game/world/interest.js';
import { ScratchList } from '../src/game/scratch-list.js';
import { advanceWalker, beatOffsetFor, directionIntent, STEP_BEAT_MS, type Walker } from '../src/game/world/movement.js';
import { findPath } from '../src/game/world/pathfinding.js';
import { queueIntent, submitIntent } from '../src/game/world/input.js';
import { addPlayer, createAreaSimulation, takePortalStep, tick, type SimEvent } from '../src/game/world/simulation.js';

/** A tiny area written inline: walls around, one pillar, a portal at 5,1. */
const room: Area = {
  ...validateWorld(WORLD_AREAS).get('town')!,
  tiles: ['#######', '#.....#', '#.#...#', '#.....#', '#######'],
  width: 7,
  height: 5,
  portals: [{ x: 5, y: 1, to: { area: 'field', x: 2, y: 10 } }],
};

function walker(x: number, y: number, speed = 4): Walker {
  return { x, y, speed, intent: { kind: 'idle' }, nextStepAt: 0, fromRest: true };
}

describe('movement', () => {
  it('walks no faster than its speed, however often it is advanced', () => {
    const w = walker(1, 1, 4);
    w.intent = directionIntent(1, 0);
    let steps = 0;
    for (let now = 0; now <= 500; now += 10) if (advanceWalker(w, room, now, 0)) steps += 1;
    // 4 tiles per second: at 0, 250 and 500 ms; never more.
    assert.equal(w.x - 1, steps);
    assert.ok(steps <= 3, `${steps} steps in 500 ms`);
  });

  it('refuses to walk into a wall and keeps pushing', () => {
    const w = walker(1, 1);
    w.intent = directionIntent(-1, 0);
    assert.equal(advanceWalker(w, room, 1000, 0), false);
    assert.deepEqual([w.x, w.y], [1, 1]);
    assert.equal(w.intent.kind, 'direction');
  });

  it('refuses a diagonal step through the corner of a wall', () => {
    const w = walker(1, 1);
    w.intent = directionIntent(1, 1);
    assert.equal(advanceWalker(w, room, 1000, 0), false);
  });

  it('does not bank idle time into a sprint', () => {
    const w = walker(1, 1, 4);
    for (let now = 0; now <= 10_000; now += 50) advanceWalker(w, room, now, 0);
    w.intent = directionIntent(1, 0);
    advanceWalker(w, room, 10_050, 0);
    assert.equal(w.x, 2, 'one step at once after standing for ten seconds');
  });

  it('earns no steps while pushing against a wall', () => {
    const w = walker(1, 1, 4);
    w.intent = directionIntent(-1, 0);
    for (let now = 0; now <= 1000; now += 50) advanceWalker(w, room, now, 0);
    w.intent = directionIntent(1, 0);
    advanceWalker(w, room, 1050, 0);
    assert.equal(w.x, 2, 'one step after turning away from the wall, not two');
  });

  it('keeps its speed when ticks come late', () => {
    const corridor: Area = { ...room, tiles: ['#'.repeat(20), `#${'.'.repeat(18)}#`, '#'.repeat(20)], width: 20, height: 3 };
    const w = walker(1, 1, 4);
    w.intent = directionIntent(1, 0);
    // Ticks every 60 ms instead of 50: still four steps a second, at 0, 250, ... 3000 ms.
    for (let now = 0; now <= 3000; now += 60) advanceWalker(w, corridor, now, 0);
    assert.equal(w.x - 1, 13);
  });

  it('starts a walk from rest at once, then steps on the beat, none before it is earned nor a beat after, at its own pace', () => {
    const corridor: Area = { ...room, tiles: ['#'.repeat(60), `#${'.'.repeat(58)}#`, '#'.repeat(60)], width: 60, height: 3 };
    const w = walker(1, 1, 4);
    const start = 1030;
    advanceWalker(w, corridor, start - 50, 0);
    w.intent = directionIntent(1, 0);
    const steps: number[] = [];
    // Ticks every 50 ms at a phase of their own (1030, 1080, ...).
    for (let now = start; now <= start + 10_000; now += 50) if (advanceWalker(w, corridor, now, 0)) steps.push(now);
    assert.equal(steps[0], start, 'the first step at the key press tick');
    steps.slice(1).forEach((at, k) => {
      const earned = start + (k + 1) * 250;
      assert.ok(at >= earned && at < earned + STEP_BEAT_MS + 50, `step ${k + 1} at ${at}, earned at ${earned}`);
      assert.ok(at % STEP_BEAT_MS < 50, `step ${k + 1} at ${at}: the first tick of a beat`);
    });
    assert.equal(steps.length, 41, 'four steps a second over ten seconds, the first included');
  });

  it('puts every step of a walk after its first on the ticks of the beat, whoever walks and however they turn', () => {
    const open: Area = { ...room, tiles: ['#'.repeat(40), ...Array.from({ length: 38 }, () => `#${'.'.repeat(38)}#`), '#'.repeat(40)], width: 40, height: 40 };
    const random = seededRandom(14);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const walkers = Array.from({ length: 30 }, () => walker(5 + Math.floor(random() * 30), 5 + Math.floor(random() * 30), pick([3, 4, 4.5, 5])));
    // This instance's beat falls 30 ms into each 100 ms of the room clock.
    const beatOffsetMs = 30;
    let onBeat = 0;
    for (let now = 0; now <= 20_000; now += 50) {
      for (const w of walkers) {
        // Now and then a turn, a stop, or a walk from rest, at any tick.
        if (random() < 0.03) w.intent = random() < 0.2 ? { kind: 'idle' } : directionIntent(pick([-1, 0, 1]), pick([-1, 1]));
        const wasResting = w.fromRest;
        if (!advanceWalker(w, open, now, beatOffsetMs) || wasResting) continue;
        // Ticks every 50 ms: the first at or after 30, 130, 230 ... is at 50, 150, 250 ...
        assert.equal(now % STEP_BEAT_MS, 50, `a step at ${now} mid-walk`);
        onBeat += 1;
      }
    }
    assert.ok(onBeat > 1000, `${onBeat} steps checked`);
  });

  it('puts the beat on a given tick and every beat after, half a tick ahead of it', () => {
    assert.equal(beatOffsetFor(1_000_275, 50), 50);
    assert.equal(beatOffsetFor(1_000_010, 50), 85);
    const w = walker(1, 1, 5);
    const corridor: Area = { ...room, tiles: ['#'.repeat(30), `#${'.'.repeat(28)}#`, '#'.repeat(30)], width: 30, height: 3 };
    w.intent = directionIntent(1, 0);
    const steps: number[] = [];
    // Ticks a millisecond or two off their turns at 10, 60, 110 ...; the beat's are 10, 110, 210 ...
    const offset = beatOffsetFor(10, 50);
    for (let k = 0; k < 40; k += 1) {
      const now = 10 + 50 * k + (k % 3) - 1;
      if (advanceWalker(w, corridor, now, offset)) steps.push(k);
    }
    // The first from rest at once; the second, earned at 200 ms, waits for the beat at 285 (the
    // tick at 310); then one every 200 ms, every fourth tick, all on the beat's turns.
    assert.deepEqual(steps, [0, 6, 10, 14, 18, 22, 26, 30, 34, 38]);
  });

  it('takes √2 as long for a diagonal step', () => {
    const w = walker(1, 1, 4);
    w.intent = directionIntent(1, 1);
    const open: Area = { ...room, tiles: ['#######', '#.....#', '#.....#', '#.....#', '#######'] };
    let steps = 0;
    for (let now = 0; now <= 700; now += 10) if (advanceWalker(w, open, now, 0)) steps += 1;
    assert.equal(steps, 2, 'diagonal steps at 0 and 354 ms, the next not before 707 ms');
  });
});

describe('pathfinding', () => {
  it('finds the shortest walk around a pillar', () => {
    const path = findPath(room, { x: 1, y: 3 }, { x: 3, y: 1 }, 10);
    assert.ok(path);
    assert.deepEqual(path.at(-1), { x: 3, y: 1 });
    assert.ok(path.every((p) => !(p.x === 2 && p.y === 2)));
  });

  it('answers null for a wall or a target beyond the limit', () => {
    assert.equal(findPath(room, { x: 1, y: 1 }, { x: 0, y: 0 }, 10), null);
    assert.equal(findPath(room, { x: 1, y: 1 }, { x: 5, y: 3 }, 2), null);
  });
});

describe('cells of interest', () => {
  it('cuts an area into cells and counts tiles outside in the nearest', () => {
    const layout = cellLayout(20, 10, 8);
    assert.deepEqual(layout, { size: 8, columns: 3, rows: 2 });
    assert.equal(cellOf(layout, 0, 0), 0);
    assert.equal(cellOf(layout, 8, 0), 1);
    assert.equal(cellOf(layout, 19, 9), 5);
    assert.equal(cellOf(layout, -3, 40), 3);
  });

  it('sees a cell and its neighbours inside the area only', () => {
    const layout = cellLayout(32, 32, 8);
    const around = (cell: number) => {
      const cells: number[] = [];
      forEachCellAround(layout, cell, (c) => cells.push(c));
      return cells;
    };
    assert.deepEqual(around(0), [0, 1, 4, 5]);
    assert.deepEqual(around(5), [0, 1, 2, 4, 5, 6, 8, 9, 10]);
    assert.deepEqual(around(15), [10, 11, 14, 15]);
  });

  it('tells whether two cells touch, exactly when one is around the other', () => {
    const layout = cellLayout(40, 24, 8);
    for (let a = 0; a < layout.columns * layout.rows; a += 1) {
      const around = new Set<number>();
      forEachCellAround(layout, a, (c) => around.add(c));
      for (let b = 0; b < layout.columns * layout.rows; b += 1) assert.equal(cellsTouch(layout, a, b), around.has(b), `cells ${a} and ${b}`);
    }
  });

  it('lists the cells around a cell as the visitor visits them, into an emptied list', () => {
    const into = new ScratchList<number>();
    into.push(999);
    for (const layout of [cellLayout(96, 96, 6), cellLayout(7, 5, 3), cellLayout(10, 10, null), cellLayout(13, 1, 2)]) {
      for (let cell = 0; cell < layout.columns * layout.rows; cell += 1) {
        const visited: number[] = [];
        forEachCellAround(layout, cell, (c) => visited.push(c));
        const listed = cellsAround(layout, cell, into);
        assert.equal(listed, into);
        assert.deepEqual(Array.from({ length: listed.length }, (_, i) => listed.at(i)), visited, `cell ${cell}`);
      }
    }
  });

  it('finds in the spatial grid exactly the entities in the buckets around a point, through random moves and removals', () => {
    const grid = new SpatialGrid(8);
    const at = new Map<string, { x: number; y: number }>();
    const random = seededRandom(12345);
    for (let step = 0; step < 2_000; step += 1) {
      const id = `p${Math.floor(random() * 40)}`;
      if (random() < 0.2) {
        grid.remove(id);
        at.delete(id);
      } else {
        const point = { x: Math.floor(random() * 64), y: Math.floor(random() * 64) };
        grid.set(id, point);
        at.set(id, point);
      }
      const from = { x: Math.floor(random() * 64), y: Math.floor(random() * 64) };
      // The square of buckets overlapping 5 tiles around `from`.
      const bucket = (v: number) => Math.floor(v / 8);
      const within = (v: number, centre: number) => bucket(v) >= bucket(centre - 5) && bucket(v) <= bucket(centre + 5);
      const expected = [...at].filter(([, p]) => within(p.x, from.x) && within(p.y, from.y)).map(([i]) => i);
      const found: string[] = [];
      grid.forEachNear(from, 5, (i) => found.push(i));
      assert.equal(found.length, new Set(found).size, 'each entity once');
      assert.deepEqual(new Set(found), new Set(expected));
    }
  });

  it('makes one cell of the whole area when interest management is off', () => {
    const layout = cellLayout(96, 40, null);
    assert.deepEqual(layout, { size: 96, columns: 1, rows: 1 });
    assert.equal(cellOf(layout, 95, 39), 0);
  });
});

describe('area tick', () => {
  it('moves a player onto a portal and reports it once', () => {
    const sim = createAreaSimulation(room, { maxPathDistance: 10 });
    const player = addPlayer(sim, { id: 'p', x: 4, y: 1, speed: 4, now: 0 });
    player.pendingIntent = { dx: 1, dy: 0 };
    const events = [...tick(sim, 0), ...tick(sim, 300), ...tick(sim, 600)];
    const portals = events.filter((e) => e.type === 'portal');
    assert.equal(portals.length, 1);
    assert.deepEqual([player.x, player.y], [5, 1]);
  });

  it('takes an earned step onto a portal at once, leaving the player as the next tick would', () => {
    // Two copies of one player standing beside the portal since the tick at 1000 ms: one steps
    // when its intent arrives (the room clock still reads 1000), the other at the next tick.
    const early = createAreaSimulation(room, { maxPathDistance: 10 });
    const queued = createAreaSimulation(room, { maxPathDistance: 10 });
    for (const sim of [early, queued]) {
      addPlayer(sim, { id: 'p', x: 4, y: 1, speed: 4, now: 0 });
      tick(sim, 1000);
    }
    const atOnce = submitIntent(early, 'p', { dx: 1, dy: 0 }, 1000);
    queueIntent(queued, 'p', { dx: 1, dy: 0 });
    const atTick = tick(queued, 1050);
    const portal = room.portals[0]!;
    assert.deepEqual(atOnce, [
      { type: 'moved', id: 'p', x: 5, y: 1 },
      { type: 'portal', id: 'p', portal },
    ]);
    assert.deepEqual(atTick, atOnce, 'the same events');
    assert.deepEqual(early.players.get('p'), queued.players.get('p'), 'the same position, step time and state');
    assert.deepEqual(tick(early, 1050), [], 'the tick that follows has nothing more to do for it');
  });

  it('leaves to the tick every intent but an earned step that ends on a portal', () => {
    const sim = createAreaSimulation(room, { maxPathDistance: 10 });
    const player = addPlayer(sim, { id: 'p', x: 4, y: 1, speed: 4, now: 0 });
    tick(sim, 1000);
    const waits = (intent: Parameters<typeof takePortalStep>[2], what: string): void => {
      assert.equal(takePortalStep(sim, 'p', intent, 1000), null, what);
      assert.deepEqual([player.x, player.y, player.leaving], [4, 1, false]);
    };
    waits({ dx: -1, dy: 0 }, 'a step that does not end on a portal');
    waits({ dx: 0, dy: 0 }, 'a stop');
    waits({ to: { x: 5, y: 1 } }, 'a click, even on the portal');
    waits({ dx: 0, dy: -1 }, 'a step into a wall');
    // Walking: a step taken as of 1000 ms, the next earned at 1250.
    player.x = 3;
    player.intent = directionIntent(1, 0);
    tick(sim, 1050);
    player.intent = { kind: 'idle' };
    assert.deepEqual([player.x, player.nextStepAt], [4, 1250]);
    assert.equal(takePortalStep(sim, 'p', { dx: 1, dy: 0 }, 1100), null, 'a step not yet earned waits for its tick');
    queueIntent(sim, 'p', { dx: 1, dy: 0 });
    assert.deepEqual(tick(sim, 1250), [], 'walking on, it is earned at 1250 but due on the beat');
    const events: SimEvent[] = tick(sim, 1300);
    assert.equal(events.filter((e) => e.type === 'portal').length, 1, 'and the tick on the beat takes it');
    assert.equal(takePortalStep(sim, 'p', { dx: -1, dy: 0 }, 2000), null, 'a player leaving asks for nothing');
    assert.equal(takePortalStep(sim, 'nobody', { dx: 1, dy: 0 }, 2000), null);
  });

  it('searches one path per player at most every pathSearchMs; a newer target replaces a waiting one; arrow keys never wait', () => {
    const open: Area = { ...room, tiles: ['#'.repeat(12), ...Array.from({ length: 6 }, () => `#${'.'.repeat(10)}#`), '#'.repeat(12)], width: 12, height: 8, portals: [] };
    const sim = createAreaSimulation(open, { maxPathDistance: 20, pathSearchMs: 200 });
    const player = addPlayer(sim, { id: 'p', x: 1, y: 1, speed: 4, now: 0 });
    player.pendingIntent = { to: { x: 8, y: 1 } };
    tick(sim, 0);
    assert.deepEqual(player.intent.kind === 'path' && player.intent.steps.at(-1), { x: 8, y: 1 }, 'the first search runs at once');
    // Two more targets before 200 ms: neither is searched yet, the last one stands.
    player.pendingIntent = { to: { x: 1, y: 6 } };
    tick(sim, 50);
    player.pendingIntent = { to: { x: 5, y: 5 } };
    tick(sim, 100);
    assert.deepEqual(player.intent.kind === 'path' && player.intent.steps.at(-1), { x: 8, y: 1 }, 'still on the first path');
    assert.deepEqual(player.pendingIntent, { to: { x: 5, y: 5 } });
    tick(sim, 200);
    assert.deepEqual(player.intent.kind === 'path' && player.intent.steps.at(-1), { x: 5, y: 5 }, 'the latest target is searched on its turn');
    assert.equal(player.pendingIntent, null);
    // A direction applies at the next tick whatever the path searches did.
    player.pendingIntent = { dx: -1, dy: 0 };
    tick(sim, 250);
    assert.deepEqual(player.intent, { kind: 'direction', dx: -1, dy: 0 });
    // An unreachable target is answered as before, on its turn.
    player.pendingIntent = { to: { x: 0, y: 0 } };
    assert.deepEqual(tick(sim, 300).filter((e) => e.type === 'noPath'), []);
    assert.deepEqual(tick(sim, 400).filter((e) => e.type === 'noPath'), [{ type: 'noPath', id: 'p' }]);
  });
});
