// The combat world's rewards and progression, its wire views, and combat beside the movement
// simulation (fixture: combat.fixture.ts).
import assert from 'node:assert/strict';
import { COMBAT_RULES, combatEventSchema, maxHitPoints, xpForLevel } from '@mmo/shared';
import { queueAttack } from '../src/game/world/combat.js';
import { addCombatPlayer, stepCombatWorld, type CombatEvent } from '../src/game/world/combat-world.js';
import { combatEventView, lootView, monsterView } from '../src/game/world/combat-view.js';
import { addPlayer, createAreaSimulation, tick } from '../src/game/world/simulation.js';
import { drinkPotion } from '../src/game/world/progression.js';
import { applyGrantOnce, createRewardLedger, forgetSaved, recordGrant, returnUnsaved, takeUnsavedGrants, type Progress } from '../src/game/world/rewards.js';
import { beast, join, killWith, makeWorld, ofType, onlyMonster, run } from './combat.fixture.js';

describe('rewards and progression', () => {
  it('gives each death one id and rewards each character for it exactly once', () => {
    const { world, rng } = makeWorld();
    const killer = join(world, { x: 2, y: 2 });
    const first = killWith(world, rng, killer, 0);
    const died = ofType(first.events, 'monsterDied');
    assert.equal(died.length, 1);
    assert.equal(died[0]!.deathId, 'inst:1');
    assert.equal(killer.xp, beast.xp);
    assert.equal(killer.monstersDefeated, 1);
    const grants = takeUnsavedGrants(world.rewards);
    assert.deepEqual(grants, [{ key: 'inst:1/' + killer.characterId, deathId: 'inst:1', characterId: killer.characterId, xp: beast.xp, kills: 1 }]);
    assert.equal(recordGrant(world.rewards, grants[0]!), false, 'a second record of the same death is refused');
    // A save retried after a timeout applies the grant once.
    const applied = new Set<string>();
    let stored: Progress = { level: 1, xp: 0, monstersDefeated: 0 };
    for (let attempt = 0; attempt < 3; attempt += 1) stored = applyGrantOnce(stored, applied, grants[0]!) ?? stored;
    assert.deepEqual(stored, { level: killer.level, xp: killer.xp, monstersDefeated: 1 });
    // The monster comes back, and its next death is a new id.
    const respawned = run(world, rng, first.now, first.now + beast.respawnMs);
    assert.equal(ofType(respawned, 'monsterSpawned').length, 1);
    const second = killWith(world, rng, killer, first.now + beast.respawnMs);
    assert.deepEqual(ofType(second.events, 'monsterDied').map((e) => e.deathId), ['inst:2']);
  });

  it('shares experience with party members in range and a bonus, not with those far away or outside the party', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const killer = join(world, { x: 2, y: 2 }, { partyId: 'p' });
    const near = join(world, { x: monster.x - 3, y: monster.y + 3 }, { partyId: 'p' });
    near.maxHp = near.hp = 10_000;
    const far = join(world, { x: 1, y: 1 }, { partyId: 'p' });
    far.at.x = monster.x - COMBAT_RULES.xpShareRadius - 1;
    const stranger = join(world, { x: 1, y: 14 });
    killWith(world, rng, killer, 0);
    // Two members share: 50 × 1.1 = 55, 27 each.
    assert.deepEqual([killer.xp, near.xp, far.xp, stranger.xp], [27, 27, 0, 0]);
    assert.deepEqual([killer.monstersDefeated, near.monstersDefeated], [1, 0]);
  });

  it('levels up along the shared curve, several levels at once, and fills hit points', () => {
    const { world, rng } = makeWorld();
    const player = join(world, { x: 2, y: 2 }, { xp: xpForLevel(1) - 10 });
    player.hp = 5;
    const { events } = killWith(world, rng, player, 0);
    const levelUps = ofType(events, 'levelUp');
    assert.deepEqual(levelUps.map((e) => e.level), [2]);
    assert.equal(player.level, 2);
    assert.equal(player.xp, beast.xp - 10);
    assert.equal(player.maxHp, maxHitPoints('warrior', 2));
    assert.equal(player.hp, player.maxHp);
  });

  it('kills a player, takes a little experience without a level, and brings it back at the spawn with full hit points', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const player = join(world, { x: monster.x - 1, y: monster.y }, { level: 3, xp: 20 });
    player.hp = 1;
    const events = run(world, rng, 0, 2000);
    const died = ofType(events, 'playerDied');
    assert.equal(died.length, 1);
    // 10 % of level 3's 520 would be 52, more than the 20 it has: it keeps its level at 0 xp.
    assert.deepEqual([died[0]!.xpLost, player.xp, player.level], [20, 0, 3]);
    assert.equal(monster.state === 'return' || monster.state === 'idle', true, 'its killer went home');
    assert.equal(queueAttack(world, player.id, monster.id, 2000).ok, false);
    const back = run(world, rng, 2000, died[0]!.respawnAt);
    assert.deepEqual(ofType(back, 'playerRespawned'), [{ type: 'playerRespawned', playerId: player.id, x: 2, y: 2, hp: player.maxHp }]);
    assert.equal(player.hp, player.maxHp);
  });

  it('takes 10 % of the level from a death when the player has more than that', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const player = join(world, { x: monster.x - 1, y: monster.y }, { level: 2, xp: 200 });
    player.hp = 1;
    run(world, rng, 0, 2000);
    assert.equal(player.xp, 200 - Math.floor(xpForLevel(2) * 0.1));
  });

  it('regenerates hit points only after some time out of combat', () => {
    const { world, rng } = makeWorld([]);
    const player = join(world, { x: 2, y: 2 });
    player.hp = 50;
    player.lastCombatAt = 0;
    assert.equal(ofType(run(world, rng, 0, COMBAT_RULES.outOfCombatMs - 50), 'healed').length, 0);
    const healed = ofType(run(world, rng, COMBAT_RULES.outOfCombatMs - 50, COMBAT_RULES.outOfCombatMs + 2950), 'healed');
    assert.equal(healed.length, 3, 'once a second');
    assert.equal(player.hp, 50 + 3 * Math.round(player.maxHp * COMBAT_RULES.regenShare));
  });

  it('drinks a potion up to the maximum, with a cooldown, and refuses what is not a potion', () => {
    const { world, rng } = makeWorld([]);
    const player = join(world, { x: 2, y: 2 });
    player.hp = player.maxHp - 30;
    const first = drinkPotion(world, player.id, 'health_potion', 0);
    assert.deepEqual(first, { ok: true, healed: 30 });
    assert.equal(player.hp, player.maxHp);
    const codeOf = (r: ReturnType<typeof drinkPotion>) => (r.ok ? 'OK' : r.code);
    assert.equal(codeOf(drinkPotion(world, player.id, 'health_potion', 500)), 'ITEM_ON_COOLDOWN');
    assert.equal(codeOf(drinkPotion(world, player.id, 'wolf_pelt', 5000)), 'ITEM_NOT_USABLE');
    player.respawnAt = 10_000;
    assert.equal(codeOf(drinkPotion(world, player.id, 'health_potion', 5000)), 'PLAYER_DEAD');
    assert.deepEqual(ofType(stepCombatWorld(world, 50, rng), 'healed'), [{ type: 'healed', playerId: player.id, amount: 30, hp: player.maxHp, source: 'potion' }]);
  });

  it('keeps a reward ledger that hands unsaved grants over once, takes back failed saves and forgets saved keys', () => {
    const ledger = createRewardLedger();
    const grant = { key: 'i:1/c', deathId: 'i:1', characterId: 'c', xp: 5, kills: 1 };
    assert.equal(recordGrant(ledger, grant), true);
    assert.deepEqual(takeUnsavedGrants(ledger, 'other'), []);
    const taken = takeUnsavedGrants(ledger, 'c');
    assert.deepEqual(taken, [grant]);
    assert.deepEqual(takeUnsavedGrants(ledger), []);
    returnUnsaved(ledger, taken);
    assert.equal(recordGrant(ledger, grant), false, 'a failed save keeps the key');
    assert.deepEqual(takeUnsavedGrants(ledger), [grant]);
    forgetSaved(ledger, [grant]);
    assert.equal(ledger.granted.size, 0, 'saved keys are left to the store');
  });
});

describe('combat views', () => {
  it('turns every event of a fight, a death and a respawn into wire entries the shared schema accepts', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const killer = join(world, { x: 2, y: 2 });
    const victim = join(world, { x: 1, y: 1 });
    const { events, now } = killWith(world, rng, killer, 0);
    assert.equal(monster.state, 'dead');
    Object.assign(victim.at, { x: monster.x, y: monster.y });
    Object.assign(killer.at, { x: 2, y: 2 });
    victim.hp = 1;
    events.push(...run(world, rng, now, now + beast.respawnMs + COMBAT_RULES.playerRespawnMs + 5000));
    const types = new Set(events.map((e) => e.type));
    for (const type of ['hit', 'monsterDied', 'xp', 'dropSpawned', 'monsterSpawned', 'playerDied', 'playerRespawned'] as const) assert.ok(types.has(type), type);
    for (const event of events) {
      const { wire, about } = combatEventView(event);
      assert.ok(about.length > 0);
      if (wire) assert.ok(combatEventSchema.safeParse(wire).success, JSON.stringify(wire));
    }
    const drop = [...world.drops.values()][0]!;
    assert.ok(combatEventSchema.safeParse(lootView(killer.id, drop)).success);
    assert.deepEqual(monsterView(monster), { kind: beast.id, hp: beast.maxHp, maxHp: beast.maxHp, x: monster.x, y: monster.y });
  });
});

describe('combat beside the movement simulation', () => {
  it('reads positions live from the movement simulation: a player walks up to a monster and kills it', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const sim = createAreaSimulation(world.area, { maxPathDistance: 64 });
    const walker = addPlayer(sim, { id: 'hero', x: 2, y: 2, speed: 5, now: 0 });
    const hero = addCombatPlayer(world, { id: 'hero', characterId: 'c-hero', class: 'warrior', level: 3, xp: 0, equipped: ['rusty_sword'], at: walker, now: 0 });
    walker.pendingIntent = { to: { x: monster.x - 1, y: monster.y } };
    const events: CombatEvent[] = [];
    for (let now = 50; now <= 30_000 && monster.state !== 'dead'; now += 50) {
      tick(sim, now);
      if (hero.respawnAt === null) queueAttack(world, hero.id, monster.id, now);
      events.push(...stepCombatWorld(world, now, rng));
    }
    assert.equal(monster.state, 'dead');
    assert.ok(ofType(events, 'aggro').some((e) => e.targetId === hero.id), 'the monster saw the hero coming');
    assert.equal(ofType(events, 'monsterDied')[0]!.killerId, hero.id);
    assert.equal(hero.monstersDefeated, 1);
  });
});
