import assert from 'node:assert/strict';
import { ClientState, Protocol, type Client } from '@colyseus/core';
import { Decoder } from '@colyseus/schema';
import { seededRandom } from '@mmo/platform/testing';
import { CellPatchSerializer } from '../src/game/rooms/cell-patches.js';
import { CellViews, type ViewEntity } from '../src/game/rooms/cell-views.js';
import { DropState, MapAreaState, MonsterState, PlayerState } from '../src/game/rooms/map-area.state.js';
import { cellOf } from '../src/game/world/interest.js';

const SIZE = 64;
const CELL = 8;

/** A client as Colyseus's serializer sees it, decoding what it receives into its own copy of the state. */
class FakeClient {
  state: ClientState = ClientState.JOINING;
  view: Client['view'] = undefined;
  decoded = new MapAreaState();
  private decoder = new Decoder(this.decoded);
  /** Messages other than state (the tick's `combat` by cell), in order, and patches that changed nothing. */
  readonly messages: Uint8Array[] = [];
  emptyPatches = 0;
  constructor(readonly sessionId: string) {}
  raw(bytes: Uint8Array): void {
    if (bytes[0] !== Protocol.ROOM_STATE_PATCH && bytes[0] !== Protocol.ROOM_STATE) this.messages.push(bytes);
    else if (bytes.length === 1) this.emptyPatches += 1;
    else this.decoder.decode(bytes, { offset: 1 });
  }
  enqueueRaw(bytes: Uint8Array): void {
    this.raw(bytes);
  }
  /** Comes back as a real client does: a new decoder, whose state the whole state fills again. */
  reconnect(): void {
    this.decoded = new MapAreaState();
    this.decoder = new Decoder(this.decoded);
  }
}

/**
 * The room's patch cycle on its serializer and Colyseus's own decoder, with random walks,
 * deaths, departures, arrivals, items dropped and picked up, late joins and clients dropping:
 * after every patch each joined client holds exactly what stands in its cell and the eight
 * around it, no more, no less, with current values. (The views need the room's serializer:
 * entities entering and leaving a view are queued for it, not in the view's own queue.)
 */
describe('cell views (interest management on shared views)', () => {
  // The decoder only logs what it cannot follow (a "refId" not found, a field not defined):
  // here any such line fails the test.
  const complaints: unknown[][] = [];
  const original = { error: console.error, warn: console.warn };
  beforeEach(() => {
    complaints.length = 0;
    console.error = (...args: unknown[]) => void complaints.push(args);
    console.warn = (...args: unknown[]) => void complaints.push(args);
  });
  afterEach(() => {
    console.error = original.error;
    console.warn = original.warn;
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`gives every joined client exactly its neighbourhood after each patch (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const pick = (n: number) => Math.floor(random() * n);
      const state = new MapAreaState({ area: 'town' });
      const views = new CellViews(SIZE, SIZE, CELL);
      const cells = new CellPatchSerializer(
        (client) => views.standingCell(client.sessionId),
        () => views,
      );
      cells.reset(state);
      const players = new Map<string, InstanceType<typeof PlayerState>>();
      const monsters = new Map<string, { state: InstanceType<typeof MonsterState>; alive: boolean }>();
      const drops = new Map<string, InstanceType<typeof DropState>>();
      const clients = new Map<string, FakeClient>();
      let next = 0;

      const addPlayer = (withClient: boolean) => {
        const id = `p${next++}`;
        const player = new PlayerState({ name: id, class: 'warrior', level: 1, hp: 10, x: pick(SIZE), y: pick(SIZE) });
        state.players.set(id, player);
        players.set(id, player);
        views.place(player, player.x, player.y);
        if (withClient) {
          const client = new FakeClient(id);
          clients.set(id, client);
          views.watch(client as unknown as Client, player.x, player.y);
        }
      };
      const acknowledge = (client: FakeClient) => {
        // Colyseus sends the whole state of the client's view when it acknowledges its join.
        client.state = ClientState.JOINED;
        client.raw(cells.getFullState(client as unknown as Client) as Uint8Array);
      };
      const removePlayer = (id: string) => {
        const player = players.get(id)!;
        views.remove(player);
        state.players.delete(id);
        players.delete(id);
        if (clients.has(id)) {
          views.unwatch(id);
          clients.delete(id);
        }
      };
      for (let i = 0; i < 30; i += 1) {
        const id = `m${i}`;
        const monster = new MonsterState({ kind: 'wolf', hp: 5, maxHp: 5, x: pick(SIZE), y: pick(SIZE) });
        state.monsters.set(id, monster);
        monsters.set(id, { state: monster, alive: true });
        views.place(monster, monster.x, monster.y);
      }
      for (let i = 0; i < 40; i += 1) addPlayer(i < 12);
      for (const client of clients.values()) acknowledge(client);

      const expected = (client: FakeClient) => {
        const cell = views.sightOf(client.sessionId)!;
        const near = (x: number, y: number) => {
          const other = cellOf(views.layout, x, y);
          return Math.abs((other % views.layout.columns) - (cell % views.layout.columns)) <= 1 && Math.abs(Math.floor(other / views.layout.columns) - Math.floor(cell / views.layout.columns)) <= 1;
        };
        return {
          players: [...players].filter(([, p]) => near(p.x, p.y)).map(([id]) => id).sort(),
          monsters: [...monsters].filter(([, m]) => m.alive && near(m.state.x, m.state.y)).map(([id]) => id).sort(),
          drops: [...drops].filter(([, d]) => near(d.x, d.y)).map(([id]) => id).sort(),
        };
      };
      const move = (entity: ViewEntity & { x: number; y: number }, far: boolean) => {
        entity.x = far ? pick(SIZE) : Math.min(SIZE - 1, Math.max(0, entity.x + pick(7) - 3));
        entity.y = far ? pick(SIZE) : Math.min(SIZE - 1, Math.max(0, entity.y + pick(7) - 3));
        views.place(entity, entity.x, entity.y);
      };

      for (let patch = 0; patch < 150; patch += 1) {
        for (const [id, player] of players) {
          if (random() < 0.5) {
            move(player, random() < 0.03);
            views.follow(id, player.x, player.y);
          } else if (random() < 0.02) player.hp = pick(10);
        }
        for (const monster of monsters.values()) {
          if (monster.alive && random() < 0.05) {
            monster.alive = false;
            views.remove(monster.state);
          } else if (!monster.alive && random() < 0.2) {
            monster.alive = true;
            views.place(monster.state, monster.state.x, monster.state.y);
          } else if (monster.alive) {
            if (random() < 0.4) move(monster.state, false);
            else if (random() < 0.05) monster.state.hp = pick(6);
          }
        }
        // Items fall where monsters stand and are picked up (out of the views first, then the state).
        if (random() < 0.15) {
          const id = `d${next++}`;
          const drop = new DropState({ itemId: 'fang', quantity: 1 + pick(5), x: pick(SIZE), y: pick(SIZE) });
          state.drops.set(id, drop);
          drops.set(id, drop);
          views.place(drop, drop.x, drop.y);
        }
        if (drops.size > 0 && random() < 0.1) {
          const id = [...drops.keys()][pick(drops.size)]!;
          views.remove(drops.get(id)!);
          state.drops.delete(id);
          drops.delete(id);
        }
        if (random() < 0.3) removePlayer([...players.keys()][pick(players.size)]!);
        if (random() < 0.3) addPlayer(random() < 0.5);
        // Some clients drop a while (no patches reach them), then come back with the whole state.
        for (const client of clients.values()) {
          if (client.state === ClientState.JOINED && random() < 0.01) client.state = ClientState.LEAVING;
          else if (client.state === ClientState.LEAVING && random() < 0.2) {
            client.state = ClientState.JOINING;
            const at = players.get(client.sessionId)!;
            views.watch(client as unknown as Client, at.x, at.y);
            client.reconnect();
          }
        }
        for (const client of clients.values()) if (client.state === ClientState.JOINING && random() < 0.5) acknowledge(client);

        // A message for each cell with a client in it (the room's combat messages ride this way).
        const told = new Map<string, number>();
        for (const client of clients.values()) {
          const cell = views.standingCell(client.sessionId)!;
          if (![...told.values()].includes(cell)) cells.toCell(cell, Uint8Array.of(Protocol.ROOM_DATA, patch & 0xff, cell & 0xff));
          told.set(client.sessionId, cell);
        }
        // And one for a client alone, which it receives after its cell's.
        const alone = [...clients.values()][pick(clients.size)];
        if (alone) cells.toClient(alone as unknown as Client, Uint8Array.of(Protocol.ROOM_DATA, 0xee, patch & 0xff));
        const own = alone?.sessionId;
        views.beforePatch();
        cells.applyPatches([...clients.values()] as unknown as Client[]);
        views.afterPatch();

        for (const client of clients.values()) {
          const cell = told.get(client.sessionId);
          if (cell === undefined) continue;
          // Exactly the message of the cell where it stands, once (queued by Colyseus until its join is acknowledged).
          const mine = client.messages.splice(0);
          const want = [Uint8Array.of(Protocol.ROOM_DATA, patch & 0xff, cell & 0xff)];
          if (client.sessionId === own) want.push(Uint8Array.of(Protocol.ROOM_DATA, 0xee, patch & 0xff));
          assert.deepEqual(mine, want, `messages of ${client.sessionId} after patch ${patch}`);
        }

        for (const client of clients.values()) {
          if (client.state !== ClientState.JOINED) continue;
          // Its sight follows its player at once.
          const at = players.get(client.sessionId)!;
          assert.equal(views.sightOf(client.sessionId), cellOf(views.layout, at.x, at.y), `${client.sessionId} sees where its player stands`);
          const want = expected(client);
          assert.deepEqual([...client.decoded.players.keys()].sort(), want.players, `players of ${client.sessionId} after patch ${patch}`);
          assert.deepEqual([...client.decoded.monsters.keys()].sort(), want.monsters, `monsters of ${client.sessionId} after patch ${patch}`);
          assert.deepEqual([...client.decoded.drops.keys()].sort(), want.drops, `drops of ${client.sessionId} after patch ${patch}`);
          for (const id of want.players) {
            const mine = client.decoded.players.get(id)!;
            const truth = players.get(id)!;
            assert.deepEqual([mine.name, mine.class, mine.x, mine.y, mine.hp], [truth.name, truth.class, truth.x, truth.y, truth.hp], `${id} as ${client.sessionId} sees it`);
          }
          for (const id of want.monsters) {
            const mine = client.decoded.monsters.get(id)!;
            const truth = monsters.get(id)!.state;
            assert.deepEqual([mine.kind, mine.x, mine.y, mine.hp], [truth.kind, truth.x, truth.y, truth.hp], `${id} as ${client.sessionId} sees it`);
          }
          for (const id of want.drops) {
            const mine = client.decoded.drops.get(id)!;
            const truth = drops.get(id)!;
            assert.deepEqual([mine.itemId, mine.quantity, mine.x, mine.y], [truth.itemId, truth.quantity, truth.x, truth.y], `${id} as ${client.sessionId} sees it`);
          }
        }
      }
      assert.ok(views.stats().watchers > 0);
      assert.deepEqual(complaints.map((args) => String(args[0])), [], "what the clients' decoders complained of");
      // The room's serializer sends nothing to a client whose sight holds nothing new.
      for (const client of clients.values()) assert.equal(client.emptyPatches, 0);
    });
  }
  it('carries clients that swap cells in one patch, and one crossing into a cell nobody holds, to exactly their new neighbourhoods', () => {
    // Cells of 8 in a 64×64 area: (4, 4) is cell 0, (60, 4) cell 7, (4, 60) cell 56; each
    // neighbourhood is disjoint from the others. Each client is alone in its cell, so a client
    // leaving gives its view back in the same patch in which the other takes that cell.
    const state = new MapAreaState({ area: 'town' });
    const views = new CellViews(64, 64, 8);
    const cells = new CellPatchSerializer(
      (client) => views.standingCell(client.sessionId),
      () => views,
    );
    cells.reset(state);
    const players = new Map<string, InstanceType<typeof PlayerState>>();
    const put = (id: string, x: number, y: number) => {
      const player = new PlayerState({ name: id, class: 'mage', level: 2, hp: 7, x, y });
      state.players.set(id, player);
      players.set(id, player);
      views.place(player, x, y);
      return player;
    };
    const monster = new MonsterState({ kind: 'wolf', hp: 5, maxHp: 5, x: 6, y: 6 });
    state.monsters.set('m0', monster);
    views.place(monster, monster.x, monster.y);
    put('a', 4, 4);
    put('b', 60, 4);
    put('c', 60, 60);
    put('bystander-west', 5, 5);
    put('bystander-east', 59, 5);
    put('wanderer', 30, 30);
    const clients = ['a', 'b', 'c'].map((id) => new FakeClient(id));
    for (const client of clients) {
      const at = players.get(client.sessionId)!;
      views.watch(client as unknown as Client, at.x, at.y);
      client.state = ClientState.JOINED;
      client.raw(cells.getFullState(client as unknown as Client) as Uint8Array);
    }
    const patch = () => {
      views.beforePatch();
      cells.applyPatches(clients as unknown as Client[]);
      views.afterPatch();
    };
    patch();
    const walk = (id: string, x: number, y: number) => {
      const player = players.get(id)!;
      player.x = x;
      player.y = y;
      views.placePlayer(id, player, x, y);
    };
    // a and b swap corners; c goes to the south-west corner, whose cell nobody holds; a player
    // with no client walks into the north-west corner (a change logged by its view, which a
    // gives back and b takes again in the same patch).
    walk('a', 60, 4);
    walk('b', 4, 4);
    walk('c', 4, 60);
    walk('wanderer', 6, 5);
    monster.hp = 3;
    patch();
    const seen = (client: FakeClient) => ({
      players: [...client.decoded.players.keys()].sort(),
      monsters: [...client.decoded.monsters.keys()].sort(),
    });
    assert.deepEqual(seen(clients[0]!), { players: ['a', 'bystander-east'], monsters: [] });
    assert.deepEqual(seen(clients[1]!), { players: ['b', 'bystander-west', 'wanderer'], monsters: ['m0'] });
    assert.deepEqual(seen(clients[2]!), { players: ['c'], monsters: [] });
    assert.equal(clients[1]!.decoded.monsters.get('m0')!.hp, 3);
    assert.deepEqual([...clients[1]!.decoded.players.values()].map((p) => [p.name, p.class, p.level, p.hp, p.x, p.y]).sort(), [
      ['b', 'mage', 2, 7, 4, 4],
      ['bystander-west', 'mage', 2, 7, 5, 5],
      ['wanderer', 'mage', 2, 7, 6, 5],
    ]);
    // And back, a patch later: each view is held again by the client that left it.
    walk('a', 4, 4);
    walk('b', 60, 4);
    patch();
    assert.deepEqual(seen(clients[0]!), { players: ['a', 'bystander-west', 'wanderer'], monsters: ['m0'] });
    assert.deepEqual(seen(clients[1]!), { players: ['b', 'bystander-east'], monsters: [] });
    assert.deepEqual(complaints.map((args) => String(args[0])), [], "what the clients' decoders complained of");
  });
});
