import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { LocalPresence, type Client } from '@colyseus/core';
import { createSilentLogger, LocalEventBus, MemoryOnlineDirectory, SanctionList, SessionDenylist, TextFilter } from '@mmo/platform';
import { GameCloseCode, loadWorld } from '@mmo/shared';
import { beginClaim } from '../src/game/character-claims.js';
import { InMemoryCharacterStore } from '../src/game/character.store.js';
import { gameSettingsSchema } from '../src/game/config.js';
import { createMemoryProgressData, MemoryProgressStore, type MemoryProgressData } from '../src/game/memory-progress.store.js';
import type { GameProgress, ProgressSaveEntry, SaveProgressBatchResult, SaveProgressResult } from '../src/game/progress.store.js';
import type { MapAreaDeps } from '../src/game/rooms/map-area.deps.js';
import { Occupancy } from '../src/game/rooms/occupancy.js';
import type { Occupant } from '../src/game/rooms/occupant.js';
import { SocialLink } from '../src/game/rooms/social-link.js';
import { createCombatWorld } from '../src/game/world/combat-world.js';
import { recordGrant, rewardKey, type RewardGrant } from '../src/game/world/rewards.js';
import { createRng } from '../src/game/world/rng.js';
import { createAreaSimulation } from '../src/game/world/simulation.js';

/**
 * The in-memory progress store, watched: each call is logged in order, and a test may make the
 * next batches fail or hold them until it lets them go.
 */
class WatchedProgressStore extends MemoryProgressStore {
  readonly calls: { kind: 'batch' | 'single'; ids: string[] }[] = [];
  failBatches = 0;
  private held: { release: () => void; promise: Promise<void> } | null = null;

  hold(): () => void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { release, promise };
    return release;
  }

  override async saveProgressBatch(entries: readonly ProgressSaveEntry[]): Promise<SaveProgressBatchResult> {
    this.calls.push({ kind: 'batch', ids: entries.map((entry) => entry.characterId) });
    if (this.held) await this.held.promise;
    if (this.failBatches > 0) {
      this.failBatches -= 1;
      throw new Error('database unreachable');
    }
    return super.saveProgressBatch(entries);
  }

  override async saveProgress(characterId: string, progress: GameProgress, grants: readonly RewardGrant[]): Promise<SaveProgressResult> {
    this.calls.push({ kind: 'single', ids: [characterId] });
    return super.saveProgress(characterId, progress, grants);
  }

  batches(): string[][] {
    return this.calls.filter((call) => call.kind === 'batch').map((call) => call.ids);
  }
}

interface TestRoom {
  occupancy: Occupancy;
  progress: WatchedProgressStore;
  data: MemoryProgressData;
  characters: InMemoryCharacterStore;
  presence: LocalPresence;
  online: MemoryOnlineDirectory;
  combat: ReturnType<typeof createCombatWorld>;
  /** Close codes sent to each character's connection. */
  closed: Map<string, number>;
  /** Background work the occupancy started (releases), to await. */
  background: Promise<unknown>[];
  join(): Promise<Occupant>;
}

const area = loadWorld().get('field')!;

/** An occupancy as a map area room holds it, on in-memory stores and presence, with a save interval of `saveIntervalSeconds`. */
function openRoom(saveIntervalSeconds: number): TestRoom {
  const data = createMemoryProgressData();
  const progress = new WatchedProgressStore(data);
  const characters = new InMemoryCharacterStore();
  const presence = new LocalPresence();
  const online = new MemoryOnlineDirectory();
  const logger = createSilentLogger();
  const bus = new LocalEventBus(logger);
  const settings = gameSettingsSchema.parse({ SAVE_INTERVAL_SECONDS: String(saveIntervalSeconds) });
  const deps: Omit<MapAreaDeps, 'ticks'> = {
    world: loadWorld(),
    characters,
    progress,
    bus,
    denylist: new SessionDenylist(),
    sanctions: new SanctionList(),
    online,
    filter: new TextFilter(),
    logger,
    settings,
    reserveSeat: () => Promise.reject(new Error('no transfers here')),
  };
  const roomId = `room-${randomUUID()}`;
  const social = new SocialLink({ ...deps, onlineTtlSeconds: saveIntervalSeconds * 3 + 5 }, roomId);
  const combat = createCombatWorld(area, { instanceId: roomId, now: 0, rng: createRng(1) });
  const closed = new Map<string, number>();
  const background: Promise<unknown>[] = [];
  const occupancy = new Occupancy(deps, {
    roomId,
    presence,
    area,
    sim: createAreaSimulation(area, { maxPathDistance: 32 }),
    combat,
    players: new Map(),
    social,
    now: () => 0,
    later: () => {},
    background: (work) => void background.push(work),
  });
  let joined = 0;
  return {
    occupancy,
    progress,
    data,
    characters,
    presence,
    online,
    combat,
    closed,
    background,
    async join() {
      joined += 1;
      const [id, accountId] = [randomUUID(), randomUUID()];
      const name = `Saver${joined}`;
      characters.add({ id, accountId, name, class: 'warrior', level: 1, area: 'field', ...area.spawn });
      data.characters.set(id, { name, class: 'warrior', hidden: false, slots: [], progress: { area: 'field', ...area.spawn, level: 1, xp: 0, monstersDefeated: 0, hp: null, gold: 0 } });
      const client = {
        sessionId: `s${joined}`,
        auth: { accountId, loginSessionId: randomUUID(), characterId: id },
        send: () => {},
        leave: (code: number) => void closed.set(id, code),
      };
      return occupancy.admit(client as unknown as Client);
    },
  };
}

async function joinMany(room: TestRoom, count: number): Promise<Occupant[]> {
  const occupants: Occupant[] = [];
  for (let i = 0; i < count; i += 1) occupants.push(await room.join());
  return occupants;
}

/** A grant the world recorded for the occupant, and applied to its fighter. */
function earn(room: TestRoom, occupant: Occupant, deathId: string, xp: number): RewardGrant {
  const grant: RewardGrant = { key: rewardKey(deathId, occupant.character.id), deathId, characterId: occupant.character.id, xp, kills: 1 };
  assert.ok(recordGrant(room.combat.rewards, grant));
  occupant.fighter.xp += xp;
  occupant.fighter.monstersDefeated += 1;
  occupant.dirty = true;
  return grant;
}

describe('occupancy save rotation', () => {
  it('saves each dirty occupant exactly once per interval, a slice of about 1/interval each second', async () => {
    const room = openRoom(15);
    const occupants = await joinMany(room, 45);
    const seen = new Map<string, number>();
    for (let interval = 0; interval < 2; interval += 1) {
      for (let second = 0; second < 15; second += 1) {
        for (const occupant of occupants) occupant.dirty = true;
        await room.occupancy.saveSlice();
      }
    }
    const batches = room.progress.batches();
    assert.equal(batches.length, 30, 'one batch a second');
    for (const batch of batches) {
      assert.equal(batch.length, 3, 'each slice holds 45 / 15 occupants');
      for (const id of batch) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    assert.deepEqual([...new Set(seen.values())], [2], 'every occupant twice in two intervals');
    assert.equal(seen.size, 45);
    // The same order both intervals: the second repeats the first.
    assert.deepEqual(batches.slice(15), batches.slice(0, 15));
    // Every occupant's online entry was refreshed on its turn (written, as none existed).
    assert.equal((await room.online.get(occupants.map((o) => o.character.id))).size, 45);
  });

  it('writes nothing for occupants whose progress did not change, and puts a newcomer in the emptiest slice', async () => {
    const room = openRoom(3);
    const [a, b, c] = await joinMany(room, 3);
    a!.dirty = true;
    for (let second = 0; second < 3; second += 1) await room.occupancy.saveSlice();
    assert.deepEqual(room.progress.batches(), [[a!.character.id]]);
    // b leaves: its slot is the emptiest, so the newcomer takes it.
    await room.occupancy.leave(b!.client.sessionId);
    const d = await room.join();
    for (const o of [a!, c!, d]) o.dirty = true;
    for (let second = 0; second < 3; second += 1) await room.occupancy.saveSlice();
    assert.deepEqual(room.progress.batches().slice(1), [[a!.character.id], [d.character.id], [c!.character.id]]);
  });

  it('records each reward grant once, forgets its key once saved and keeps none unsaved', async () => {
    const room = openRoom(1);
    const [a, b] = await joinMany(room, 2);
    const grants = [earn(room, a!, 'inst:1', 5), earn(room, b!, 'inst:1', 5), earn(room, a!, 'inst:2', 3)];
    await room.occupancy.saveSlice();
    assert.deepEqual(room.progress.batches(), [[a!.character.id, b!.character.id]]);
    assert.deepEqual([...room.data.grantKeys].sort(), grants.map((g) => g.key).sort());
    assert.equal(room.combat.rewards.unsaved.length, 0);
    assert.equal(room.combat.rewards.granted.size, 0, 'saved keys are left to the store');
    const stored = await room.progress.load(a!.character.id);
    assert.deepEqual([stored?.xp, stored?.monstersDefeated], [8, 2]);
    assert.deepEqual([a!.dirty, b!.dirty], [false, false]);
  });

  it('keeps every occupant of a failed batch dirty and its grants unsaved, and saves them all with the next try', async function () {
    this.timeout(10_000);
    const room = openRoom(1);
    const [a, b] = await joinMany(room, 2);
    const grant = earn(room, a!, 'inst:7', 4);
    b!.dirty = true;
    // Every attempt of the first batch fails (the retry's three).
    room.progress.failBatches = 3;
    await room.occupancy.saveSlice();
    assert.equal(room.progress.batches().length, 3);
    assert.deepEqual([a!.dirty, b!.dirty], [true, true]);
    assert.deepEqual(room.combat.rewards.unsaved, [grant]);
    assert.equal(room.data.grantKeys.size, 0);
    await room.occupancy.saveSlice();
    assert.deepEqual([a!.dirty, b!.dirty], [false, false]);
    assert.deepEqual([...room.data.grantKeys], [grant.key]);
    assert.equal((await room.progress.load(a!.character.id))?.xp, 4);
    assert.equal(room.combat.rewards.unsaved.length, 0);
  });

  it('saves the others of a batch holding a deleted character, and releases that one with CHARACTER_GONE', async () => {
    const room = openRoom(1);
    const [kept, deleted] = await joinMany(room, 2);
    earn(room, kept!, 'inst:3', 2);
    const lost = earn(room, deleted!, 'inst:3', 2);
    room.data.characters.delete(deleted!.character.id);
    room.characters.delete(deleted!.character.id);
    await room.occupancy.saveSlice();
    await Promise.all(room.background);
    assert.equal((await room.progress.load(kept!.character.id))?.xp, 2);
    assert.equal(room.closed.get(deleted!.character.id), GameCloseCode.CHARACTER_GONE);
    assert.equal(room.closed.has(kept!.character.id), false);
    assert.equal(room.occupancy.byCharacterId(deleted!.character.id), undefined);
    assert.equal(room.data.grantKeys.has(lost.key), false);
    // Released without another save attempt.
    assert.deepEqual(room.progress.calls.map((call) => call.kind), ['batch']);
  });

  it('lets a leave save wait for the batch in flight of the same character, and skips a character with a write in flight', async () => {
    const room = openRoom(1);
    const [a, b] = await joinMany(room, 2);
    a!.dirty = true;
    b!.dirty = true;
    const release = room.progress.hold();
    const slice = room.occupancy.saveSlice();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const leave = room.occupancy.leave(a!.client.sessionId);
    // b changes again while its batch is in flight; the next slice leaves it for later.
    b!.dirty = true;
    await room.occupancy.saveSlice();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(room.progress.calls, [{ kind: 'batch', ids: [a!.character.id, b!.character.id] }], 'the leave waits for the batch');
    release();
    await Promise.all([slice, leave]);
    assert.deepEqual(room.progress.calls.map((call) => call.kind), ['batch', 'single']);
    assert.equal(b!.dirty, true, 'still to be saved by the next slice');
    await room.occupancy.saveSlice();
    assert.deepEqual(room.progress.batches().at(-1), [b!.character.id]);
  });

  it('leaves out of its batch and its online refresh an occupant that left while the slice checked claims', async () => {
    const room = openRoom(1);
    const [leaving, staying] = await joinMany(room, 2);
    leaving!.dirty = true;
    staying!.dirty = true;
    const slice = room.occupancy.saveSlice();
    const leave = room.occupancy.leave(leaving!.client.sessionId);
    await Promise.all([slice, leave]);
    assert.deepEqual(room.progress.batches(), [[staying!.character.id]]);
    assert.deepEqual(room.progress.calls.filter((call) => call.kind === 'single'), [{ kind: 'single', ids: [leaving!.character.id] }]);
    const online = await room.online.get([leaving!.character.id, staying!.character.id]);
    assert.deepEqual([...online.keys()], [staying!.character.id], 'the departed one is not written back');
  });

  it('releases without saving a character a newer join has claimed', async () => {
    const room = openRoom(1);
    const [stale, fresh] = await joinMany(room, 2);
    stale!.dirty = true;
    fresh!.dirty = true;
    await beginClaim(room.presence, stale!.character.id);
    await room.occupancy.saveSlice();
    assert.equal(room.closed.get(stale!.character.id), GameCloseCode.TAKEN_OVER);
    assert.deepEqual(room.progress.batches(), [[fresh!.character.id]]);
  });
});
