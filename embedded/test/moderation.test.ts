import assert from 'node:assert/strict';
import { Client, type Room } from '@colyseus/sdk';
import { callJson } from '@mmo/platform/testing';
import {
  CHARACTER_HEADER,
  chatBroadcastSchema,
  ClientMessage,
  GameCloseCode,
  accountDetailSchema,
  chatReportListSchema,
  liveViewSchema,
  type ChatReport,
  roomErrorSchema,
  ServerMessage,
  type ChatBroadcast,
  type RoomError,
} from '@mmo/shared';
import { createPlayer, enterWorld, startGame, waitFor, type GameFixture, type TestPlayer } from './game.fixture.js';

/** A joined SDK client with what it received and how it was closed. */
interface Session {
  room: Room;
  chat: ChatBroadcast[];
  errors: RoomError[];
  closedWith: number | null;
  closedAt: number | null;
}

async function join(game: GameFixture, player: TestPlayer): Promise<Session> {
  const room: Room = await new Client(game.base).consumeSeatReservation(await enterWorld(game, player));
  const session: Session = { room, chat: [], errors: [], closedWith: null, closedAt: null };
  room.onMessage(ServerMessage.chat, (message: unknown) => session.chat.push(chatBroadcastSchema.parse(message)));
  room.onMessage(ServerMessage.error, (message: unknown) => session.errors.push(roomErrorSchema.parse(message)));
  room.onMessage(ServerMessage.notify, () => undefined);
  room.onLeave((code: number) => {
    session.closedWith = code;
    session.closedAt = Date.now();
  });
  await waitFor(() => (room.state as { players?: unknown } | undefined)?.players !== undefined, 2000);
  return session;
}

/** Polls until `probe` holds; resolves with the milliseconds it took. */
async function within(probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

describe(`moderation enforced in game and in every service (${process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded'} stack)`, function () {
  this.timeout(60_000);
  let game: GameFixture;
  let moderator: { token: string };
  const rooms: Room[] = [];

  before(async () => {
    game = await startGame();
    const staff = await createPlayer(game);
    const account = await game.running.infra.prisma.character.findUniqueOrThrow({ where: { id: staff.characterId }, select: { accountId: true } });
    const row = await game.running.infra.prisma.account.update({ where: { id: account.accountId }, data: { role: 'moderator' } });
    const login = await callJson(game.base, '/auth/login', { method: 'POST', body: { username: row.username, password: 'correct horse' } });
    moderator = { token: String(login.body.accessToken) };
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).filter((room) => room.connection.isOpen).map((room) => room.leave().catch(() => undefined)));
  });
  after(async () => {
    await game.stop();
  });

  const accountOf = async (player: TestPlayer) =>
    (await game.running.infra.prisma.character.findUniqueOrThrow({ where: { id: player.characterId }, select: { accountId: true } })).accountId;
  const admin = (path: string, body?: unknown) => callJson(game.base, path, { method: body === undefined ? 'GET' : 'POST', token: moderator.token, body });
  const asPlayer = (player: TestPlayer, path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(game.base + path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${player.token}`,
        [CHARACTER_HEADER]: player.characterId,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }).then(async (res) => ({ status: res.status, body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown> }));

  it('closes a banned player’s game connection within 1 s with the ban close code and reason, and every service answers ACCOUNT_BANNED within 1 s', async () => {
    const player = await createPlayer(game, { area: 'town', x: 5, y: 5 });
    const session = await join(game, player);
    rooms.push(session.room);
    const accountId = await accountOf(player);
    const started = Date.now();
    const ban = await admin(`/admin/accounts/${accountId}/ban`, { reason: 'botting in town', durationSeconds: 3600 });
    assert.equal(ban.status, 201);
    await waitFor(() => session.closedWith !== null, 1000);
    assert.equal(session.closedWith, GameCloseCode.BANNED);
    assert.ok(session.closedAt! - started <= 1000, `closed after ${session.closedAt! - started} ms`);
    const notice = session.errors.find((e) => e.code === 'ACCOUNT_BANNED');
    assert.equal(notice?.sanction?.reason, 'botting in town');
    assert.equal(notice?.sanction?.endsAt, (ban.body.sanction as { endsAt: string }).endsAt);

    // One path per service: primary, player API, social API.
    for (const path of ['/auth/sessions', '/characters', '/social/friends']) {
      const elapsed = await within(async () => {
        const res = await asPlayer(player, path);
        return res.status === 403 && res.body.code === 'ACCOUNT_BANNED' && (res.body.sanction as { reason?: string } | undefined)?.reason === 'botting in town';
      }, 1000);
      assert.ok(Date.now() - started <= 1500 && elapsed <= 1000, `${path} refused after ${Date.now() - started} ms`);
    }
    const enter = await callJson(game.base, '/world/enter', { method: 'POST', token: player.token, body: { characterId: player.characterId } });
    assert.equal(enter.body.code, 'ACCOUNT_BANNED');
  });

  it('refuses a muted player’s area, party and guild chat and private messages with MUTED and its end, and accepts them again once a short mute ends', async () => {
    const player = await createPlayer(game, { area: 'town', x: 6, y: 5 });
    const friend = await createPlayer(game, { area: 'town', x: 7, y: 5 });
    const session = await join(game, player);
    const listener = await join(game, friend);
    rooms.push(session.room, listener.room);
    const mute = await admin(`/admin/accounts/${await accountOf(player)}/mute`, { reason: 'flooding chat', durationSeconds: 2 });
    assert.equal(mute.status, 201);
    const endsAt = (mute.body.sanction as { endsAt: string }).endsAt;
    for (const channel of ['area', 'party', 'guild'] as const) session.room.send(ClientMessage.chat, { text: `hello ${channel}`, channel });
    await waitFor(() => session.errors.filter((e) => e.code === 'MUTED').length === 3, 1000);
    assert.ok(session.errors.every((e) => e.code === 'MUTED' && e.sanction?.endsAt === endsAt && e.sanction.reason === 'flooding chat'));
    const refused = await asPlayer(player, '/social/messages', { method: 'POST', body: { to: friend.name, text: 'psst' } });
    assert.deepEqual([refused.status, refused.body.code, (refused.body.sanction as { endsAt?: string }).endsAt], [403, 'MUTED', endsAt]);
    assert.equal(listener.chat.some((line) => line.text.startsWith('hello')), false);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(endsAt) - Date.now() + 50)));
    session.room.send(ClientMessage.chat, { text: 'back again' });
    await waitFor(() => listener.chat.some((line) => line.text === 'back again' && line.channel === 'area'), 1000);
    const sent = await asPlayer(player, '/social/messages', { method: 'POST', body: { to: friend.name, text: 'psst' } });
    assert.equal(sent.status, 201);
  });

  it('kicks a player out of the game with the kick close code, without a ban: the player enters again', async () => {
    const player = await createPlayer(game, { area: 'town', x: 8, y: 5 });
    const session = await join(game, player);
    rooms.push(session.room);
    assert.equal((await admin(`/admin/accounts/${await accountOf(player)}/kick`, { reason: 'stuck in a wall' })).status, 201);
    await waitFor(() => session.closedWith !== null, 1000);
    assert.equal(session.closedWith, GameCloseCode.KICKED);
    assert.equal(session.errors.find((e) => e.code === 'KICKED')?.message.includes('stuck in a wall'), true);
    const again = await join(game, player);
    rooms.push(again.room);
  });

  it('reports an area chat line with the lines around it, refusing one\'s own line and an unknown one, for moderators to read and resolve', async () => {
    const reporter = await createPlayer(game, { area: 'field', x: 6, y: 6 });
    const speaker = await createPlayer(game, { area: 'field', x: 7, y: 6 });
    const heard = await join(game, reporter);
    const said = await join(game, speaker);
    rooms.push(heard.room, said.room);
    for (const text of ['one', 'two', 'three']) said.room.send(ClientMessage.chat, { text });
    await waitFor(() => heard.chat.filter((line) => line.from === speaker.name).length === 3, 2000);
    const two = heard.chat.find((line) => line.text === 'two')!;
    assert.ok(two.id);
    said.room.send(ClientMessage.reportChat, { lineId: two.id, reason: 'my own' });
    await waitFor(() => said.errors.some((e) => e.code === 'CANNOT_TARGET_SELF'), 1000);
    heard.room.send(ClientMessage.reportChat, { lineId: 'nowhere:1', reason: 'nothing' });
    await waitFor(() => heard.errors.some((e) => e.code === 'MESSAGE_NOT_FOUND'), 1000);
    heard.room.send(ClientMessage.reportChat, { lineId: two.id, reason: 'rude to me' });
    let report: ChatReport | undefined;
    await within(async () => {
      const list = chatReportListSchema.parse((await admin('/admin/social/chat-reports')).body);
      report = list.reports.find((r) => r.line.id === two.id);
      return report !== undefined;
    }, 2000);
    assert.deepEqual([report!.reporterName, report!.reportedName, report!.reason, report!.area], [reporter.name, speaker.name, 'rude to me', 'field']);
    assert.deepEqual(report!.context.map((line) => line.text), ['one', 'two', 'three']);
    const detail = accountDetailSchema.parse((await admin(`/admin/accounts/${await accountOf(speaker)}`)).body);
    assert.deepEqual(detail.reports.map((r) => [r.kind, r.text]), [['area_chat', 'two']]);
    assert.equal((await admin(`/admin/social/chat-reports/${report!.id}/resolve`, { reason: 'warned' })).status, 204);
    const open = chatReportListSchema.parse((await admin('/admin/social/chat-reports')).body);
    assert.equal(open.reports.some((r) => r.id === report!.id), false);
  });

  it('shows players in the live view by area and instance, and a system announcement in the game chat of that area only', async () => {
    const inTown = await createPlayer(game, { area: 'town', x: 9, y: 5 });
    const inField = await createPlayer(game, { area: 'field', x: 5, y: 5 });
    const town = await join(game, inTown);
    const field = await join(game, inField);
    rooms.push(town.room, field.room);
    const live = liveViewSchema.parse((await admin('/admin/live')).body);
    const townRoom = live.areas.find((a) => a.area === 'town')!.instances.find((i) => i.roomId === town.room.roomId);
    assert.ok(townRoom?.players.some((p) => p.name === inTown.name));
    assert.ok(townRoom!.clients >= 1);
    assert.ok(live.processes.length >= 1);
    assert.equal((await admin('/admin/announcements', { text: 'Server restarts in 5 minutes', area: 'town' })).status, 204);
    await waitFor(() => town.chat.some((line) => line.channel === 'system' && line.text === 'Server restarts in 5 minutes'), 1000);
    assert.equal((await admin('/admin/announcements', { text: 'Hello everyone', area: null })).status, 204);
    await waitFor(() => field.chat.some((line) => line.channel === 'system' && line.text === 'Hello everyone'), 1000);
    assert.equal(field.chat.some((line) => line.text === 'Server restarts in 5 minutes'), false);
  });
});
