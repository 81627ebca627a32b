import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSilentLogger, isRecordNotFound, MemoryLeaderboardStore, type LeaderboardCharacter, type LeaderboardStore } from '@mmo/platform';
import { testStacks, type TestStack } from '@mmo/platform/testing';
import { INVENTORY_CAPACITY, normalizeName } from '@mmo/shared';
import { createMemoryProgressData, MemoryProgressStore, type MemoryProgressData } from '../src/game/memory-progress.store.js';
import { PrismaProgressStore, type GameProgress, type ProgressStore, type StoredProgress } from '../src/game/progress.store.js';
import type { InventoryStack } from '../src/game/world/loot.js';
import { rewardKey, type RewardGrant } from '../src/game/world/rewards.js';

/** A real leaderboard store that counts the characters it is given and the calls carrying them. */
class CountingLeaderboards implements LeaderboardStore {
  records = 0;
  calls = 0;
  constructor(private readonly inner: LeaderboardStore) {}
  record(character: LeaderboardCharacter) {
    this.records += 1;
    this.calls += 1;
    return this.inner.record(character);
  }
  recordMany(characters: readonly LeaderboardCharacter[]) {
    this.records += characters.length;
    this.calls += 1;
    return this.inner.recordMany(characters);
  }
  remove(...args: Parameters<LeaderboardStore['remove']>) { return this.inner.remove(...args); }
  page(...args: Parameters<LeaderboardStore['page']>) { return this.inner.page(...args); }
  rankOf(...args: Parameters<LeaderboardStore['rankOf']>) { return this.inner.rankOf(...args); }
  rebuild(...args: Parameters<LeaderboardStore['rebuild']>) { return this.inner.rebuild(...args); }
}

/** One implementation under test, with a way to seed a character and to read back what is stored. */
interface Harness {
  store: ProgressStore;
  leaderboards: CountingLeaderboards;
  /** A store as a second process (or the same one after a restart) would hold it. */
  restartedStore(): ProgressStore;
  createCharacter(slots?: InventoryStack[]): Promise<string>;
  slots(characterId: string): Promise<InventoryStack[]>;
  grantCount(characterId: string): Promise<number>;
  /** Deletes the character (and, by cascade, its grants) as the player API does. */
  deleteCharacter(characterId: string): Promise<void>;
  close(): Promise<void>;
}

const START: StoredProgress = { area: 'field', x: 5, y: 5, level: 1, xp: 0, monstersDefeated: 0, hp: null, gold: 10 };

function prismaHarness(kind: { name: string; open(): Promise<TestStack> }): { name: string; open(): Promise<Harness> } {
  return {
    name: `prisma, ${kind.name} stack`,
    async open() {
      const stack = await kind.open();
      const prisma = stack.db.prisma;
      const leaderboards = new CountingLeaderboards(stack.leaderboards);
      const account = await prisma.account.create({ data: { username: `p${randomBytes(4).toString('hex')}`, usernameKey: `p${randomBytes(6).toString('hex')}`, passwordHash: 'x' } });
      return {
        store: new PrismaProgressStore(prisma, createSilentLogger(), leaderboards),
        leaderboards,
        restartedStore: () => new PrismaProgressStore(prisma, createSilentLogger(), leaderboards),
        async createCharacter(slots = []) {
          const name = `Pg${randomBytes(4).toString('hex').replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)))}`;
          const row = await prisma.character.create({
            data: { accountId: account.id, name, nameKey: normalizeName(name), class: 'warrior', area: START.area, x: START.x, y: START.y, gold: START.gold },
          });
          if (slots.length > 0) await prisma.inventorySlot.createMany({ data: slots.map((stack) => ({ characterId: row.id, ...stack })) });
          return row.id;
        },
        slots: (characterId) => prisma.inventorySlot.findMany({ where: { characterId }, select: { slot: true, itemId: true, quantity: true }, orderBy: { slot: 'asc' } }),
        grantCount: (characterId) => prisma.rewardGrant.count({ where: { characterId } }),
        async deleteCharacter(characterId) {
          await prisma.character.delete({ where: { id: characterId } });
        },
        close: () => stack.close(),
      };
    },
  };
}

function memoryHarness(): { name: string; open(): Promise<Harness> } {
  return {
    name: 'in memory',
    async open() {
      const data: MemoryProgressData = createMemoryProgressData();
      const leaderboards = new CountingLeaderboards(new MemoryLeaderboardStore());
      let counter = 0;
      return {
        store: new MemoryProgressStore(data, leaderboards),
        leaderboards,
        restartedStore: () => new MemoryProgressStore(data, leaderboards),
        async createCharacter(slots = []) {
          counter += 1;
          const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
          data.characters.set(id, { name: `Mem${counter}`, class: 'warrior', hidden: false, progress: { ...START }, slots: slots.map((stack) => ({ ...stack })) });
          return id;
        },
        slots: async (characterId) => data.characters.get(characterId)!.slots.map((stack) => ({ ...stack })).sort((a, b) => a.slot - b.slot),
        grantCount: async (characterId) => [...data.grantKeys].filter((key) => key.endsWith(`/${characterId}`)).length,
        async deleteCharacter(characterId) {
          data.characters.delete(characterId);
        },
        close: async () => {},
      };
    },
  };
}

function grant(deathId: string, characterId: string, xp: number, kills = 1): RewardGrant {
  return { key: rewardKey(deathId, characterId), deathId, characterId, xp, kills };
}

/** The progress a world holds after these grants, from the starting values (plain sums below level 2). */
function progressAfter(grants: RewardGrant[], extra: Partial<GameProgress> = {}): GameProgress {
  const { gold: _gold, ...start } = START;
  return { ...start, xp: grants.reduce((sum, g) => sum + g.xp, 0), monstersDefeated: grants.reduce((sum, g) => sum + g.kills, 0), ...extra };
}

function withoutGold(stored: StoredProgress | null): GameProgress | null {
  if (!stored) return null;
  const { gold: _gold, ...progress } = stored;
  return progress;
}

for (const harness of [memoryHarness(), ...testStacks().map(prismaHarness)]) {
  describe(`progress store (${harness.name})`, () => {
    let h: Harness;
    before(async function () {
      // Opening a PGlite database with every migration takes a while on a busy machine.
      this.timeout(60_000);
      h = await harness.open();
    });
    after(async () => {
      await h.close();
    });

    it('records a grant once and keeps the progress when the same save is sent twice', async () => {
      const id = await h.createCharacter();
      const g = grant('inst-a:1', id, 7);
      const progress = progressAfter([g]);
      const first = await h.store.saveProgress(id, progress, [g]);
      const second = await h.store.saveProgress(id, progress, [g]);
      assert.deepEqual([first.recorded, first.alreadyRecorded], [[g], []]);
      assert.deepEqual([second.recorded, second.alreadyRecorded], [[], [g]]);
      assert.deepEqual(withoutGold(await h.store.load(id)), progress);
      assert.equal(await h.grantCount(id), 1);
    });

    it('records a grant once when two saves carrying it run at the same time', async () => {
      const id = await h.createCharacter();
      const g = grant('inst-b:1', id, 9);
      const progress = progressAfter([g]);
      const results = await Promise.all([h.store.saveProgress(id, progress, [g]), h.store.saveProgress(id, progress, [g])]);
      assert.deepEqual(results.map((r) => r.recorded.length).sort(), [0, 1]);
      assert.deepEqual(results.map((r) => r.alreadyRecorded.length).sort(), [0, 1]);
      assert.deepEqual(withoutGold(await h.store.load(id)), progress);
      assert.equal(await h.grantCount(id), 1);
    });

    it('finds a grant already recorded when a restarted process replays a save whose commit it never heard of', async () => {
      const id = await h.createCharacter();
      const g1 = grant('inst-c:1', id, 5);
      const g2 = grant('inst-c:2', id, 6, 0);
      const afterFirst = progressAfter([g1], { x: 8 });
      // The commit lands, but the process dies before it learns so: the grant stays in its ledger.
      await h.store.saveProgress(id, afterFirst, [g1]);
      const restarted = h.restartedStore();
      const replay = await restarted.saveProgress(id, afterFirst, [g1]);
      assert.deepEqual([replay.recorded, replay.alreadyRecorded], [[], [g1]]);
      // Play goes on from what was loaded: the next grant is recorded, the first is not counted again.
      const loaded = withoutGold(await restarted.load(id))!;
      assert.deepEqual(loaded, afterFirst);
      const next = await restarted.saveProgress(id, { ...loaded, xp: loaded.xp + g2.xp }, [g1, g2]);
      assert.deepEqual([next.recorded, next.alreadyRecorded], [[g2], [g1]]);
      const stored = await restarted.load(id);
      assert.deepEqual([stored!.xp, stored!.monstersDefeated], [11, 1]);
      assert.equal(await h.grantCount(id), 2);
    });

    it('saves position and hit points and leaves the purse to pickups', async () => {
      const id = await h.createCharacter();
      await h.store.pickUp(id, [], 15);
      await h.store.saveProgress(id, progressAfter([], { area: 'dungeon', x: 3, y: 9, hp: 42 }), []);
      assert.deepEqual(await h.store.load(id), { ...START, area: 'dungeon', x: 3, y: 9, hp: 42, gold: 25 });
    });

    it('rejects a save carrying another character\'s grant and records nothing', async () => {
      const id = await h.createCharacter();
      const other = await h.createCharacter();
      await assert.rejects(h.store.saveProgress(id, progressAfter([]), [grant('inst-d:1', other, 3)]));
      assert.equal(await h.grantCount(other), 0);
    });

    it('answers INVENTORY_FULL and leaves the inventory and purse as they were when the pickup does not fit whole', async () => {
      // One free slot: the first stack would fit, the second not, so neither may go in.
      const full = Array.from({ length: INVENTORY_CAPACITY - 1 }, (_, slot) => ({ slot, itemId: 'copper_ring', quantity: 1 }));
      const id = await h.createCharacter(full);
      const answer = await h.store.pickUp(id, [{ itemId: 'wolf_pelt', quantity: 3 }, { itemId: 'iron_ore', quantity: 2 }], 12);
      assert.equal(answer.ok, false);
      assert.equal(!answer.ok && answer.code, 'INVENTORY_FULL');
      assert.deepEqual(await h.slots(id), full);
      assert.equal((await h.store.load(id))!.gold, START.gold);
    });

    it('stacks picked-up items onto the same item first, then into the lowest free slots, and adds the gold', async () => {
      const id = await h.createCharacter([{ slot: 0, itemId: 'health_potion', quantity: 18 }, { slot: 2, itemId: 'copper_ring', quantity: 1 }]);
      const answer = await h.store.pickUp(id, [{ itemId: 'health_potion', quantity: 5 }, { itemId: 'wolf_pelt', quantity: 4 }], 30);
      const expected = [
        { slot: 0, itemId: 'health_potion', quantity: 20 },
        { slot: 1, itemId: 'health_potion', quantity: 3 },
        { slot: 2, itemId: 'copper_ring', quantity: 1 },
        { slot: 3, itemId: 'wolf_pelt', quantity: 4 },
      ];
      assert.deepEqual(answer, { ok: true, slots: expected, gold: START.gold + 30 });
      assert.deepEqual(await h.slots(id), expected);
    });

    it('takes one potion out of the slot, and nothing when the slot is empty, the item not usable or the check refuses', async () => {
      const id = await h.createCharacter([{ slot: 0, itemId: 'health_potion', quantity: 2 }, { slot: 1, itemId: 'wolf_pelt', quantity: 1 }]);
      assert.deepEqual(await h.store.useItem(id, 0), { ok: true, itemId: 'health_potion', slots: [{ slot: 0, itemId: 'health_potion', quantity: 1 }, { slot: 1, itemId: 'wolf_pelt', quantity: 1 }] });
      const refusals = [
        await h.store.useItem(id, 5),
        await h.store.useItem(id, 1),
        await h.store.useItem(id, 0, () => ({ ok: false, code: 'ITEM_ON_COOLDOWN', message: 'not yet' })),
      ];
      assert.deepEqual(refusals.map((r) => !r.ok && r.code), ['INVENTORY_SLOT_EMPTY', 'ITEM_NOT_USABLE', 'ITEM_ON_COOLDOWN']);
      assert.deepEqual(await h.slots(id), [{ slot: 0, itemId: 'health_potion', quantity: 1 }, { slot: 1, itemId: 'wolf_pelt', quantity: 1 }]);
      assert.deepEqual(await h.store.useItem(id, 0, () => ({ ok: true })), { ok: true, itemId: 'health_potion', slots: [{ slot: 1, itemId: 'wolf_pelt', quantity: 1 }] });
      assert.deepEqual(await h.slots(id), [{ slot: 1, itemId: 'wolf_pelt', quantity: 1 }]);
    });

    it('moves the level, monsters and gold boards when what they rank changes, and writes no board when it does not', async () => {
      const id = await h.createCharacter();
      const rival = await h.createCharacter();
      await h.store.saveProgress(rival, progressAfter([], { level: 2, xp: 10, monstersDefeated: 3 }), []);
      await h.store.pickUp(rival, [], 40);
      const writes = h.leaderboards.records;
      // Position and hit points only: nothing ranked changed.
      const moved = await h.store.saveProgress(id, progressAfter([], { x: 9, hp: 30 }), []);
      await h.store.pickUp(id, [{ itemId: 'wolf_pelt', quantity: 1 }], 0);
      assert.equal(moved.rankedChanged, false);
      assert.equal(h.leaderboards.records, writes);
      // A level, a kill and gold: each board puts the character ahead of its rival.
      const g = grant('inst-e:1', id, 0, 4);
      const ranked = await h.store.saveProgress(id, progressAfter([g], { level: 3 }), [g]);
      await h.store.pickUp(id, [], 100);
      assert.equal(ranked.rankedChanged, true);
      assert.equal(h.leaderboards.records, writes + 2);
      for (const board of ['level', 'monsters', 'gold'] as const) {
        const [mine, theirs] = [await h.leaderboards.rankOf(board, id), await h.leaderboards.rankOf(board, rival)];
        assert.ok(mine !== null && theirs !== null && mine < theirs, `${board}: ${mine} vs ${theirs}`);
      }
    });

    it('saves several characters in one batch with their grants recorded once, a replay finding them recorded', async () => {
      const [a, b] = [await h.createCharacter(), await h.createCharacter()];
      const ga = grant('inst-g:1', a, 7);
      const gb = [grant('inst-g:1', b, 3, 0), grant('inst-g:2', b, 4)];
      const entries = [
        { characterId: a, progress: progressAfter([ga], { x: 6, hp: 12 }), grants: [ga] },
        { characterId: b, progress: progressAfter(gb, { y: 9 }), grants: gb },
      ];
      const first = await h.store.saveProgressBatch(entries);
      assert.deepEqual([...first.gone], []);
      assert.deepEqual([first.saved.get(a)?.recorded, first.saved.get(a)?.alreadyRecorded], [[ga], []]);
      assert.deepEqual([first.saved.get(b)?.recorded, first.saved.get(b)?.alreadyRecorded], [gb, []]);
      // A restarted process replays the batch whose commit it never heard of.
      const replay = await h.restartedStore().saveProgressBatch(entries);
      assert.deepEqual([replay.saved.get(a)?.recorded, replay.saved.get(a)?.alreadyRecorded], [[], [ga]]);
      assert.deepEqual([replay.saved.get(b)?.recorded, replay.saved.get(b)?.alreadyRecorded], [[], gb]);
      assert.deepEqual(withoutGold(await h.store.load(a)), entries[0]!.progress);
      assert.deepEqual(withoutGold(await h.store.load(b)), entries[1]!.progress);
      assert.deepEqual([await h.grantCount(a), await h.grantCount(b)], [1, 2]);
      assert.equal((await h.store.load(a))!.gold, START.gold, 'the purse is left to pickups');
    });

    it('records a grant once when a batch and a single save carrying it run at the same time', async () => {
      const [a, b] = [await h.createCharacter(), await h.createCharacter()];
      const ga = grant('inst-h:1', a, 5);
      const gb = grant('inst-h:1', b, 5);
      const [batch, single] = await Promise.all([
        h.store.saveProgressBatch([
          { characterId: a, progress: progressAfter([ga]), grants: [ga] },
          { characterId: b, progress: progressAfter([gb]), grants: [gb] },
        ]),
        h.store.saveProgress(a, progressAfter([ga]), [ga]),
      ]);
      assert.equal(batch.saved.get(a)!.recorded.length + single.recorded.length, 1);
      assert.deepEqual(batch.saved.get(b)?.recorded, [gb]);
      assert.deepEqual([await h.grantCount(a), await h.grantCount(b)], [1, 1]);
    });

    it('answers a deleted character of a batch as gone, records none of its grants and saves the others', async () => {
      const [kept, deleted] = [await h.createCharacter(), await h.createCharacter()];
      await h.deleteCharacter(deleted);
      const gk = grant('inst-i:1', kept, 2);
      const gd = grant('inst-i:1', deleted, 2);
      const result = await h.store.saveProgressBatch([
        { characterId: deleted, progress: progressAfter([gd]), grants: [gd] },
        { characterId: kept, progress: progressAfter([gk], { x: 7 }), grants: [gk] },
      ]);
      assert.deepEqual([...result.gone], [deleted]);
      assert.deepEqual([...result.saved.keys()], [kept]);
      assert.deepEqual(result.saved.get(kept)?.recorded, [gk]);
      assert.deepEqual(withoutGold(await h.store.load(kept)), progressAfter([gk], { x: 7 }));
      assert.equal(await h.grantCount(deleted), 0);
      assert.equal(await h.store.load(deleted), null);
    });

    it('refuses a batch naming a character twice or carrying another character\'s grant, writing nothing', async () => {
      const [a, b] = [await h.createCharacter(), await h.createCharacter()];
      const foreign = grant('inst-j:1', b, 3);
      await assert.rejects(h.store.saveProgressBatch([{ characterId: a, progress: progressAfter([], { x: 8 }), grants: [foreign] }]), /own character/);
      await assert.rejects(
        h.store.saveProgressBatch([
          { characterId: a, progress: progressAfter([], { x: 8 }), grants: [] },
          { characterId: a, progress: progressAfter([], { x: 9 }), grants: [] },
        ]),
        /once/,
      );
      assert.deepEqual(withoutGold(await h.store.load(a)), progressAfter([]));
      assert.deepEqual([await h.grantCount(a), await h.grantCount(b)], [0, 0]);
      assert.deepEqual(await h.store.saveProgressBatch([]), { saved: new Map(), gone: new Set() });
    });

    it('puts only the characters of a batch whose ranked values changed on the boards, in one call', async () => {
      const [still, climber, killer] = [await h.createCharacter(), await h.createCharacter(), await h.createCharacter()];
      const { records, calls } = h.leaderboards;
      const g = grant('inst-k:1', killer, 0, 2);
      const result = await h.store.saveProgressBatch([
        { characterId: still, progress: progressAfter([], { x: 3, hp: 20 }), grants: [] },
        { characterId: climber, progress: progressAfter([], { level: 4 }), grants: [] },
        { characterId: killer, progress: progressAfter([g]), grants: [g] },
      ]);
      assert.deepEqual([still, climber, killer].map((id) => result.saved.get(id)?.rankedChanged), [false, true, true]);
      assert.deepEqual([h.leaderboards.records - records, h.leaderboards.calls - calls], [2, 1]);
      assert.equal(await h.leaderboards.rankOf('level', climber), 1);
      assert.equal(await h.leaderboards.rankOf('level', still), null);
      assert.ok((await h.leaderboards.rankOf('monsters', killer)) !== null);
      // Nothing ranked changed the second time: no board call at all.
      await h.store.saveProgressBatch([{ characterId: climber, progress: progressAfter([], { level: 4, x: 2 }), grants: [] }]);
      assert.equal(h.leaderboards.calls - calls, 1);
    });

    it('rejects a save of a deleted character with record-not-found and records none of its grants', async () => {
      const id = await h.createCharacter();
      await h.deleteCharacter(id);
      await assert.rejects(h.store.saveProgress(id, progressAfter([]), [grant('inst-f:1', id, 1)]), (error) => isRecordNotFound(error));
      assert.equal(await h.grantCount(id), 0);
      assert.deepEqual(await h.store.pickUp(id, [], 5), { ok: false, code: 'CHARACTER_NOT_FOUND', message: 'The character no longer exists.' });
      assert.equal((await h.store.useItem(id, 0)).ok, false);
    });
  });
}
