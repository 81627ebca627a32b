// The cluster as `npm run cluster` starts it: every service its own process, PostgreSQL and
// Redis between them, one base URL at the gateway. Needs the real stack, so it is defined
// only when DATABASE_URL and REDIS_URL are set (as in CI).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client, type Room } from '@colyseus/sdk';
import { openDatabase, type Database } from '@mmo/platform';
import { callJson, waitUntil } from '@mmo/platform/testing';
import { ClientMessage, ServerMessage,
  CHARACTER_HEADER,
  chatBroadcastSchema,
  notificationSchema,
  transferMessageSchema,
  type AreaId,
  type ChatBroadcast,
  type Notification,
  type SeatReservation,
  type TransferMessage,
} from '@mmo/shared';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { DATABASE_URL: serverUrl, REDIS_URL: redisUrl } = process.env;


if (serverUrl && redisUrl) {
  describe('cluster (npm run cluster) on PostgreSQL and Redis', function () {
    this.timeout(120_000);
    // Below Linux's ephemeral range (32768+), so that no outgoing connection holds one of the ports.
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const base = `http://127.0.0.1:${port}`;
    const dbName = `mmo_cluster_${randomBytes(5).toString('hex')}`;
    let db: Database;
    let cluster: ChildProcess;
    let exited: Promise<number | null>;

    before(async () => {
      const databaseUrl = new URL(serverUrl);
      databaseUrl.pathname = `/${dbName}`;
      cluster = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/cluster.ts')], {
        cwd: root,
        env: {
          ...process.env,
          PORT: String(port),
          DATABASE_URL: databaseUrl.toString(),
          REDIS_URL: redisUrl,
          LOG_LEVEL: 'warn',
          // Every test account comes from 127.0.0.1; counters in Redis outlive a run.
          REGISTER_RATE_LIMIT_PER_IP: '100000',
          LOGIN_RATE_LIMIT_PER_IP: '100000',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      exited = new Promise((done) => cluster.once('exit', (code) => done(code)));
      db = await openDatabase({ kind: 'postgres', url: databaseUrl.toString() });
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => {
          cluster.kill('SIGTERM');
          fail(new Error('the cluster did not become ready within 60 s'));
        }, 60_000);
        // The services' logs, to show why the cluster stopped if it does.
        const recent: string[] = [];
        cluster.once('exit', (code) => fail(new Error(`the cluster exited with ${code}; its last lines:\n${recent.join('\n')}`)));
        createInterface({ input: cluster.stdout! }).on('line', (line) => {
          recent.push(line);
          if (recent.length > 40) recent.shift();
          if (line.startsWith('cluster: ready')) {
            clearTimeout(timer);
            done();
          }
        });
      });
    });

    after(async () => {
      await db.close();
      cluster.kill('SIGTERM');
      assert.equal(await exited, 0, 'the cluster stops cleanly on SIGTERM');
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    });

    it('serves register, login, create and list characters through the gateway', async () => {
      assert.equal((await callJson(base, '/auth/register', { method: 'POST', body: { username: 'Borin', password: 'correct horse' } })).status, 201);
      const login = await callJson(base, '/auth/login', { method: 'POST', body: { username: 'borin', password: 'correct horse' } });
      assert.equal(login.status, 200);
      const token = String(login.body.accessToken);
      assert.equal((await callJson(base, '/characters', { method: 'POST', token, body: { name: 'Borin', class: 'warrior' } })).status, 201);
      const list = await callJson(base, '/characters', { token });
      assert.deepEqual((list.body.characters as Array<{ name: string }>).map((c) => c.name), ['Borin']);
    });

    it('has two game processes up, each at its own address', async () => {
      for (const gamePort of [port + 4, port + 5]) {
        assert.equal((await callJson(`http://127.0.0.1:${gamePort}`, '/health')).body.service, 'game');
        const unknown = await callJson(`http://127.0.0.1:${gamePort}`, '/nowhere');
        assert.deepEqual([unknown.status, unknown.body.code], [404, 'NOT_FOUND']);
      }
    });

    it('makes the player API process refuse a session within 1 s of logout at the primary process', async () => {
      await callJson(base, '/auth/register', { method: 'POST', body: { username: 'Cyra', password: 'correct horse' } });
      const login = await callJson(base, '/auth/login', { method: 'POST', body: { username: 'cyra', password: 'correct horse' } });
      const token = String(login.body.accessToken);
      assert.equal((await callJson(base, '/characters', { token })).status, 200);
      assert.equal((await callJson(base, '/auth/logout', { method: 'POST', token })).status, 204);
      const elapsed = await waitUntil(async () => (await callJson(base, '/characters', { token })).body.code === 'SESSION_REVOKED', 1000, 5);
      assert.ok(elapsed <= 1000, `refused after ${elapsed} ms`);
    });

    it('places rooms on both game processes and carries a character through a portal to the other one', async () => {
      // One character next to each portal; each portal leads to an area whose room may live on
      // the other process. Entering one at a time lets Colyseus's load figures (published at
      // most once a second) spread the rooms over both processes.
      const starts: Array<{ name: string; area: AreaId; x: number; y: number; dx: number; dy: number; target: AreaId }> = [
        { name: 'Tova', area: 'town', x: 21, y: 8, dx: 1, dy: 0, target: 'field' },
        { name: 'Fenn', area: 'field', x: 2, y: 10, dx: -1, dy: 0, target: 'town' },
        { name: 'Dara', area: 'dungeon', x: 9, y: 12, dx: 1, dy: 0, target: 'field' },
      ];
      const players = [];
      for (const start of starts) {
        const username = `${start.name.toLowerCase()}walker`;
        await callJson(base, '/auth/register', { method: 'POST', body: { username, password: 'correct horse' } });
        const login = await callJson(base, '/auth/login', { method: 'POST', body: { username, password: 'correct horse' } });
        const token = String(login.body.accessToken);
        const created = await callJson(base, '/characters', { method: 'POST', token, body: { name: start.name, class: 'ranger' } });
        await db.prisma.character.update({ where: { id: String(created.body.id) }, data: { area: start.area, x: start.x, y: start.y } });
        const entered = await callJson(base, '/world/enter', { method: 'POST', token, body: { characterId: created.body.id } });
        assert.equal(entered.status, 200, JSON.stringify(entered.body));
        players.push({ ...start, reservation: entered.body.reservation as SeatReservation });
        await new Promise((done) => setTimeout(done, 1200));
      }
      const processOf = new Map(players.map((p) => [p.area, p.reservation.processId]));
      assert.equal(new Set(processOf.values()).size, 2, `rooms by area: ${JSON.stringify([...processOf])}`);
      for (const p of players) assert.match(p.reservation.publicAddress ?? '', new RegExp(`localhost:(${port + 4}|${port + 5})`));

      const rooms: Room[] = [];
      try {
        for (const p of players) rooms.push(await new Client(base).consumeSeatReservation(p.reservation));
        const index = players.findIndex((p) => processOf.get(p.target) !== processOf.get(p.area));
        const mover = players[index]!;
        const transfers: TransferMessage[] = [];
        rooms[index]!.onMessage(ServerMessage.transfer, (message: unknown) => transfers.push(transferMessageSchema.parse(message)));
        rooms[index]!.send(ClientMessage.move, { dx: mover.dx, dy: mover.dy });
        await waitUntil(() => transfers.length === 1, 5000);
        const reservation = transfers[0]!.reservation;
        assert.equal(reservation.processId, processOf.get(mover.target));
        assert.notEqual(reservation.processId, mover.reservation.processId, 'the portal leads to the other process');
        const arrived = await new Client(base).consumeSeatReservation(reservation);
        rooms.push(arrived);
        await rooms[index]!.leave();
        const state = () => arrived.state as { area: string; players?: Map<string, { name: string }> };
        await waitUntil(() => [...(state().players?.values() ?? [])].some((player) => player.name === mover.name), 3000);
        assert.equal(state().area, mover.target);
      } finally {
        await Promise.all(rooms.filter((room) => room.connection.isOpen).map((room) => room.leave().catch(() => undefined)));
      }
    });

    it('delivers a party invite, party chat and private messages live across game processes, and a missed one at the next login', async () => {
      /** An account with one character placed in `area`, ready to enter the world. */
      const newPlayer = async (name: string, area: AreaId) => {
        const username = `${name.toLowerCase()}social`;
        await callJson(base, '/auth/register', { method: 'POST', body: { username, password: 'correct horse' } });
        const login = await callJson(base, '/auth/login', { method: 'POST', body: { username, password: 'correct horse' } });
        const token = String(login.body.accessToken);
        const created = await callJson(base, '/characters', { method: 'POST', token, body: { name, class: 'mage' } });
        const characterId = String(created.body.id);
        await db.prisma.character.update({ where: { id: characterId }, data: { area, x: 5, y: 5 } });
        const social = (method: string, path: string, body?: unknown) =>
          fetch(base + path, {
            method,
            headers: { authorization: `Bearer ${token}`, [CHARACTER_HEADER]: characterId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          }).then(async (res) => ({ status: res.status, body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown> }));
        return { name, token, characterId, social };
      };
      /** Joins with a real SDK client, collecting social messages from the first moment. */
      const join = async (player: { token: string; characterId: string }) => {
        const entered = await callJson(base, '/world/enter', { method: 'POST', token: player.token, body: { characterId: player.characterId } });
        assert.equal(entered.status, 200, JSON.stringify(entered.body));
        const reservation = entered.body.reservation as SeatReservation;
        const room = await new Client(base).consumeSeatReservation(reservation);
        const inbox = { room, processId: reservation.processId, notes: [] as Notification[], chat: [] as ChatBroadcast[] };
        room.onMessage(ServerMessage.notify, (message: unknown) => inbox.notes.push(notificationSchema.parse(message)));
        room.onMessage(ServerMessage.chat, (message: unknown) => inbox.chat.push(chatBroadcastSchema.parse(message)));
        return inbox;
      };
      const iris = await newPlayer('Iris', 'town');
      const jory = await newPlayer('Jory', 'dungeon');
      const rooms: Room[] = [];
      try {
        const i = await join(iris);
        rooms.push(i.room);
        // Colyseus publishes load figures at most once a second; then the second room goes to the other process.
        await new Promise((done) => setTimeout(done, 1200));
        let j = await join(jory);
        rooms.push(j.room);
        assert.notEqual(i.processId, j.processId, 'the two players play on different game processes');

        const party = await iris.social('POST', '/social/parties');
        const invite = await iris.social('POST', `/social/parties/${String(party.body.id)}/invites`, { name: 'jory' });
        assert.equal(invite.status, 201);
        await waitUntil(() => j.notes.some((n) => n.type === 'party.invite' && n.invite.id === invite.body.id), 5000);
        assert.equal((await jory.social('POST', `/social/parties/invites/${String(invite.body.id)}/accept`)).status, 200);
        await waitUntil(() => i.notes.some((n) => n.type === 'party.updated' && n.reason === 'joined'), 5000);

        i.room.send(ClientMessage.chat, { text: 'to the crypt', channel: 'party' });
        await waitUntil(() => j.chat.some((line) => line.channel === 'party' && line.text === 'to the crypt' && line.from === 'Iris'), 5000);

        assert.equal((await iris.social('POST', '/social/messages', { to: 'Jory', text: 'bring potions' })).status, 201);
        await waitUntil(() => j.notes.some((n) => n.type === 'message.received' && n.message.text === 'bring potions'), 5000);

        await j.room.leave();
        await waitUntil(async () => {
          const members = (await iris.social('GET', '/social/parties/current')).body.members as { id: string; online: boolean }[];
          return members.some((m) => m.id === jory.characterId && !m.online);
        }, 5000);
        assert.equal((await iris.social('POST', '/social/messages', { to: 'Jory', text: 'where did you go' })).status, 201);
        j = await join(jory);
        rooms.push(j.room);
        await waitUntil(() => j.notes.some((n) => n.type === 'message.received' && n.message.text === 'where did you go'), 5000);
        const party2 = await jory.social('GET', '/social/parties/current');
        assert.equal(party2.body.id, party.body.id, 'the party survived the disconnect');
      } finally {
        await Promise.all(rooms.filter((room) => room.connection.isOpen).map((room) => room.leave().catch(() => undefined)));
      }
    });

    it('closes a banned player in game and makes every service process refuse it within 1 s, with the panel served at /admin/', async () => {
      const accounts: Record<string, string> = {};
      for (const username of ['warden', 'rowdy']) {
        await callJson(base, '/auth/register', { method: 'POST', body: { username, password: 'correct horse' } });
        if (username === 'warden') await db.prisma.account.update({ where: { usernameKey: username }, data: { role: 'moderator' } });
        accounts[username] = String((await callJson(base, '/auth/login', { method: 'POST', body: { username, password: 'correct horse' } })).body.accessToken);
      }
      const token = accounts.rowdy!;
      const created = await callJson(base, '/characters', { method: 'POST', token, body: { name: 'Rowdy', class: 'warrior' } });
      const entered = await callJson(base, '/world/enter', { method: 'POST', token, body: { characterId: created.body.id } });
      const room: Room = await new Client(base).consumeSeatReservation(entered.body.reservation as SeatReservation);
      let closedAt: number | null = null;
      let closedWith: number | null = null;
      room.onMessage('*', () => undefined);
      room.onLeave((code: number) => {
        closedWith = code;
        closedAt = Date.now();
      });
      const { accountId } = await db.prisma.character.findUniqueOrThrow({ where: { id: String(created.body.id) } });
      const started = Date.now();
      const ban = await callJson(base, `/admin/accounts/${accountId}/ban`, { method: 'POST', token: accounts.warden!, body: { reason: 'cluster ban', durationSeconds: 600 } });
      assert.equal(ban.status, 201, JSON.stringify(ban.body));
      await waitUntil(() => closedAt !== null, 1000);
      assert.equal(closedWith, 4104);
      for (const path of ['/auth/sessions', '/characters', '/social/friends']) {
        await waitUntil(async () => {
          const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}`, [CHARACTER_HEADER]: String(created.body.id) } });
          return res.status === 403 && ((await res.json()) as { code?: string }).code === 'ACCOUNT_BANNED';
        }, 1000);
      }
      assert.ok(Date.now() - started < 3000);
      const panel = await fetch(`${base}/admin/`);
      assert.equal(panel.status, 200);
      assert.match(await panel.text(), /Moderation/);
    });

    it('answers JSON 404 NOT_FOUND at the gateway for a path no service owns', async () => {
      const res = await callJson(base, '/nowhere');
      assert.deepEqual([res.status, res.body.code], [404, 'NOT_FOUND']);
    });
  });
}
