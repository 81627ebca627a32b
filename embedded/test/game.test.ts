import assert from 'node:assert/strict';
import { initializeRoomCache, matchMaker } from '@colyseus/core';
import { Client, type Room } from '@colyseus/sdk';
import { callJson } from '@mmo/platform/testing';
import { ClientMessage, ServerMessage, GameCloseCode, transferMessageSchema, type RoomError, type TransferMessage } from '@mmo/shared';
import { createPlayer, enterWorld, joinWorld, seen, sleep, startGame, waitFor, type GameFixture, type TestPlayer } from './game.fixture.js';

describe(`game world (${process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded'} stack)`, function () {
  this.timeout(30_000);
  let game: GameFixture;
  const rooms: Room[] = [];
  const track = (room: Room) => (rooms.push(room), room);

  before(async () => {
    game = await startGame();
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).filter((room) => room.connection.isOpen).map((room) => room.leave().catch(() => undefined)));
  });
  after(async () => {
    await game.stop();
  });

  it('enters the world at the saved position and walks at the character speed', async () => {
    const player = await createPlayer(game, { area: 'town', x: 2, y: 5 });
    const room = track(await joinWorld(game, player));
    assert.equal(room.state.area, 'town');
    assert.deepEqual(seen(room).get(player.name), { name: player.name, x: 2, y: 5 });
    const started = Date.now();
    room.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => seen(room).get(player.name)!.x >= 6, 3000);
    room.send(ClientMessage.move, { dx: 0, dy: 0 });
    // A warrior walks 4 tiles a second: 4 steps take at least 750 ms.
    assert.ok(Date.now() - started >= 700, `4 tiles in ${Date.now() - started} ms`);
  });

  it('refuses to walk into a wall', async () => {
    const player = await createPlayer(game, { area: 'town', x: 1, y: 1 });
    const room = track(await joinWorld(game, player));
    room.send(ClientMessage.move, { dx: -1, dy: 0 });
    await sleep(600);
    assert.deepEqual(seen(room).get(player.name), { name: player.name, x: 1, y: 1 });
  });

  it('ignores a flood of move intents: the character never walks faster than its speed', async () => {
    const player = await createPlayer(game, { area: 'town', x: 2, y: 6 });
    const room = track(await joinWorld(game, player));
    const xs: number[] = [];
    for (let i = 0; i < 40; i += 1) room.send(ClientMessage.move, { dx: 1, dy: 0 });
    const started = Date.now();
    while (Date.now() - started < 1000) {
      xs.push(seen(room).get(player.name)!.x);
      await sleep(25);
    }
    const moved = xs.at(-1)! - 2;
    assert.ok(moved <= 5, `moved ${moved} tiles in one second`);
    for (let i = 1; i < xs.length; i += 1) assert.ok(xs[i]! - xs[i - 1]! <= 1, `jumped from ${xs[i - 1]} to ${xs[i]}`);
  });

  it('answers an unreachable move target with an error and stays put', async () => {
    const player = await createPlayer(game, { area: 'town', x: 2, y: 6 });
    const room = track(await joinWorld(game, player));
    const errors: RoomError[] = [];
    room.onMessage(ServerMessage.error, (error: RoomError) => errors.push(error));
    room.send(ClientMessage.move, { to: { x: 0, y: 0 } });
    await waitFor(() => errors.length > 0, 2000);
    assert.equal(errors[0]!.code, 'TILE_UNREACHABLE');
    assert.deepEqual(seen(room).get(player.name), { name: player.name, x: 2, y: 6 });
  });

  it('disconnects a client that sends a malformed message', async () => {
    const player = await createPlayer(game, { area: 'town', x: 2, y: 6 });
    const room = track(await joinWorld(game, player));
    room.reconnection.minUptime = 0;
    let left: number | undefined;
    let reconnected = false;
    room.onLeave((code: number) => (left = code));
    room.onReconnect(() => (reconnected = true));
    room.send(ClientMessage.move, { dx: 7, dy: 0 });
    await waitFor(() => left !== undefined, 3000);
    assert.equal(left, 4002, 'closed with an error');
    await sleep(500);
    assert.equal(reconnected, false, 'no way back through a reconnection');
  });

  it('shows a far player only once it comes near (interest management)', async () => {
    const watcher = await createPlayer(game, { area: 'town', x: 2, y: 1 });
    const walker = await createPlayer(game, { area: 'town', x: 21, y: 14 });
    const watcherRoom = track(await joinWorld(game, watcher));
    const walkerRoom = track(await joinWorld(game, walker));
    assert.equal(watcherRoom.roomId, walkerRoom.roomId);
    await sleep(300);
    assert.equal(seen(watcherRoom).has(walker.name), false, 'a player 23 tiles away is not in state');
    walkerRoom.send(ClientMessage.move, { to: { x: 6, y: 5 } });
    await waitFor(() => seen(watcherRoom).has(walker.name), 8000);
    assert.ok(seen(walkerRoom).has(watcher.name));
  });

  it('broadcasts area chat with profanity masked and refuses empty, overlong and too frequent lines with an error', async () => {
    const a = await createPlayer(game, { area: 'town', x: 3, y: 9 });
    const b = await createPlayer(game, { area: 'town', x: 4, y: 9 });
    const roomA = track(await joinWorld(game, a));
    const roomB = track(await joinWorld(game, b));
    const heard: unknown[] = [];
    const errors: RoomError[] = [];
    roomB.onMessage(ServerMessage.chat, (line: unknown) => heard.push(line));
    roomA.onMessage(ServerMessage.chat, () => undefined);
    roomA.onMessage(ServerMessage.error, (error: RoomError) => errors.push(error));
    roomA.send(ClientMessage.chat, { text: 'well met, shithead' });
    await waitFor(() => heard.length === 1, 2000);
    // Area lines carry an id by which a player may report them (moderation).
    const { id, ...line } = heard[0] as { id?: unknown };
    assert.equal(typeof id, 'string');
    assert.deepEqual(line, { from: a.name, text: 'well met, ****head', channel: 'area' }, 'profanity is masked');
    roomA.send(ClientMessage.chat, { text: 'x'.repeat(201) });
    roomA.send(ClientMessage.chat, { text: '   ' });
    for (let i = 0; i < 5; i += 1) roomA.send(ClientMessage.chat, { text: `line ${i}` });
    await waitFor(() => errors.length >= 3, 2000);
    assert.deepEqual(errors.map((e) => e.code), ['VALIDATION_FAILED', 'VALIDATION_FAILED', 'RATE_LIMITED']);
    assert.equal(heard.length, 5, 'one line, then four more before the limit of five per window');
  });

  /**
   * Joins the player beside the town's portal to the field and steps onto it: the town room, the
   * `transfer` it sent, and the milliseconds from the step to that message.
   */
  async function stepOntoFieldPortal(player: TestPlayer): Promise<{ town: Room; transfer: TransferMessage; tookMs: number }> {
    const town = await joinWorld(game, player);
    const transfers: TransferMessage[] = [];
    let arrived = 0;
    town.onMessage(ServerMessage.transfer, (message: unknown) => {
      arrived = Date.now();
      transfers.push(transferMessageSchema.parse(message));
    });
    const stepped = Date.now();
    town.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => transfers.length === 1, 4000);
    return { town, transfer: transfers[0]!, tookMs: arrived - stepped };
  }

  it('carries a character through a portal into another area, saved, with no new login', async () => {
    const player = await createPlayer(game, { area: 'town', x: 21, y: 8 });
    const { town, transfer } = await stepOntoFieldPortal(player);
    const field = track(await new Client(game.base).consumeSeatReservation(transfer.reservation));
    await town.leave();
    await waitFor(() => seen(field).has(player.name), 2000);
    assert.equal(field.state.area, 'field');
    assert.deepEqual(seen(field).get(player.name), { name: player.name, x: 2, y: 10 });
    const saved = await callJson(game.base, `/characters/${player.characterId}`, { token: player.token });
    assert.deepEqual([saved.body.area, saved.body.x, saved.body.y], ['field', 2, 10]);
  });

  it('carries a character through a portal past the listing of an instance this process has just disposed', async () => {
    // No field instance left from earlier tests: the transfer has to look in the driver.
    for (let waited = 0; (await matchMaker.query({ name: 'map_area', area: 'field' })).length > 0; waited += 50) {
      assert.ok(waited < 5000, 'the field instances of earlier tests were disposed');
      await sleep(50);
    }
    // What a query can return while Colyseus disposes an instance: its listing, the room gone.
    // A seat asked of it would go out over presence to nobody and fail after 2 s, three times.
    const gone = initializeRoomCache({ name: 'map_area', roomId: 'gone-field', processId: matchMaker.processId, metadata: { area: 'field' }, clients: 0, maxClients: 50, locked: false, private: false, unlisted: false });
    await matchMaker.driver.persist(gone, true);
    try {
      const player = await createPlayer(game, { area: 'town', x: 21, y: 8 });
      const { town, transfer, tookMs } = await stepOntoFieldPortal(player);
      track(town);
      assert.notEqual(transfer.reservation.roomId, 'gone-field');
      // A seat asked of the gone instance costs at least Colyseus's 2 s timeout before the message;
      // timed from the step alone, so that a slow join on a busy machine does not count.
      assert.ok(tookMs < 1900, `the transfer message came ${tookMs} ms after the step`);
      const field = track(await new Client(game.base).consumeSeatReservation(transfer.reservation));
      await town.leave();
      await waitFor(() => seen(field).has(player.name), 2000);
      assert.equal(field.state.area, 'field');
    } finally {
      await matchMaker.driver.remove('gone-field');
    }
  });

  it('carries a character through a portal into the instance where others already play', async () => {
    // Someone in the field, so that its instance here takes the newcomer's seat directly.
    const resident = await createPlayer(game, { area: 'field', x: 5, y: 10 });
    const fieldRoom = track(await joinWorld(game, resident));
    const player = await createPlayer(game, { area: 'town', x: 21, y: 8 });
    const { town, transfer } = await stepOntoFieldPortal(player);
    assert.equal(transfer.reservation.roomId, fieldRoom.roomId);
    const field = track(await new Client(game.base).consumeSeatReservation(transfer.reservation));
    await town.leave();
    await waitFor(() => seen(fieldRoom).has(player.name), 2000);
    assert.deepEqual(seen(field).get(player.name), { name: player.name, x: 2, y: 10 });
  });

  it('saves the position and the time last seen on leave', async () => {
    const player = await createPlayer(game, { area: 'town', x: 2, y: 14 });
    const joinedAt = Date.now();
    const room = await joinWorld(game, player);
    room.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => seen(room).get(player.name)!.x >= 4, 3000);
    room.send(ClientMessage.move, { dx: 0, dy: 0 });
    await sleep(300);
    const { x } = seen(room).get(player.name)!;
    await room.leave();
    await sleep(300);
    const saved = await callJson(game.base, `/characters/${player.characterId}`, { token: player.token });
    assert.deepEqual([saved.body.area, saved.body.x, saved.body.y], ['town', x, 14]);
    const card = await callJson(game.base, `/public/characters/${player.name}`);
    assert.ok(Date.parse(String(card.body.lastSeen)) >= joinedAt - 1000, `last seen ${String(card.body.lastSeen)}`);
  });

  it('saves a connected player progress every save interval, without leaving', async () => {
    const player = await createPlayer(game, { area: 'town', x: 2, y: 10 });
    const room = track(await joinWorld(game, player));
    room.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => seen(room).get(player.name)!.x >= 4, 3000);
    room.send(ClientMessage.move, { dx: 0, dy: 0 });
    await sleep(200);
    const { x } = seen(room).get(player.name)!;
    // The fixture saves every second.
    await sleep(1500);
    const saved = await callJson(game.base, `/characters/${player.characterId}`, { token: player.token });
    assert.deepEqual([saved.body.x, saved.body.y], [x, 10]);
  });

  it('answers use_portal away from a portal with NOT_ON_PORTAL', async () => {
    const player = await createPlayer(game, { area: 'town', x: 2, y: 4 });
    const room = track(await joinWorld(game, player));
    const errors: RoomError[] = [];
    room.onMessage(ServerMessage.error, (error: RoomError) => errors.push(error));
    room.send(ClientMessage.usePortal, {});
    await waitFor(() => errors.length === 1, 2000);
    assert.equal(errors[0]!.code, 'NOT_ON_PORTAL');
  });

  it('keeps a dropped character in the world and lets its client reconnect to the same place', async () => {
    const player = await createPlayer(game, { area: 'town', x: 8, y: 5 });
    const observer = await createPlayer(game, { area: 'town', x: 9, y: 5 });
    const room = track(await joinWorld(game, player));
    const observerRoom = track(await joinWorld(game, observer));
    await waitFor(() => seen(observerRoom).has(player.name), 2000);
    // The SDK waits for a room to have been up 5 s before reconnecting on its own.
    room.reconnection.minUptime = 0;
    const sessionId = room.sessionId;
    let reconnected = false;
    room.onReconnect(() => (reconnected = true));
    (room.connection.transport as unknown as { ws: { terminate(): void } }).ws.terminate();
    await sleep(200);
    assert.ok(seen(observerRoom).has(player.name), 'still in the world while dropped');
    await waitFor(() => reconnected, 8000);
    assert.equal(room.sessionId, sessionId);
    assert.deepEqual(seen(room).get(player.name), { name: player.name, x: 8, y: 5 });
    room.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => seen(room).get(player.name)!.x > 8, 3000);
  });

  it('hands a character over to its newest connection and drops the old one', async () => {
    const player = await createPlayer(game, { area: 'town', x: 12, y: 5 });
    const first = await joinWorld(game, player);
    first.reconnection.minUptime = 0;
    let firstClosed: number | undefined;
    first.onLeave((code: number) => (firstClosed = code));
    const second = track(await joinWorld(game, player));
    await waitFor(() => firstClosed !== undefined, 3000);
    assert.equal(firstClosed, GameCloseCode.TAKEN_OVER);
    assert.deepEqual(seen(second).get(player.name), { name: player.name, x: 12, y: 5 });
  });

  it('drops a player whose session is revoked', async () => {
    const player = await createPlayer(game, { area: 'town', x: 12, y: 6 });
    const room = await joinWorld(game, player);
    room.reconnection.minUptime = 0;
    let closed: number | undefined;
    room.onLeave((code: number) => (closed = code));
    await callJson(game.base, '/auth/logout', { method: 'POST', token: player.token });
    await waitFor(() => closed !== undefined, 2000);
    assert.equal(closed, GameCloseCode.SESSION_REVOKED);
  });

  it('keeps exactly one of two simultaneous joins of the same character', async () => {
    const player = await createPlayer(game, { area: 'town', x: 14, y: 5 });
    const [a, b] = await Promise.all([enterWorld(game, player), enterWorld(game, player)]);
    const outcomes = await Promise.allSettled([a!, b!].map((reservation) => new Client(game.base).consumeSeatReservation(reservation)));
    const joined = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [track(outcome.value)] : []));
    for (const room of joined) room.reconnection.minUptime = 0;
    await sleep(1500);
    const open = joined.filter((room) => room.connection.isOpen);
    assert.equal(open.length, 1, `${open.length} connections hold the character`);
    assert.ok(seen(open[0]!).has(player.name));
  });

  it('refuses a seat reservation used after its session was revoked', async () => {
    const player = await createPlayer(game, { area: 'town', x: 14, y: 6 });
    const reservation = await enterWorld(game, player);
    await callJson(game.base, '/auth/logout', { method: 'POST', token: player.token });
    await sleep(100);
    await assert.rejects(new Client(game.base).consumeSeatReservation(reservation));
  });

  it('opens another instance when every instance of an area is full (layering)', async () => {
    const players = await Promise.all([0, 1, 2].map((i) => createPlayer(game, { area: 'dungeon', x: 5 + i, y: 7 })));
    const joined = [];
    for (const player of players) joined.push(track(await joinWorld(game, player)));
    const instances = new Set(joined.map((room) => room.roomId));
    assert.equal(instances.size, 2, 'two players fill the first instance; the third opens a second');
  });

  it('opens only the instances needed when players enter an empty area at the same moment', async () => {
    const players = await Promise.all([0, 1, 2].map((i) => createPlayer(game, { area: 'dungeon', x: 2 + i, y: 1 })));
    const reservations = await Promise.all(players.map((player) => enterWorld(game, player)));
    assert.equal(new Set(reservations.map((r) => r.roomId)).size, 2, 'three players, two seats each: two instances, not three');
    for (const reservation of reservations) track(await new Client(game.base).consumeSeatReservation(reservation));
  });

  it('refuses to enter with another account character, and direct matchmaking altogether', async () => {
    const owner = await createPlayer(game, { area: 'town', x: 2, y: 2 });
    const other = await createPlayer(game);
    const res = await callJson(game.base, '/world/enter', { method: 'POST', token: other.token, body: { characterId: owner.characterId } });
    assert.deepEqual([res.status, res.body.code], [404, 'CHARACTER_NOT_FOUND']);
    await assert.rejects(new Client(game.base).joinOrCreate('map_area', { area: 'town' }));
    await assert.rejects(enterWorld(game, { ...owner, token: 'not-a-token' }));
  });
});
