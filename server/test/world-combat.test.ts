// The combat world's rules: seeded rolls, monster AI, attacks, loot (fixture: combat.fixture.ts).
import assert from 'node:assert/strict';
import { COMBAT_RULES } from '@mmo/shared';
import { attackPowerOf, queueAttack, rollDamage } from '../src/game/world/combat.js';
import { removeCombatPlayer, stepCombatWorld } from '../src/game/world/combat-world.js';
import { addToInventory, checkPickup, rollLoot, takeDrop } from '../src/game/world/loot.js';
import { createRng, nextFloat } from '../src/game/world/rng.js';
import { beast, join, killWith, makeWorld, ofType, onlyMonster, run, zone } from './combat.fixture.js';

describe('seeded rng', () => {
  it('replays the same rolls from the same seed and resumes from a saved state', () => {
    const a = createRng(42);
    const b = createRng(42);
    const first = [nextFloat(a), nextFloat(a)];
    assert.deepEqual(first, [nextFloat(b), nextFloat(b)]);
    const saved = { ...a };
    const next = nextFloat(a);
    assert.equal(nextFloat(saved), next);
  });
});

describe('monster AI', () => {
  it('wanders only inside its zone while nobody is near', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const seen = new Set<string>();
    run(world, rng, 0, 60_000, () => {
      seen.add(`${monster.x},${monster.y}`);
      assert.ok(monster.x >= zone.x && monster.x < zone.x + zone.width && monster.y >= zone.y && monster.y < zone.y + zone.height, `left the zone at ${monster.x},${monster.y}`);
    });
    assert.ok(seen.size > 1, 'it moved around');
    assert.equal(monster.state, 'idle');
  });

  it('turns on the nearest living player within its aggro radius, not on one beyond it', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const far = join(world, { x: monster.x - 6, y: monster.y });
    const dead = join(world, { x: monster.x - 1, y: monster.y });
    dead.respawnAt = 1_000_000;
    const near = join(world, { x: monster.x - 3, y: monster.y });
    const events = run(world, rng, 0, 500);
    assert.deepEqual(ofType(events, 'aggro').map((e) => e.targetId), [near.id]);
    assert.notEqual(monster.targetId, far.id);
  });

  it('chases its target and strikes no faster than its cooldown', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const player = join(world, { x: monster.x - 3, y: monster.y });
    player.maxHp = player.hp = 10_000;
    const strikes: number[] = [];
    run(world, rng, 0, 10_000, (now, events) => {
      for (const hit of ofType(events, 'hit')) if (hit.attackerKind === 'monster') strikes.push(now);
    });
    assert.ok(strikes.length >= 8 && strikes.length <= 10, `${strikes.length} strikes in 10 s at one per second`);
    for (let i = 1; i < strikes.length; i += 1) assert.ok(strikes[i]! - strikes[i - 1]! >= beast.attackCooldownMs);
    assert.ok(Math.max(Math.abs(monster.x - player.at.x), Math.abs(monster.y - player.at.y)) <= 1, 'it stands next to its target');
  });

  it('plans its chase path at most once per re-plan interval while the target keeps moving', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const player = join(world, { x: monster.x - 4, y: monster.y });
    player.maxHp = player.hp = 10_000;
    const plans: number[] = [];
    let lastIntent = monster.intent;
    run(world, rng, 0, 3000, (now) => {
      // The player circles slowly inside the leash, so the chase never ends.
      player.at.y = 4 + Math.floor(now / 400) % 6;
      if (monster.intent !== lastIntent && monster.intent.kind === 'path') plans.push(now);
      lastIntent = monster.intent;
    });
    assert.ok(plans.length >= 2, 'it re-planned');
    for (let i = 1; i < plans.length; i += 1) assert.ok(plans[i]! - plans[i - 1]! >= world.options.repathMs, `plans at ${plans.join(', ')}`);
  });

  it('goes home with full hit points, immune on the way, when its target runs beyond the leash', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const home = { ...monster.home };
    const player = join(world, { x: monster.x - 1, y: monster.y });
    player.maxHp = player.hp = 10_000;
    queueAttack(world, player.id, monster.id, 50);
    run(world, rng, 0, 100);
    assert.ok(monster.hp < beast.maxHp, 'wounded');
    assert.equal(monster.state, 'chase');
    player.at.x = home.x - beast.leashRadius - 1;
    const events = run(world, rng, 100, 150);
    assert.equal(ofType(events, 'leash').length, 1);
    assert.equal(monster.state, 'return');
    assert.equal(monster.hp, beast.maxHp);
    player.at.x = monster.x - 1;
    player.at.y = monster.y;
    const refused = queueAttack(world, player.id, monster.id, 5000);
    assert.equal(refused.ok ? null : refused.code, 'TARGET_EVADING');
    player.at.x = 1; // out of aggro range, so it settles
    let settledAt: number[] = [];
    run(world, rng, 150, 10_000, () => {
      if (settledAt.length === 0 && monster.state === 'idle') settledAt = [monster.x, monster.y];
    });
    assert.deepEqual(settledAt, [home.x, home.y], 'idle again once home');
  });

  it('goes home when its target leaves the area', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const player = join(world, { x: monster.x - 2, y: monster.y });
    run(world, rng, 0, 500);
    assert.equal(monster.state, 'chase');
    removeCombatPlayer(world, player.id);
    const events = run(world, rng, 500, 550);
    assert.deepEqual(ofType(events, 'leash').map((e) => e.monsterId), [monster.id]);
  });
});

describe('combat', () => {
  it('rolls damage within the variance around power²/(power+defense), at least 1, lower against more defense', () => {
    const rng = createRng(1);
    const base = (20 * 20) / (20 + 5);
    let sumLow = 0;
    let sumHigh = 0;
    for (let i = 0; i < 1000; i += 1) {
      const damage = rollDamage(20, 5, rng);
      assert.ok(damage >= Math.round(base * 0.85) && damage <= Math.round(base * 1.15), `${damage}`);
      sumLow += damage;
      sumHigh += rollDamage(20, 40, rng);
    }
    assert.ok(sumHigh < sumLow);
    assert.equal(rollDamage(1, 1000, rng), 1);
  });

  it('computes a warrior\'s power from its derived stats and weapon', () => {
    // Level 1 warrior: attack 6 + rusty sword 3, strength 12 → 9 + 6.
    const { world } = makeWorld();
    const player = join(world, { x: 2, y: 2 });
    assert.equal(attackPowerOf(player.class, player.stats), 15);
  });

  it('refuses attacks with a code: unknown target, out of range by class, on cooldown, while dead', () => {
    const { world, rng } = makeWorld();
    const monster = onlyMonster(world);
    const warrior = join(world, { x: monster.x - 2, y: monster.y });
    const ranger = join(world, { x: monster.x - 6, y: monster.y }, { class: 'ranger', equipped: ['short_bow'] });
    const codeOf = (result: ReturnType<typeof queueAttack>) => (result.ok ? 'OK' : result.code);
    assert.equal(codeOf(queueAttack(world, warrior.id, 'm999', 0)), 'TARGET_NOT_FOUND');
    assert.equal(codeOf(queueAttack(world, warrior.id, monster.id, 0)), 'TARGET_OUT_OF_RANGE');
    assert.equal(codeOf(queueAttack(world, ranger.id, monster.id, 0)), 'OK');
    assert.equal(codeOf(queueAttack(world, ranger.id, monster.id, 100)), 'ATTACK_ON_COOLDOWN');
    ranger.at.x -= 1;
    assert.equal(codeOf(queueAttack(world, ranger.id, monster.id, 5000)), 'TARGET_OUT_OF_RANGE');
    warrior.respawnAt = 99_999;
    assert.equal(codeOf(queueAttack(world, warrior.id, monster.id, 0)), 'PLAYER_DEAD');
    const events = stepCombatWorld(world, 50, rng);
    const hits = ofType(events, 'hit');
    assert.equal(hits.length, 1, 'the accepted swing landed in the next tick');
    assert.equal(hits[0]!.hp, monster.hp);
    assert.deepEqual(ofType(events, 'aggro').map((e) => e.targetId), [ranger.id], 'an arrow from afar draws the monster');
  });

  it('refuses to attack a dead monster', () => {
    const { world, rng } = makeWorld();
    const player = join(world, { x: 2, y: 2 });
    const { now } = killWith(world, rng, player, 0);
    const result = queueAttack(world, player.id, onlyMonster(world).id, now + 5000);
    assert.equal(result.ok ? 'OK' : result.code, 'TARGET_NOT_FOUND');
  });
});

describe('loot', () => {
  it('drops each item within 2 % of its chance and gold inside its range over 10,000 seeded rolls', () => {
    const rng = createRng(2026);
    const counts = new Map<string, number>();
    let goldSum = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const loot = rollLoot(beast.loot, rng);
      assert.ok(loot.gold >= 5 && loot.gold <= 10);
      goldSum += loot.gold;
      for (const item of loot.items) {
        counts.set(item.itemId, (counts.get(item.itemId) ?? 0) + 1);
        const entry = beast.loot.items.find((e) => e.itemId === item.itemId)!;
        assert.ok(item.quantity >= entry.min && item.quantity <= entry.max);
      }
    }
    for (const entry of beast.loot.items) {
      const rate = (counts.get(entry.itemId) ?? 0) / 10_000;
      assert.ok(Math.abs(rate - entry.chance) <= 0.02, `${entry.itemId}: ${rate} for ${entry.chance}`);
    }
    assert.ok(Math.abs(goldSum / 10_000 - 7.5) < 0.1, `mean gold ${goldSum / 10_000}`);
  });

  it('reserves a drop for the killer and its party, then frees it, then lets it expire', () => {
    const { world, rng } = makeWorld();
    const killer = join(world, { x: 2, y: 2 }, { partyId: 'party1' });
    const friend = join(world, { x: 2, y: 3 }, { partyId: 'party1' });
    const stranger = join(world, { x: 2, y: 4 });
    const { events, now } = killWith(world, rng, killer, 0);
    const spawned = ofType(events, 'dropSpawned');
    assert.ok(spawned.some((d) => d.itemId === null && d.quantity >= 5 && d.quantity <= 10), 'gold on the ground');
    const drop = world.drops.get(spawned[0]!.dropId)!;
    for (const p of [killer, friend, stranger]) Object.assign(p.at, { x: drop.x + 1, y: drop.y });
    const codeOf = (r: ReturnType<typeof checkPickup>) => (r.ok ? 'OK' : r.code);
    assert.equal(codeOf(checkPickup(world, stranger.id, drop.id, now)), 'DROP_NOT_YOURS');
    assert.equal(codeOf(checkPickup(world, friend.id, drop.id, now)), 'OK');
    killer.at.x = drop.x + 2;
    assert.equal(codeOf(checkPickup(world, killer.id, drop.id, now)), 'DROP_OUT_OF_RANGE');
    assert.equal(codeOf(checkPickup(world, stranger.id, drop.id, now + COMBAT_RULES.dropOwnerMs)), 'OK');
    assert.equal(codeOf(checkPickup(world, stranger.id, 'd999', now)), 'DROP_NOT_FOUND');
    const expired = run(world, rng, now, now + COMBAT_RULES.dropExpireMs);
    assert.deepEqual(new Set(ofType(expired, 'dropExpired').map((e) => e.dropId)), new Set(spawned.map((d) => d.dropId)));
    assert.equal(world.drops.size, 0);
  });

  it('takes a drop once and reports it with the next tick', () => {
    const { world, rng } = makeWorld();
    const killer = join(world, { x: 2, y: 2 });
    const { events, now } = killWith(world, rng, killer, 0);
    const dropId = ofType(events, 'dropSpawned')[0]!.dropId;
    assert.equal(takeDrop(world, dropId, killer.id), true);
    assert.equal(takeDrop(world, dropId, killer.id), false);
    assert.deepEqual(ofType(stepCombatWorld(world, now + 50, rng), 'dropTaken'), [{ type: 'dropTaken', dropId, playerId: killer.id }]);
  });

  it('stacks onto existing stacks, then free slots, and refuses with INVENTORY_FULL what does not fit whole', () => {
    const slots = [{ slot: 0, itemId: 'health_potion', quantity: 19 }, { slot: 1, itemId: 'rusty_sword', quantity: 1 }];
    const added = addToInventory(slots, 'health_potion', 3);
    assert.ok(added.ok);
    assert.deepEqual(added.slots, [{ slot: 0, itemId: 'health_potion', quantity: 20 }, { slot: 1, itemId: 'rusty_sword', quantity: 1 }, { slot: 2, itemId: 'health_potion', quantity: 2 }]);
    const full = Array.from({ length: 24 }, (_, slot) => ({ slot, itemId: 'iron_sword', quantity: 1 }));
    const refused = addToInventory(full, 'wolf_pelt', 1);
    assert.equal(refused.ok ? 'OK' : refused.code, 'INVENTORY_FULL');
    assert.equal(full.length, 24, 'the slots are untouched');
  });
});
