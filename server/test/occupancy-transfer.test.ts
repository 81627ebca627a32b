import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { LocalPresence, type Client } from '@colyseus/core';
import { createSilentLogger, LocalEventBus, MemoryOnlineDirectory, SanctionList, SessionDenylist, TextFilter } from '@mmo/platform';
import { GameCloseCode, loadWorld, ServerMessage, type AreaId, type Portal, type SeatReservation } from '@mmo/shared';
import { forgetHolder } from '../src/game/character-claims.js';
import { InMemoryCharacterStore } from '../src/game/character.store.js';
import { gameSettingsSchema } from '../src/game/config.js';
import { createMemoryProgressData, MemoryProgressStore, type MemoryProgressData } from '../src/game/memory-progress.store.js';
import type { SeatHolder } from '../src/game/placement.js';
import type { GameProgress, SaveProgressResult } from '../src/game/progress.store.js';
import type { MapAreaDeps } from '../src/game/rooms/map-area.deps.js';
import { Occupancy } from '../src/game/rooms/occupancy.js';
import type { Occupant } from '../src/game/rooms/occupant.js';
import { SocialLink } from '../src/game/rooms/social-link.js';
import { createCombatWorld, type CombatWorld } from '../src/game/world/combat-world.js';
import { recordGrant, rewardKey, type RewardGrant } from '../src/game/world/rewards.js';
import { createRng } from '../src/game/world/rng.js';
import { createAreaSimulation } from '../src/game/world/simulation.js';

/**
 * The in-memory progress store as one database holds both: a single save also moves the
 * character row (area and place) that joins check. Single saves can be held or made to fail.
 */
class SharedProgressStore extends MemoryProgressStore {
  readonly saved: GameProgress[] = [];
  failSingles = 0;
  private held: Promise<void> | null = null;

  constructor(
    data: MemoryProgressData,
    private readonly characters: InMemoryCharacterStore,
  ) {
    super(data);
  }

  /** Holds every single save until the answer is called. */
  hold(): () => void {
    let release = () => {};
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held = null;
      release();
    };
  }

  override async saveProgress(characterId: string, progress: GameProgress, grants: readonly RewardGrant[]): Promise<SaveProgressResult> {
    if (this.held) await this.held;
    if (this.failSingles > 0) {
      this.failSingles -= 1;
      throw new Error('database unreachable');
    }
    const result = await super.saveProgress(characterId, progress, grants);
    this.saved.push({ ...progress });
    await this.characters.saveProgress(characterId, { area: progress.area, x: progress.x, y: progress.y });
    return result;
  }
}

interface Sent {
  type: string;
  message: unknown;
}

interface TestClient {
  sessionId: string;
  auth: unknown;
  sent: Sent[];
  closed: number[];
}

interface World {
  rooms: Map<AreaId, Occupancy>;
  roomIds: Map<AreaId, string>;
  /** Each room's combat world (its reward ledger). */
  combats: Map<AreaId, CombatWorld>;
  progress: SharedProgressStore;
  data: MemoryProgressData;
  characters: InMemoryCharacterStore;
  denylist: SessionDenylist;
  presence: LocalPresence;
  /** Each seat asked for, with who for; answered by `answerSeat` (default: a seat). */
  seats: { area: AreaId; holder: SeatHolder }[];
  answerSeat: (area: AreaId) => Promise<SeatReservation>;
  character(): { id: string; accountId: string; loginSessionId: string };
  join(area: AreaId, auth: unknown): Promise<{ occupant: Occupant; client: TestClient }>;
}

const world = loadWorld();
const field = world.get('field')!;
/** The field's portal into the town. */
const toTown: Portal = field.portals.find((portal) => portal.to.area === 'town')!;

function reservationFor(area: AreaId): SeatReservation {
  return { name: 'map_area', sessionId: randomUUID(), roomId: `seat-in-${area}`, processId: 'p1', publicAddress: '127.0.0.1:1' } as unknown as SeatReservation;
}

/** The field and the town, each one occupancy as its room holds it, over one presence and one store. */
function openWorld(): World {
  const data = createMemoryProgressData();
  const characters = new InMemoryCharacterStore();
  const progress = new SharedProgressStore(data, characters);
  const presence = new LocalPresence();
  const logger = createSilentLogger();
  const bus = new LocalEventBus(logger);
  const denylist = new SessionDenylist();
  const settings = gameSettingsSchema.parse({});
  const state: World = {
    rooms: new Map(),
    roomIds: new Map(),
    combats: new Map(),
    progress,
    data,
    characters,
    denylist,
    presence,
    seats: [],
    answerSeat: async (area) => reservationFor(area),
    character() {
      const [id, accountId, loginSessionId] = [randomUUID(), randomUUID(), randomUUID()];
      const name = `Walker${state.rooms.size}${id.slice(0, 4).replace(/[^a-z]/g, 'x')}`;
      characters.add({ id, accountId, name, class: 'warrior', level: 1, area: 'field', x: toTown.x - 1, y: toTown.y });
      data.characters.set(id, { name, class: 'warrior', hidden: false, slots: [], progress: { area: 'field', x: toTown.x - 1, y: toTown.y, level: 1, xp: 0, monstersDefeated: 0, hp: null, gold: 0 } });
      return { id, accountId, loginSessionId };
    },
    async join(areaId, auth) {
      const client: TestClient = { sessionId: `s-${randomUUID()}`, auth, sent: [], closed: [] };
      const sdkClient = {
        get sessionId() {
          return client.sessionId;
        },
        auth,
        send: (type: string, message: unknown) => void client.sent.push({ type, message }),
        leave: (code: number) => void client.closed.push(code),
      };
      const occupant = await state.rooms.get(areaId)!.admit(sdkClient as unknown as Client);
      return { occupant, client };
    },
  };
  const deps: Omit<MapAreaDeps, 'ticks'> = {
    world,
    characters,
    progress,
    bus,
    denylist,
    sanctions: new SanctionList(),
    online: new MemoryOnlineDirectory(),
    filter: new TextFilter(),
    logger,
    settings,
    reserveSeat: (area, holder) => {
      state.seats.push({ area, holder });
      return state.answerSeat(area);
    },
  };
  for (const areaId of ['field', 'town'] as const) {
    const area = world.get(areaId)!;
    const roomId = `${areaId}-${randomUUID()}`;
    const combat = createCombatWorld(area, { instanceId: roomId, now: 0, rng: createRng(1) });
    state.combats.set(areaId, combat);
    const occupancy = new Occupancy(deps, {
      roomId,
      presence,
      area,
      sim: createAreaSimulation(area, { maxPathDistance: 32 }),
      combat,
      players: new Map(),
      social: new SocialLink({ ...deps, onlineTtlSeconds: 50 }, roomId),
      now: () => 0,
      later: () => {},
      background: () => {},
    });
    state.rooms.set(areaId, occupancy);
    state.roomIds.set(areaId, roomId);
  }
  return state;
}

const transfers = (client: TestClient) => client.sent.filter((sent) => sent.type === ServerMessage.transfer);
const errors = (client: TestClient) => client.sent.filter((sent) => sent.type === ServerMessage.error);
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A character playing in the field beside its portal into the town. */
async function inField(w: World) {
  const character = w.character();
  const { occupant, client } = await w.join('field', { accountId: character.accountId, loginSessionId: character.loginSessionId, characterId: character.id });
  return { character, occupant, client };
}

describe('occupancy transfers through portals', () => {
  it('sends the seat only once the exit has landed, though the seat was reserved while it saved', async () => {
    const w = openWorld();
    const { occupant, client } = await inField(w);
    const release = w.progress.hold();
    const transfer = w.rooms.get('field')!.transfer(occupant, toTown);
    await tick();
    assert.equal(w.seats.length, 1, 'the seat is asked for while the exit saves');
    await tick();
    assert.equal(transfers(client).length, 0, 'no seat before the exit landed');
    release();
    await transfer;
    assert.equal(transfers(client).length, 1);
    assert.deepEqual(w.progress.saved.map(({ area, x, y }) => ({ area, x, y })), [toTown.to]);
    assert.equal(occupant.phase, 'released');
  });

  it('saves what the player gained while its exit saved (a kill\'s experience and its grant) before handing over the seat', async () => {
    const w = openWorld();
    const { occupant, client } = await inField(w);
    const release = w.progress.hold();
    const transfer = w.rooms.get('field')!.transfer(occupant, toTown);
    await tick();
    // A kill lands while the exit is being written: the world records the grant and applies it.
    const deathId = 'field-monster/1';
    recordGrant(w.combats.get('field')!.rewards, { key: rewardKey(deathId, occupant.character.id), deathId, characterId: occupant.character.id, xp: 7, kills: 1 });
    occupant.fighter.xp += 7;
    occupant.fighter.monstersDefeated += 1;
    release();
    await transfer;
    assert.equal(transfers(client).length, 1);
    assert.equal(w.progress.saved.length, 2, 'the exit, then what changed while it saved');
    const stored = w.data.characters.get(occupant.character.id)!.progress;
    assert.deepEqual({ area: stored.area, xp: stored.xp, monstersDefeated: stored.monstersDefeated }, { area: toTown.to.area, xp: 7, monstersDefeated: 1 });
    assert.ok(w.data.grantKeys.has(rewardKey(deathId, occupant.character.id)), 'the grant is recorded, not left in the room\'s ledger');
    assert.equal(w.combats.get('field')!.rewards.unsaved.length, 0);
  });

  it('writes the old position back after the exit and keeps the player when no seat can be had', async () => {
    const w = openWorld();
    const { occupant, client } = await inField(w);
    const before = { area: occupant.character.area, x: occupant.character.x, y: occupant.character.y };
    w.answerSeat = async () => {
      throw new Error('no game server');
    };
    const release = w.progress.hold();
    const transfer = w.rooms.get('field')!.transfer(occupant, toTown);
    await tick();
    release();
    await transfer;
    assert.deepEqual(w.progress.saved.map(({ area, x, y }) => ({ area, x, y })), [toTown.to, before], 'the exit, then the old place back');
    assert.deepEqual(w.data.characters.get(occupant.character.id)!.progress.area, 'field');
    assert.equal(transfers(client).length, 0);
    assert.equal(errors(client).length, 1);
    assert.equal(occupant.phase, 'playing');
    assert.deepEqual(w.rooms.get('field')!.byCharacterId(occupant.character.id), occupant);
  });

  it('keeps the player and sends no seat when the exit save fails, though a seat was reserved', async () => {
    const w = openWorld();
    const { occupant, client } = await inField(w);
    w.progress.failSingles = 3;
    await w.rooms.get('field')!.transfer(occupant, toTown);
    assert.equal(w.seats.length, 1);
    assert.equal(transfers(client).length, 0);
    assert.equal(errors(client).length, 1);
    assert.equal(occupant.phase, 'playing');
    assert.equal(occupant.dirty, true, 'saved by the next round');
    assert.equal(w.data.characters.get(occupant.character.id)!.progress.area, 'field');
  });

  it('lets a takeover during the exit save win: the exit stays saved and no seat is sent', async () => {
    const w = openWorld();
    const { occupant, client } = await inField(w);
    const release = w.progress.hold();
    const transfer = w.rooms.get('field')!.transfer(occupant, toTown);
    await tick();
    // What a newer join of the character asks of this room; it answers once the exit landed.
    const letGo = w.rooms.get('field')!.releaseCharacter(client.sessionId, occupant.character.id);
    await tick();
    release();
    await Promise.all([transfer, letGo]);
    assert.deepEqual(client.closed, [GameCloseCode.TAKEN_OVER]);
    assert.equal(transfers(client).length, 0);
    assert.deepEqual(w.progress.saved.map(({ area, x, y }) => ({ area, x, y })), [toTown.to], 'the exit only, not the old place back');
  });

  it('sends no seat and writes the old position back when the session is revoked while the seat is reserved', async () => {
    const w = openWorld();
    const { character, occupant, client } = await inField(w);
    const release = w.progress.hold();
    const transfer = w.rooms.get('field')!.transfer(occupant, toTown);
    await tick();
    w.denylist.add(character.loginSessionId, Date.now() + 60_000);
    release();
    await transfer;
    assert.equal(transfers(client).length, 0);
    assert.equal(w.data.characters.get(occupant.character.id)!.progress.area, 'field');
  });

  it('admits a character handed over through a portal at its exit without asking its old room to let go', async () => {
    const w = openWorld();
    const { occupant, client } = await inField(w);
    await w.rooms.get('field')!.transfer(occupant, toTown);
    const { holder } = w.seats[0]!;
    assert.deepEqual(holder.handover, { generation: occupant.generation, roomId: w.roomIds.get('field'), sessionId: client.sessionId });
    // The old room's holder record still stands (its client leaves after joining). Asking that
    // room to let go would go through Colyseus's matchmaker, which this test has not set up:
    // the join would fail if it tried.
    const { occupant: arrived } = await w.join('town', holder);
    assert.deepEqual({ area: arrived.character.area, x: arrived.character.x, y: arrived.character.y }, toTown.to);
    assert.ok(arrived.generation > occupant.generation);
    assert.equal(arrived.holder.handover, undefined, 'a later transfer names its own room');
  });

  it('takes over from a newer connection and loads its progress when the handover record no longer stands', async () => {
    const w = openWorld();
    const { character, occupant } = await inField(w);
    await w.rooms.get('field')!.transfer(occupant, toTown);
    const { holder } = w.seats[0]!;
    // Another connection took the character meanwhile. (Its join would ask the field's room to
    // let go through Colyseus's matchmaker, not set up here: the field's record is dropped
    // instead, which that room's answer would not have changed.)
    await forgetHolder(w.presence, character.id, occupant.generation);
    const newer = await w.join('town', { accountId: character.accountId, loginSessionId: randomUUID(), characterId: character.id });
    newer.occupant.character.x += 1;
    newer.occupant.sim.x += 1;
    const { occupant: arrived } = await w.join('town', holder);
    assert.deepEqual(newer.client.closed, [GameCloseCode.TAKEN_OVER]);
    assert.equal(arrived.character.x, toTown.to.x + 1, 'the newer connection saved before letting go, and that is what loads');
  });
});
