import assert from 'node:assert/strict';
import { Client, type Room } from '@colyseus/sdk';
import { callJson } from '@mmo/platform/testing';
import { ClientMessage, ServerMessage, chatBroadcastSchema, notificationSchema, roomErrorSchema, type ChatBroadcast, type Notification, type RoomError } from '@mmo/shared';
import { callSocial, createPlayer, enterWorld, sleep, startGame, waitFor, type GameFixture, type TestPlayer } from './game.fixture.js';

/** A joined client and everything social it has received. */
interface Inbox {
  room: Room;
  notes: Notification[];
  chat: ChatBroadcast[];
  errors: RoomError[];
}

/**
 * Enters the world and listens for social messages from the moment the room is joined: the
 * messages missed while offline arrive right after the join.
 */
async function join(game: GameFixture, player: TestPlayer): Promise<Inbox> {
  const room: Room = await new Client(game.base).consumeSeatReservation(await enterWorld(game, player));
  const inbox: Inbox = { room, notes: [], chat: [], errors: [] };
  room.onMessage(ServerMessage.notify, (message: unknown) => inbox.notes.push(notificationSchema.parse(message)));
  room.onMessage(ServerMessage.chat, (message: unknown) => inbox.chat.push(chatBroadcastSchema.parse(message)));
  room.onMessage(ServerMessage.error, (message: unknown) => inbox.errors.push(roomErrorSchema.parse(message)));
  await waitFor(() => (room.state as { players?: unknown } | undefined)?.players !== undefined, 2000);
  return inbox;
}

describe(`social events live in game (${process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded'} stack)`, function () {
  this.timeout(30_000);
  let game: GameFixture;
  const rooms: Room[] = [];

  before(async () => {
    game = await startGame();
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).filter((room) => room.connection.isOpen).map((room) => room.leave().catch(() => undefined)));
  });
  after(async () => {
    await game.stop();
  });

  const social = (player: TestPlayer, method: string, path: string, body?: unknown) => callSocial(game, player, method, path, body);

  it('delivers party and guild invites, party and guild chat and a private message live to a player in another area, and a missed message at the next login', async () => {
    const alice = await createPlayer(game, { area: 'town', x: 5, y: 5 });
    const bob = await createPlayer(game, { area: 'field', x: 5, y: 5 });
    const a = await join(game, alice);
    rooms.push(a.room);
    let b = await join(game, bob);
    rooms.push(b.room);
    assert.notEqual(a.room.roomId, b.room.roomId);

    // Party invite, live.
    const party = await social(alice, 'POST', '/social/parties');
    assert.equal(party.status, 201);
    const invite = await social(alice, 'POST', `/social/parties/${String(party.body.id)}/invites`, { name: bob.name });
    assert.equal(invite.status, 201);
    await waitFor(() => b.notes.some((n) => n.type === 'party.invite' && n.invite.id === invite.body.id), 3000);
    assert.equal((await social(bob, 'POST', `/social/parties/invites/${String(invite.body.id)}/accept`)).status, 200);
    await waitFor(() => a.notes.some((n) => n.type === 'party.updated' && n.reason === 'joined'), 3000);

    // Party chat, sent through one room and delivered in the other.
    a.room.send(ClientMessage.chat, { text: 'meet at the gate', channel: 'party' });
    await waitFor(() => b.chat.some((line) => line.channel === 'party' && line.text === 'meet at the gate'), 3000);
    assert.deepEqual(b.chat.find((line) => line.channel === 'party'), { from: alice.name, text: 'meet at the gate', channel: 'party' });

    // Guild invite and guild chat, the same way.
    const guild = await social(alice, 'POST', '/social/guilds', { name: `Order ${alice.name}`.slice(0, 24), tag: alice.name.slice(1, 5) });
    assert.equal(guild.status, 201, JSON.stringify(guild.body));
    const guildInvite = await social(alice, 'POST', `/social/guilds/${String(guild.body.id)}/invites`, { name: bob.name });
    await waitFor(() => b.notes.some((n) => n.type === 'guild.invite' && n.invite.id === guildInvite.body.id), 3000);
    assert.equal((await social(bob, 'POST', `/social/guilds/invites/${String(guildInvite.body.id)}/accept`)).status, 200);
    b.room.send(ClientMessage.chat, { text: 'for the guild', channel: 'guild' });
    await waitFor(() => a.chat.some((line) => line.channel === 'guild' && line.text === 'for the guild' && line.from === bob.name), 3000);

    // A private message, live.
    assert.equal((await social(alice, 'POST', '/social/messages', { to: bob.name, text: 'hello there' })).status, 201);
    await waitFor(() => b.notes.some((n) => n.type === 'message.received' && n.message.text === 'hello there'), 3000);

    // Offline: kept, then delivered at the next login.
    await b.room.leave();
    const sent = await social(alice, 'POST', '/social/messages', { to: bob.name, text: 'you missed this' });
    assert.equal(sent.status, 201);
    b = await join(game, bob);
    rooms.push(b.room);
    await waitFor(() => b.notes.some((n) => n.type === 'message.received' && n.message.text === 'you missed this'), 3000);
    assert.equal(b.notes.filter((n) => n.type === 'message.received' && n.message.text === 'hello there').length, 0, 'a message delivered live is not delivered again');
  });

  it('hands over a message sent while the recipient was dropped once its connection comes back', async () => {
    const alice = await createPlayer(game, { area: 'town', x: 5, y: 6 });
    const bob = await createPlayer(game, { area: 'town', x: 6, y: 6 });
    const a = await join(game, alice);
    rooms.push(a.room);
    const b = await join(game, bob);
    rooms.push(b.room);
    // Reconnect on its own, but only after the message went out.
    Object.assign(b.room.reconnection, { minUptime: 0, delay: 1500, minDelay: 1500 });
    let reconnected = false;
    b.room.onReconnect(() => (reconnected = true));
    (b.room.connection.transport as unknown as { ws: { terminate(): void } }).ws.terminate();
    await sleep(300);
    const sent = await social(alice, 'POST', '/social/messages', { to: bob.name, text: 'while you were away' });
    assert.equal(sent.status, 201);
    await sleep(300);
    assert.equal((await game.running.infra.prisma.message.findUniqueOrThrow({ where: { id: String(sent.body.id) } })).deliveredAt, null, 'not handed to a dropped connection');
    await waitFor(() => reconnected, 8000);
    await waitFor(() => b.notes.some((n) => n.type === 'message.received' && n.message.id === sent.body.id), 3000);
  });

  it('announces a character offline when its client vanishes in the middle of a portal hop', async () => {
    const carol = await createPlayer(game, { area: 'town', x: 5, y: 7 });
    const dave = await createPlayer(game, { area: 'town', x: 21, y: 8 });
    await social(carol, 'POST', '/social/friends/requests', { name: dave.name });
    await social(dave, 'POST', `/social/friends/requests/${carol.characterId}/accept`);
    const c = await join(game, carol);
    rooms.push(c.room);
    const d = await join(game, dave);
    rooms.push(d.room);
    await waitFor(() => c.notes.some((n) => n.type === 'friend.online' && n.friend.id === dave.characterId), 3000);
    let transferred = false;
    d.room.onMessage(ServerMessage.transfer, () => (transferred = true));
    d.room.send(ClientMessage.move, { dx: 1, dy: 0 });
    await waitFor(() => transferred, 4000);
    // The tab closes instead of joining the new room.
    await d.room.leave();
    await waitFor(() => c.notes.some((n) => n.type === 'friend.offline' && n.friend.id === dave.characterId), 3000);
    const friends = await social(carol, 'GET', '/social/friends');
    assert.deepEqual((friends.body.friends as { online: boolean }[]).map((f) => f.online), [false]);
  });

  it('tells friends when a character logs in and out, and refuses party chat outside a party with an error', async () => {
    const carol = await createPlayer(game, { area: 'town', x: 6, y: 5 });
    const dave = await createPlayer(game, { area: 'dungeon', x: 9, y: 9 });
    assert.equal((await social(carol, 'POST', '/social/friends/requests', { name: dave.name })).status, 201);
    assert.equal((await social(dave, 'POST', `/social/friends/requests/${carol.characterId}/accept`)).status, 200);
    const c = await join(game, carol);
    rooms.push(c.room);
    const d = await join(game, dave);
    rooms.push(d.room);
    await waitFor(() => c.notes.some((n) => n.type === 'friend.online' && n.friend.id === dave.characterId && n.area === 'dungeon'), 3000);
    const friends = await social(carol, 'GET', '/social/friends');
    assert.deepEqual((friends.body.friends as { online: boolean; area: string }[]).map((f) => [f.online, f.area]), [[true, 'dungeon']]);

    d.room.send(ClientMessage.chat, { text: 'anyone?', channel: 'party' });
    await waitFor(() => d.errors.some((e) => e.code === 'NOT_IN_PARTY'), 3000);

    await d.room.leave();
    await waitFor(() => c.notes.some((n) => n.type === 'friend.offline' && n.friend.id === dave.characterId), 3000);
    const after = await callJson(game.base, '/social/friends', { token: carol.token });
    assert.equal(after.status, 400, 'the acting character header is required');
  });
});
