// Shared by the combat world's tests (world-combat, world-rewards): a small walled field with one
// zone of one test beast, and the helpers that join players and run the world.
import assert from 'node:assert/strict';
import { monsterKindSchema, type Area, type MonsterKind, type SpawnZone } from '@mmo/shared';
import { queueAttack } from '../src/game/world/combat.js';
import { addCombatPlayer, createCombatWorld, stepCombatWorld, type CombatEvent, type CombatPlayer, type CombatWorld, type Monster } from '../src/game/world/combat-world.js';
import { createRng, type Rng } from '../src/game/world/rng.js';

/** An open 40×16 field walled around, the spawn in the west, one zone in the east. */
const rows = ['#'.repeat(40), ...Array.from({ length: 14 }, () => `#${'.'.repeat(38)}#`), '#'.repeat(40)];

export const beast: MonsterKind = monsterKindSchema.parse({
  id: 'test_beast', name: 'Test Beast', level: 2, maxHp: 60, attack: 10, defense: 4, speed: 4,
  aggroRadius: 4, leashRadius: 8, attackRange: 1, attackCooldownMs: 1000, respawnMs: 10_000, xp: 50,
  loot: { gold: { min: 5, max: 10 }, items: [{ itemId: 'wolf_pelt', chance: 0.5, min: 1, max: 2 }, { itemId: 'health_potion', chance: 0.1, min: 1, max: 1 }] },
});
const kinds = new Map([[beast.id, beast]]);
export const zone: SpawnZone = { id: 'pen', kind: beast.id, x: 28, y: 6, width: 3, height: 3, count: 1 };

function makeArea(zones: SpawnZone[] = [zone]): Area {
  return { id: 'field', name: 'Test', capacity: 10, tiles: rows, width: 40, height: 16, spawn: { x: 2, y: 2 }, portals: [], spawnZones: zones };
}

export function makeWorld(zones?: SpawnZone[], seed = 7): { world: CombatWorld; rng: Rng } {
  const rng = createRng(seed);
  return { world: createCombatWorld(makeArea(zones), { instanceId: 'inst', now: 0, rng, kinds }), rng };
}

let nextId = 0;
export function join(world: CombatWorld, at: { x: number; y: number }, extra: Partial<Parameters<typeof addCombatPlayer>[1]> = {}): CombatPlayer {
  nextId += 1;
  return addCombatPlayer(world, { id: `p${nextId}`, characterId: `c${nextId}`, class: 'warrior', level: 1, xp: 0, equipped: ['rusty_sword'], at: { ...at }, now: 0, ...extra });
}

export function onlyMonster(world: CombatWorld): Monster {
  return [...world.monsters.values()][0]!;
}

/** Steps the world every 50 ms over (from, to], returning every event. */
export function run(world: CombatWorld, rng: Rng, from: number, to: number, each?: (now: number, events: CombatEvent[]) => void): CombatEvent[] {
  const all: CombatEvent[] = [];
  for (let now = from + 50; now <= to; now += 50) {
    const events = stepCombatWorld(world, now, rng);
    each?.(now, events);
    all.push(...events);
  }
  return all;
}

export function ofType<T extends CombatEvent['type']>(events: CombatEvent[], type: T): Array<Extract<CombatEvent, { type: T }>> {
  return events.filter((event): event is Extract<CombatEvent, { type: T }> => event.type === type);
}

/** Kills the world's monster with a warrior standing next to it, swinging whenever allowed. */
export function killWith(world: CombatWorld, rng: Rng, player: CombatPlayer, from: number): { events: CombatEvent[]; now: number } {
  const monster = onlyMonster(world);
  const events: CombatEvent[] = [];
  let now = from;
  while (monster.state !== 'dead' && now < from + 60_000) {
    now += 50;
    player.at.x = monster.x - 1;
    player.at.y = monster.y;
    player.hp = player.maxHp; // keep the attacker alive: this helper tests the killing, not the fight
    queueAttack(world, player.id, monster.id, now);
    events.push(...stepCombatWorld(world, now, rng));
  }
  assert.equal(monster.state, 'dead', 'the monster died within a minute');
  return { events, now };
}
