import assert from 'node:assert/strict';
import { createSilentLogger, openDatabase, type Database } from '@mmo/platform';
import { createTestInfra, createTestPlayer, testStacks, type TestStack } from '@mmo/platform/testing';
import { createPlayerApp, createPlayerDeps, playerSettingsSchema } from '@mmo/player-api';
import { PrismaProgressStore } from '@mmo/server/game';
import { characterSheetSchema, type CharacterSheet } from '@mmo/shared';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';

/** Every item a sheet holds, worn or carried, by id. */
function itemTotals(sheet: CharacterSheet): Map<string, number> {
  const totals = new Map<string, number>();
  for (const worn of Object.values(sheet.equipment)) if (worn) totals.set(worn.id, (totals.get(worn.id) ?? 0) + 1);
  for (const { item, quantity } of sheet.inventory.slots) totals.set(item.id, (totals.get(item.id) ?? 0) + quantity);
  return totals;
}

/** A logger that keeps the code of each logged error, to tell why a request answered 500. */
function apiLogger(codes: string[]) {
  return pino({ level: 'error' }, { write: (line: string) => void codes.push(String((JSON.parse(line) as { err?: { code?: string } }).err?.code ?? 'none')) });
}

// The game server's pickups and potions and the player API's inventory routes write the same
// rows; both take the character's inventory lock, so neither can lose or duplicate an item.
for (const kind of testStacks()) {
  describe(`game pickups beside player API inventory moves (${kind.name} stack)`, function () {
    this.timeout(90_000);
    let stack: TestStack;
    let infra: Awaited<ReturnType<typeof createTestInfra>>;
    let app: Express;
    let store: PrismaProgressStore;
    let apiDb: Database | undefined;
    let gameDb: Database | undefined;
    /** The codes of the errors the player API logged (an answer 500 is logged with its cause). */
    const apiErrors: string[] = [];

    before(async () => {
      stack = await kind.open();
      infra = await createTestInfra(stack);
      // On PostgreSQL each service has its own connection pool of the default size, as its own
      // process does in the cluster; sharing the test stack's five connections starves them
      // (P2028) before any lock is taken.
      if (kind.name === 'real') {
        const [current] = await stack.db.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
        const url = new URL(process.env.DATABASE_URL!);
        url.pathname = `/${current!.name}`;
        apiDb = await openDatabase({ kind: 'postgres', url: url.toString() });
        gameDb = await openDatabase({ kind: 'postgres', url: url.toString() });
      }
      app = createPlayerApp(createPlayerDeps({ ...infra, logger: apiLogger(apiErrors), prisma: (apiDb ?? stack.db).prisma }, playerSettingsSchema.parse({})), { trustProxy: 'loopback' });
      store = new PrismaProgressStore((gameDb ?? stack.db).prisma, createSilentLogger(), stack.leaderboards);
    });
    after(async () => {
      await gameDb?.close();
      await apiDb?.close();
      await infra.stop();
      await stack.close();
    });

    it('neither loses nor duplicates an item when pickups and potion use race 20 parallel inventory moves of the same character', async () => {
      const player = await createTestPlayer(infra);
      const created = await request(app).post('/characters').auth(player.accessToken, { type: 'bearer' }).send({ name: 'Racer', class: 'warrior' }).expect(201);
      const id = String(created.body.id);
      await stack.db.prisma.inventorySlot.deleteMany({ where: { characterId: id } });
      await stack.db.prisma.inventorySlot.createMany({
        data: [
          { characterId: id, slot: 0, itemId: 'health_potion', quantity: 15 },
          { characterId: id, slot: 1, itemId: 'health_potion', quantity: 6 },
          { characterId: id, slot: 2, itemId: 'wolf_pelt', quantity: 30 },
          { characterId: id, slot: 3, itemId: 'wolf_pelt', quantity: 12 },
          { characterId: id, slot: 4, itemId: 'iron_ore', quantity: 9 },
        ],
      });
      const sheet = async () => characterSheetSchema.parse((await request(app).get(`/characters/${id}`).auth(player.accessToken, { type: 'bearer' }).expect(200)).body);
      const expected = itemTotals(await sheet());
      let gold = (await sheet()).gold;
      // Moves that only shuffle (split, merge, swap) keep every total; pickups and uses change
      // them by what they answer.
      const moves = [
        { from: 0, to: 6, quantity: 4 }, { from: 1, to: 0 }, { from: 6, to: 1 }, { from: 2, to: 7, quantity: 10 }, { from: 7, to: 3 },
        { from: 3, to: 2 }, { from: 4, to: 8 }, { from: 8, to: 4 }, { from: 0, to: 9 }, { from: 9, to: 5 },
        { from: 5, to: 0 }, { from: 2, to: 10, quantity: 1 }, { from: 10, to: 2 }, { from: 1, to: 11, quantity: 2 }, { from: 11, to: 1 },
        { from: 3, to: 12 }, { from: 12, to: 3 }, { from: 4, to: 0 }, { from: 0, to: 4 }, { from: 6, to: 7 },
      ];
      let moved = 0;
      let picked = 0;
      let used = 0;
      for (let round = 0; round < 3; round += 1) {
        const [answers, pickups, uses] = await Promise.all([
          Promise.all(moves.map((move) => request(app).post(`/characters/${id}/inventory/move`).auth(player.accessToken, { type: 'bearer' }).send(move))),
          Promise.all(Array.from({ length: 6 }, (_, i) => store.pickUp(id, [{ itemId: i % 2 ? 'wolf_pelt' : 'health_potion', quantity: 3 }], 2))),
          Promise.all([0, 1, 5, 6].map((slot) => store.useItem(id, slot))),
        ]);
        for (const answer of answers) {
          assert.ok([200, 409, 422].includes(answer.status), `${answer.status} ${JSON.stringify(answer.body)}`);
          if (answer.status === 200) moved += 1;
        }
        // The API's moves of one character wait their turn in memory (KeyedTurns), not each on
        // a pooled connection for the character's lock: the API holds one connection at a time
        // for this character, none waits for one (P2028, once answered 500), and nothing is
        // logged as an error.
        assert.deepEqual(apiErrors, []);
        pickups.forEach((result, i) => {
          assert.ok(result.ok, JSON.stringify(result));
          picked += 1;
          const itemId = i % 2 ? 'wolf_pelt' : 'health_potion';
          expected.set(itemId, (expected.get(itemId) ?? 0) + 3);
          gold += 2;
        });
        for (const result of uses) {
          if (!result.ok) {
            assert.ok(['INVENTORY_SLOT_EMPTY', 'ITEM_NOT_USABLE'].includes(result.code), JSON.stringify(result));
            continue;
          }
          used += 1;
          expected.set(result.itemId, expected.get(result.itemId)! - 1);
        }
        const after = await sheet();
        assert.deepEqual(itemTotals(after), expected);
        assert.equal(after.gold, gold);
      }
      // The race proves something only if most of each kind went through.
      assert.ok(moved > moves.length && picked === 18 && used > 0, `moves ${moved}, pickups ${picked}, uses ${used}`);
    });
  });
}
