import assert from 'node:assert/strict';
import { documentationOnly, isStaffRoute, type ApiRoute } from '@mmo/platform';
import { callJson } from '@mmo/platform/testing';
import { playerRoutes, type PlayerDeps } from '@mmo/player-api';
import { primaryRoutes, type PrimaryDeps } from '@mmo/server/primary';
import { CHARACTER_HEADER } from '@mmo/shared';
import { socialRoutes } from '@mmo/social-api';
import { createPlayer, startGame, type GameFixture, type TestPlayer } from './game.fixture.js';

/** A request for one route: its concrete path and body. */
interface Sample {
  path: string;
  body?: unknown;
}

/**
 * Walks every route table of the cluster and calls each moderator and admin route once, as an
 * admin, with a request that succeeds, checking that exactly one audit row appears for it,
 * naming the service, the actor, the route's action and target, the reason and the address.
 * A new staff route without a sample here fails the walk, so it cannot go unproven.
 */
describe('audit log: every moderator route of every service writes one row', function () {
  this.timeout(120_000);
  let game: GameFixture;

  before(async () => {
    game = await startGame();
  });
  after(async () => {
    await game.stop();
  });

  async function staffToken(player: TestPlayer, role: 'moderator' | 'admin'): Promise<string> {
    const { prisma } = game.running.infra;
    const { accountId } = await prisma.character.findUniqueOrThrow({ where: { id: player.characterId }, select: { accountId: true } });
    const account = await prisma.account.update({ where: { id: accountId }, data: { role } });
    const login = await callJson(game.base, '/auth/login', { method: 'POST', body: { username: account.username, password: 'correct horse' } });
    return String(login.body.accessToken);
  }

  async function asCharacter(player: TestPlayer, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(game.base + path, {
      method,
      headers: { authorization: `Bearer ${player.token}`, [CHARACTER_HEADER]: player.characterId, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path} answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  }

  it('writes one audit row per call of each staff route, with service, actor, action, target, reason and address', async () => {
    const { prisma } = game.running.infra;
    const admin = await staffToken(await createPlayer(game), 'admin');
    const [target, sender, promoted] = [await createPlayer(game), await createPlayer(game), await createPlayer(game)];
    const accountOf = async (player: TestPlayer) => (await prisma.character.findUniqueOrThrow({ where: { id: player.characterId } })).accountId;
    const targetId = await accountOf(target);
    const targetAccount = await prisma.account.findUniqueOrThrow({ where: { id: targetId } });

    // Social evidence: a message from the target, reported by its recipient, and a guild.
    const message = await asCharacter(target, 'POST', '/social/messages', { to: sender.name, text: 'rude words' });
    const report = await asCharacter(sender, 'POST', `/social/messages/${String(message.id)}/report`, { reason: 'insult' });
    const guild = await asCharacter(target, 'POST', '/social/guilds', { name: `Walkers ${target.name.slice(-4)}`, tag: 'WLK' });
    // An area chat report as the social API keeps it (rooms send them over the bus; see moderation.test.ts).
    const line = { id: 'room:1', characterId: target.characterId, from: target.name, text: 'rude line', sentAt: new Date().toISOString() };
    const chatReport = await prisma.chatReport.create({
      data: { area: 'town', roomId: 'room', reporterId: sender.characterId, reporterName: sender.name, reportedId: target.characterId, reportedName: target.name, line, context: [line], reason: 'insult' },
    });

    const samples: Record<string, () => Promise<Sample>> = {
      'get /admin/accounts': async () => ({ path: `/admin/accounts?q=${encodeURIComponent(targetAccount.username)}` }),
      'get /admin/accounts/:accountId': async () => ({ path: `/admin/accounts/${targetId}` }),
      'post /admin/accounts/:accountId/ban': async () => ({ path: `/admin/accounts/${targetId}/ban`, body: { reason: 'walk ban', durationSeconds: 60 } }),
      'post /admin/accounts/:accountId/unban': async () => ({ path: `/admin/accounts/${targetId}/unban`, body: { reason: 'walk unban' } }),
      'post /admin/accounts/:accountId/mute': async () => ({ path: `/admin/accounts/${targetId}/mute`, body: { reason: 'walk mute', durationSeconds: null } }),
      'post /admin/accounts/:accountId/unmute': async () => ({ path: `/admin/accounts/${targetId}/unmute`, body: { reason: 'walk unmute' } }),
      'post /admin/accounts/:accountId/kick': async () => ({ path: `/admin/accounts/${targetId}/kick`, body: { reason: 'walk kick' } }),
      'post /admin/accounts/:accountId/sessions/:sessionId/end': async () => {
        // The ban above ended every session: log in again for one to end.
        await callJson(game.base, '/auth/login', { method: 'POST', body: { username: targetAccount.username, password: 'correct horse' } });
        const session = await prisma.session.findFirstOrThrow({ where: { accountId: targetId, revokedAt: null } });
        return { path: `/admin/accounts/${targetId}/sessions/${session.id}/end`, body: { reason: 'walk session' } };
      },
      'put /admin/accounts/:accountId/role': async () => ({ path: `/admin/accounts/${await accountOf(promoted)}/role`, body: { role: 'moderator', reason: 'walk role' } }),
      'get /admin/audit': async () => ({ path: '/admin/audit?limit=5' }),
      'get /admin/live': async () => ({ path: '/admin/live' }),
      'post /admin/announcements': async () => ({ path: '/admin/announcements', body: { text: 'walk announcement', area: null } }),
      'post /admin/leaderboards/rebuild': async () => ({ path: '/admin/leaderboards/rebuild', body: {} }),
      'get /admin/social/reports': async () => ({ path: '/admin/social/reports' }),
      'get /admin/social/reports/:reportId/conversation': async () => ({ path: `/admin/social/reports/${String(report.id)}/conversation` }),
      'post /admin/social/messages/:messageId/remove': async () => ({ path: `/admin/social/messages/${String(message.id)}/remove`, body: { reason: 'walk remove' } }),
      'post /admin/social/reports/:reportId/resolve': async () => ({ path: `/admin/social/reports/${String(report.id)}/resolve`, body: { reason: 'walk resolve' } }),
      'get /admin/social/audit': async () => ({ path: '/admin/social/audit' }),
      'get /admin/social/chat-reports': async () => ({ path: '/admin/social/chat-reports' }),
      'post /admin/social/chat-reports/:reportId/resolve': async () => ({ path: `/admin/social/chat-reports/${chatReport.id}/resolve`, body: { reason: 'walk chat resolve' } }),
      'patch /admin/social/guilds/:guildId': async () => ({ path: `/admin/social/guilds/${String(guild.id)}`, body: { tag: 'WLX', reason: 'walk rename' } }),
      'post /admin/social/guilds/:guildId/disband': async () => ({ path: `/admin/social/guilds/${String(guild.id)}/disband`, body: { reason: 'walk disband' } }),
    };

    const tables: [string, ApiRoute[]][] = [
      ['primary', primaryRoutes(documentationOnly<PrimaryDeps>())],
      ['player', playerRoutes(documentationOnly<PlayerDeps>())],
      ['social', socialRoutes(documentationOnly())],
    ];
    const walked: string[] = [];
    for (const [service, routes] of tables) {
      for (const route of routes.filter(isStaffRoute)) {
        const key = `${route.method} ${route.path}`;
        const sample = samples[key];
        assert.ok(sample, `no sample request for the staff route ${key}: add one so that its audit row is proven`);
        assert.ok(route.audit, `${key} declares no audit row`);
        const request = await sample();
        const before = new Date();
        const res = await fetch(game.base + request.path, {
          method: route.method.toUpperCase(),
          headers: { authorization: `Bearer ${admin}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        });
        assert.ok(res.ok, `${key} answered ${res.status} ${await res.text()}`);
        const rows = await prisma.auditEntry.findMany({ where: { action: route.audit.action, createdAt: { gte: before } } });
        assert.equal(rows.length, 1, `${key} wrote ${rows.length} audit rows`);
        const [row] = rows;
        const reason = (request.body as { reason?: string } | undefined)?.reason ?? null;
        assert.deepEqual(
          [row!.service, row!.actorId, row!.targetType, row!.reason],
          [service, await prisma.account.findFirstOrThrow({ where: { role: 'admin' } }).then((a) => a.id), route.audit.targetType, reason],
          key,
        );
        assert.ok(row!.ip, `${key} recorded no address`);
        walked.push(key);
      }
    }
    assert.deepEqual(walked.sort(), Object.keys(samples).sort(), 'every sample matches a staff route');
  });
});
