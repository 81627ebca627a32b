import assert from 'node:assert/strict';
import { createTestInfra, createTestPlayer, testStacks, waitUntil, type TestStack } from '@mmo/platform/testing';
import {
  characterSheetSchema,
  CharacterClass,
  deriveStats,
  INVENTORY_CAPACITY,
  maxHitPoints,
  xpToNextLevel,
  type CharacterSheet,
} from '@mmo/shared';
import type { Express } from 'express';
import request from 'supertest';
import { playerSettingsSchema } from '../src/config.js';
import { createPlayerApp, createPlayerDeps } from '../src/player.app.js';

type Player = Awaited<ReturnType<typeof createTestPlayer>>;
type Method = 'get' | 'post' | 'patch' | 'delete';
type Stack = { slot: number; itemId: string; quantity: number };

let counter = 0;
function uniqueCharacterName(): string {
  counter += 1;
  // Letters only: the pid and counter spelled with a-j.
  return `Inv${`${process.pid}${counter}`.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)))}`.slice(0, 16);
}

const STARTER_WEAPON_NAMES: Record<CharacterClass, { id: string; name: string }> = {
  warrior: { id: 'rusty_sword', name: 'Rusty Sword' },
  mage: { id: 'oak_staff', name: 'Oak Staff' },
  ranger: { id: 'short_bow', name: 'Short Bow' },
  cleric: { id: 'oak_staff', name: 'Oak Staff' },
};

/** Every item a sheet holds, worn or carried, by id. */
function itemTotals(sheet: CharacterSheet): Map<string, number> {
  const totals = new Map<string, number>();
  for (const worn of Object.values(sheet.equipment)) if (worn) totals.set(worn.id, (totals.get(worn.id) ?? 0) + 1);
  for (const { item, quantity } of sheet.inventory.slots) totals.set(item.id, (totals.get(item.id) ?? 0) + quantity);
  return totals;
}

/** The inventory as `[slot, itemId, quantity]` rows, for short assertions. */
function slotsOf(sheet: CharacterSheet): [number, string, number][] {
  return sheet.inventory.slots.map((s) => [s.slot, s.item.id, s.quantity]);
}

for (const kind of testStacks()) {
  describe(`character sheet and inventory (${kind.name} stack)`, () => {
    let stack: TestStack;
    let infra: Awaited<ReturnType<typeof createTestInfra>>;
    let app: Express;
    /** A second player API on the same database, as another process of the cluster: its requests meet the first's only at the database's lock. */
    let otherProcess: Express;

    before(async () => {
      stack = await kind.open();
      infra = await createTestInfra(stack);
      const settings = playerSettingsSchema.parse({ MAX_CHARACTERS_PER_ACCOUNT: '5' });
      app = createPlayerApp(createPlayerDeps(infra, settings), { trustProxy: 'loopback' });
      otherProcess = createPlayerApp(createPlayerDeps(infra, settings), { trustProxy: 'loopback' });
    });
    after(async () => {
      await infra.stop();
      await stack.close();
    });

    function call(player: Player, method: Method, path: string, body?: object, through: Express = app) {
      const req = request(through)[method](path).auth(player.accessToken, { type: 'bearer' });
      return body ? req.send(body) : req;
    }

    async function createCharacter(player: Player, characterClass: CharacterClass = 'warrior'): Promise<string> {
      const res = await call(player, 'post', '/characters', { name: uniqueCharacterName(), class: characterClass }).expect(201);
      return String(res.body.id);
    }

    /** Replaces the inventory (and, when given, the equipment) with exactly these rows. */
    async function setItems(characterId: string, slots: Stack[], worn?: Record<string, string>): Promise<void> {
      await stack.db.prisma.inventorySlot.deleteMany({ where: { characterId } });
      await stack.db.prisma.inventorySlot.createMany({ data: slots.map((s) => ({ characterId, ...s })) });
      if (worn) {
        await stack.db.prisma.equippedItem.deleteMany({ where: { characterId } });
        await stack.db.prisma.equippedItem.createMany({ data: Object.entries(worn).map(([slot, itemId]) => ({ characterId, slot, itemId })) });
      }
    }

    async function sheet(player: Player, characterId: string): Promise<CharacterSheet> {
      return characterSheetSchema.parse((await call(player, 'get', `/characters/${characterId}`).expect(200)).body);
    }

    async function expectError(res: request.Test, status: number, code: string): Promise<void> {
      const answer = await res;
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.code, code);
    }

    it('answers the sheet of a new character of each class with derived stats, its class weapon worn, 3 potions and 10 gold', async () => {
      const player = await createTestPlayer(infra);
      for (const characterClass of Object.values(CharacterClass)) {
        const id = await createCharacter(player, characterClass);
        const weapon = STARTER_WEAPON_NAMES[characterClass];
        const got = await sheet(player, id);
        assert.equal(got.class, characterClass);
        assert.deepEqual(
          { level: got.level, xp: got.xp, xpToNextLevel: got.xpToNextLevel, gold: got.gold, maxHp: got.maxHp, monstersDefeated: got.monstersDefeated, hidden: got.hidden },
          { level: 1, xp: 0, xpToNextLevel: xpToNextLevel(1, 0), gold: 10, maxHp: maxHitPoints(characterClass, 1), monstersDefeated: 0, hidden: false },
        );
        assert.deepEqual(got.stats, deriveStats(characterClass, 1, [weapon.id]));
        assert.notDeepEqual(got.stats, deriveStats(characterClass, 1, []));
        assert.deepEqual(got.equipment, { weapon, head: null, chest: null, feet: null, ring: null });
        assert.deepEqual(got.inventory, { capacity: INVENTORY_CAPACITY, slots: [{ slot: 0, item: { id: 'health_potion', name: 'Health Potion' }, quantity: 3 }] });
      }
    });

    it('answers 404 CHARACTER_NOT_FOUND on every route for another account character and changes nothing', async () => {
      const owner = await createTestPlayer(infra);
      const other = await createTestPlayer(infra);
      const id = await createCharacter(owner);
      const before = await sheet(owner, id);
      const attempts: [Method, string, object?][] = [
        ['get', `/characters/${id}`],
        ['post', `/characters/${id}/inventory/move`, { from: 0, to: 1 }],
        ['delete', `/characters/${id}/inventory/0`],
        ['post', `/characters/${id}/equipment/weapon`, { from: 0 }],
        ['delete', `/characters/${id}/equipment/weapon`],
        ['patch', `/characters/${id}`, { hidden: true }],
      ];
      for (const [method, path, body] of attempts) await expectError(call(other, method, path, body), 404, 'CHARACTER_NOT_FOUND');
      assert.deepEqual(await sheet(owner, id), before);
    });

    it('hides a character and shows it again with PATCH, answering 400 VALIDATION_FAILED for a non-boolean', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player);
      const hidden = await call(player, 'patch', `/characters/${id}`, { hidden: true }).expect(200);
      assert.deepEqual(hidden.body, { id, hidden: true });
      assert.equal((await sheet(player, id)).hidden, true);
      await call(player, 'patch', `/characters/${id}`, { hidden: false }).expect(200);
      assert.equal((await sheet(player, id)).hidden, false);
      await expectError(call(player, 'patch', `/characters/${id}`, { hidden: 'yes' }), 400, 'VALIDATION_FAILED');
    });

    it('moves a stack to an empty slot, splits part of it off, merges up to the stack limit and swaps different items', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player);
      await setItems(id, [{ slot: 0, itemId: 'health_potion', quantity: 15 }, { slot: 1, itemId: 'health_potion', quantity: 10 }, { slot: 2, itemId: 'wolf_pelt', quantity: 4 }]);
      const moved = characterSheetSchema.parse((await call(player, 'post', `/characters/${id}/inventory/move`, { from: 2, to: 7 }).expect(200)).body);
      assert.deepEqual(slotsOf(moved), [[0, 'health_potion', 15], [1, 'health_potion', 10], [7, 'wolf_pelt', 4]]);
      const split = await call(player, 'post', `/characters/${id}/inventory/move`, { from: 7, to: 3, quantity: 1 }).expect(200);
      assert.deepEqual(slotsOf(split.body), [[0, 'health_potion', 15], [1, 'health_potion', 10], [3, 'wolf_pelt', 1], [7, 'wolf_pelt', 3]]);
      // The limit of health potions is 20: 5 of the 10 fit, the other 5 stay where they were.
      const merged = await call(player, 'post', `/characters/${id}/inventory/move`, { from: 1, to: 0 }).expect(200);
      assert.deepEqual(slotsOf(merged.body), [[0, 'health_potion', 20], [1, 'health_potion', 5], [3, 'wolf_pelt', 1], [7, 'wolf_pelt', 3]]);
      const full = await call(player, 'post', `/characters/${id}/inventory/move`, { from: 1, to: 0 }).expect(200);
      assert.deepEqual(slotsOf(full.body), slotsOf(merged.body));
      const mergedAll = await call(player, 'post', `/characters/${id}/inventory/move`, { from: 3, to: 7 }).expect(200);
      assert.deepEqual(slotsOf(mergedAll.body), [[0, 'health_potion', 20], [1, 'health_potion', 5], [7, 'wolf_pelt', 4]]);
      const swapped = await call(player, 'post', `/characters/${id}/inventory/move`, { from: 7, to: 1 }).expect(200);
      assert.deepEqual(slotsOf(swapped.body), [[0, 'health_potion', 20], [1, 'wolf_pelt', 4], [7, 'health_potion', 5]]);
      assert.deepEqual(slotsOf(await sheet(player, id)), slotsOf(swapped.body));
    });

    it('refuses a move from an empty slot, of a bad quantity, of part of a stack onto another item, and to a slot out of range', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player);
      await setItems(id, [{ slot: 0, itemId: 'health_potion', quantity: 3 }, { slot: 1, itemId: 'iron_ore', quantity: 2 }]);
      const move = (body: object) => call(player, 'post', `/characters/${id}/inventory/move`, body);
      await expectError(move({ from: 5, to: 6 }), 409, 'INVENTORY_SLOT_EMPTY');
      await expectError(move({ from: 0, to: 6, quantity: 4 }), 422, 'INVALID_QUANTITY');
      await expectError(move({ from: 0, to: 6, quantity: 0 }), 422, 'INVALID_QUANTITY');
      await expectError(move({ from: 0, to: 6, quantity: -1 }), 422, 'INVALID_QUANTITY');
      await expectError(move({ from: 0, to: 1, quantity: 1 }), 422, 'INVALID_QUANTITY');
      await expectError(move({ from: 0, to: INVENTORY_CAPACITY }), 400, 'VALIDATION_FAILED');
      await expectError(move({ from: -1, to: 2 }), 400, 'VALIDATION_FAILED');
      await expectError(move({ from: 0, to: 0 }), 400, 'VALIDATION_FAILED');
      assert.deepEqual(slotsOf(await sheet(player, id)), [[0, 'health_potion', 3], [1, 'iron_ore', 2]]);
    });

    it('equips an item into its slot, putting what was worn into the slot it came from, and the stats follow', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player, 'warrior');
      await setItems(id, [{ slot: 4, itemId: 'iron_sword', quantity: 1 }, { slot: 5, itemId: 'leather_cap', quantity: 1 }]);
      await stack.db.prisma.character.update({ where: { id }, data: { level: 3 } });
      const swapped = characterSheetSchema.parse((await call(player, 'post', `/characters/${id}/equipment/weapon`, { from: 4 }).expect(200)).body);
      assert.deepEqual(swapped.equipment.weapon, { id: 'iron_sword', name: 'Iron Sword' });
      assert.deepEqual(slotsOf(swapped), [[4, 'rusty_sword', 1], [5, 'leather_cap', 1]]);
      const capped = characterSheetSchema.parse((await call(player, 'post', `/characters/${id}/equipment/head`, { from: 5 }).expect(200)).body);
      assert.deepEqual(slotsOf(capped), [[4, 'rusty_sword', 1]]);
      assert.deepEqual(capped.stats, deriveStats('warrior', 3, ['iron_sword', 'leather_cap']));
    });

    it('announces what a character wears after each equip and unequip, for the game room that holds it', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player, 'warrior');
      await setItems(id, [{ slot: 4, itemId: 'leather_cap', quantity: 1 }]);
      const heard: { characterId: string; equipped: string[] }[] = [];
      const stop = await infra.bus.subscribe('character.equipment_changed', (event) => {
        heard.push(event);
      });
      try {
        await call(player, 'post', `/characters/${id}/equipment/head`, { from: 4 }).expect(200);
        await call(player, 'delete', `/characters/${id}/equipment/weapon`).expect(200);
        await waitUntil(() => heard.filter((event) => event.characterId === id).length === 2, 3000);
        assert.deepEqual(heard.filter((event) => event.characterId === id).map((event) => [...event.equipped].sort()), [['leather_cap', 'rusty_sword'], ['leather_cap']]);
      } finally {
        await stop();
      }
    });

    it('equips one item of a larger stack, moving what was worn to the first free slot, or answers 409 INVENTORY_FULL', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player, 'warrior');
      const fullSlots = Array.from({ length: INVENTORY_CAPACITY }, (_, slot) => ({ slot, itemId: slot === 0 ? 'worn_boots' : 'iron_ore', quantity: slot === 0 ? 2 : 1 }));
      await setItems(id, fullSlots, { feet: 'worn_boots' });
      await expectError(call(player, 'post', `/characters/${id}/equipment/feet`, { from: 0 }), 409, 'INVENTORY_FULL');
      await setItems(id, [{ slot: 0, itemId: 'worn_boots', quantity: 2 }], { feet: 'worn_boots' });
      const equipped = await call(player, 'post', `/characters/${id}/equipment/feet`, { from: 0 }).expect(200);
      assert.deepEqual(slotsOf(equipped.body), [[0, 'worn_boots', 1], [1, 'worn_boots', 1]]);
      assert.deepEqual(equipped.body.equipment.feet, { id: 'worn_boots', name: 'Worn Boots' });
    });

    it('refuses to equip from an empty slot, into the wrong slot, a non-equipment item, or against class and level rules', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player, 'warrior');
      await setItems(id, [{ slot: 0, itemId: 'health_potion', quantity: 3 }, { slot: 1, itemId: 'leather_cap', quantity: 1 }, { slot: 2, itemId: 'short_bow', quantity: 1 }, { slot: 3, itemId: 'chain_mail', quantity: 1 }]);
      const equip = (slot: string, from: number) => call(player, 'post', `/characters/${id}/equipment/${slot}`, { from });
      await expectError(equip('weapon', 9), 409, 'INVENTORY_SLOT_EMPTY');
      await expectError(equip('weapon', 0), 422, 'ITEM_NOT_EQUIPPABLE');
      await expectError(equip('weapon', 1), 422, 'ITEM_NOT_EQUIPPABLE');
      await expectError(equip('weapon', 2), 422, 'ITEM_REQUIREMENTS_NOT_MET');
      await expectError(equip('chest', 3), 422, 'ITEM_REQUIREMENTS_NOT_MET');
      await expectError(equip('tail', 1), 400, 'VALIDATION_FAILED');
      await expectError(equip('head', INVENTORY_CAPACITY), 400, 'VALIDATION_FAILED');
      const unchanged = await sheet(player, id);
      assert.equal(unchanged.inventory.slots.length, 4);
      assert.deepEqual(unchanged.equipment.weapon, { id: 'rusty_sword', name: 'Rusty Sword' });
      await stack.db.prisma.character.update({ where: { id }, data: { level: 4 } });
      await equip('chest', 3).expect(200);
    });

    it('unequips into the first free slot, answering 409 EQUIPMENT_SLOT_EMPTY when nothing is worn and 409 INVENTORY_FULL when full', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player, 'ranger');
      await setItems(id, [{ slot: 0, itemId: 'health_potion', quantity: 3 }, { slot: 2, itemId: 'iron_ore', quantity: 1 }]);
      const unequipped = characterSheetSchema.parse((await call(player, 'delete', `/characters/${id}/equipment/weapon`).expect(200)).body);
      assert.equal(unequipped.equipment.weapon, null);
      assert.deepEqual(slotsOf(unequipped), [[0, 'health_potion', 3], [1, 'short_bow', 1], [2, 'iron_ore', 1]]);
      assert.deepEqual(unequipped.stats, deriveStats('ranger', 1, []));
      await expectError(call(player, 'delete', `/characters/${id}/equipment/weapon`), 409, 'EQUIPMENT_SLOT_EMPTY');
      const full = Array.from({ length: INVENTORY_CAPACITY }, (_, slot) => ({ slot, itemId: 'iron_ore', quantity: 1 }));
      await setItems(id, full, { weapon: 'short_bow' });
      await expectError(call(player, 'delete', `/characters/${id}/equipment/weapon`), 409, 'INVENTORY_FULL');
      assert.deepEqual((await sheet(player, id)).equipment.weapon, { id: 'short_bow', name: 'Short Bow' });
    });

    it('discards part of a stack or all of it, refusing an empty slot, a bad quantity and a slot out of range', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player);
      await setItems(id, [{ slot: 0, itemId: 'health_potion', quantity: 3 }, { slot: 1, itemId: 'iron_ore', quantity: 5 }]);
      const part = await call(player, 'delete', `/characters/${id}/inventory/1?quantity=2`).expect(200);
      assert.deepEqual(slotsOf(part.body), [[0, 'health_potion', 3], [1, 'iron_ore', 3]]);
      const all = await call(player, 'delete', `/characters/${id}/inventory/0`).expect(200);
      assert.deepEqual(slotsOf(all.body), [[1, 'iron_ore', 3]]);
      await expectError(call(player, 'delete', `/characters/${id}/inventory/0`), 409, 'INVENTORY_SLOT_EMPTY');
      await expectError(call(player, 'delete', `/characters/${id}/inventory/1?quantity=4`), 422, 'INVALID_QUANTITY');
      await expectError(call(player, 'delete', `/characters/${id}/inventory/1?quantity=0`), 422, 'INVALID_QUANTITY');
      await expectError(call(player, 'delete', `/characters/${id}/inventory/1?quantity=many`), 400, 'VALIDATION_FAILED');
      await expectError(call(player, 'delete', `/characters/${id}/inventory/${INVENTORY_CAPACITY}`), 400, 'VALIDATION_FAILED');
      assert.deepEqual(slotsOf(await sheet(player, id)), [[1, 'iron_ore', 3]]);
    });

    it('neither duplicates nor loses items when many requests work on the same stacks in parallel, through two processes', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player, 'warrior');
      await stack.db.prisma.character.update({ where: { id }, data: { level: 3 } });
      // Each kind of item keeps to its own range of slots, so that a discard that succeeds
      // destroys a known item whatever the order: potions 20-23, pelts 16-19, equipment 10-15
      // (unequipping lands there: slots 0-9 stay full of ore, and 10-15 always have room).
      const ore = Array.from({ length: 10 }, (_, slot) => ({ slot, itemId: 'iron_ore', quantity: 6 }));
      await setItems(
        id,
        [
          ...ore,
          { slot: 10, itemId: 'leather_cap', quantity: 1 },
          { slot: 11, itemId: 'iron_sword', quantity: 1 },
          { slot: 12, itemId: 'worn_boots', quantity: 1 },
          { slot: 16, itemId: 'wolf_pelt', quantity: 30 },
          { slot: 17, itemId: 'wolf_pelt', quantity: 10 },
          { slot: 20, itemId: 'health_potion', quantity: 12 },
          { slot: 21, itemId: 'health_potion', quantity: 9 },
        ],
        { weapon: 'rusty_sword' },
      );
      const expected = itemTotals(await sheet(player, id));
      const move = (from: number, to: number, quantity?: number) => ['post', '/inventory/move', { from, to, ...(quantity ? { quantity } : {}) }] as const;
      // The item and count a discard destroys when it answers 200.
      const discard = (slot: number, quantity: number, itemId: string) => ['delete', `/inventory/${slot}?quantity=${quantity}`, undefined, itemId, quantity] as const;
      const operations: (readonly [Method, string, object | undefined, string?, number?])[] = [
        move(20, 22, 3), move(21, 20), move(20, 21), move(22, 23), move(23, 20, 1),
        discard(20, 1, 'health_potion'), discard(21, 2, 'health_potion'), discard(22, 1, 'health_potion'),
        move(16, 18, 10), move(18, 16), move(17, 16), discard(16, 1, 'wolf_pelt'), discard(17, 1, 'wolf_pelt'),
        ['post', '/equipment/head', { from: 10 }], ['post', '/equipment/weapon', { from: 11 }], ['post', '/equipment/feet', { from: 12 }],
        ['delete', '/equipment/head', undefined], ['delete', '/equipment/weapon', undefined], move(10, 11),
        discard(0, 1, 'iron_ore'),
      ];
      let succeeded = 0;
      for (let round = 0; round < 3; round += 1) {
        // Half through each process: each process queues its own in turn, so only the database
        // lock keeps the two from interleaving.
        const answers = await Promise.all(operations.map(([method, path, body], i) => call(player, method, `/characters/${id}${path}`, body, i % 2 ? otherProcess : app)));
        answers.forEach((answer, i) => {
          const [, path, , itemId, destroyed] = operations[i]!;
          assert.ok([200, 409, 422].includes(answer.status), `${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
          if (answer.status !== 200) return;
          succeeded += 1;
          if (itemId && destroyed) expected.set(itemId, expected.get(itemId)! - destroyed);
        });
        assert.deepEqual(itemTotals(await sheet(player, id)), expected);
      }
      // The race proves something only if most requests did go through.
      assert.ok(succeeded > operations.length, `only ${succeeded} requests succeeded`);
    });

    it('leaves exactly one item when two processes move the same single item to two different empty slots at once', async () => {
      const player = await createTestPlayer(infra);
      const id = await createCharacter(player);
      await setItems(id, [{ slot: 0, itemId: 'copper_ring', quantity: 1 }], {});
      const answers = await Promise.all([
        call(player, 'post', `/characters/${id}/inventory/move`, { from: 0, to: 10 }),
        call(player, 'post', `/characters/${id}/inventory/move`, { from: 0, to: 11 }, otherProcess),
      ]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
      assert.equal(answers.find((a) => a.status === 409)!.body.code, 'INVENTORY_SLOT_EMPTY');
      const after = await sheet(player, id);
      assert.deepEqual([...itemTotals(after)], [['copper_ring', 1]]);
      assert.equal(after.inventory.slots.length, 1);
    });
  });
}
