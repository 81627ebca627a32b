import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client, type Room } from '@colyseus/sdk';
import { ClientMessage, GameCloseCode, ServerMessage } from '@mmo/shared';
import { chromium, type Browser, type Page } from 'playwright-core';
import { clientDist } from '../src/embedded.js';
import { createPlayer, enterWorld, startGame, waitFor, type GameFixture, type TestPlayer } from './game.fixture.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-artifacts');
const MODERATOR_PASSWORD = 'panel test moderator';

describe(`admin panel in a browser (${process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded'} stack)`, function () {
  this.timeout(120_000);
  let game: GameFixture;
  let browser: Browser;
  let page: Page;
  let room: Room | undefined;

  before(async () => {
    if (!existsSync(join(clientDist, 'admin', 'index.html'))) throw new Error('client/dist/admin/index.html is missing: run `npm run build -w @mmo/client` first');
    // The seed's moderator, made by `npm run db:seed` itself before the server starts, as a
    // newcomer would: PGlite admits one process, so the seed runs first.
    game = await startGame({
      async prepare(env) {
        // The seed writes where the stack keeps its data: the runner's DATABASE_URL and REDIS_URL
        // (set in CI) must not lead it to PostgreSQL while this stack runs on PGlite.
        const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
        await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/db-seed.ts'], {
          cwd: root,
          env: { ...inherited, ...env, SEED_MODERATOR_PASSWORD: MODERATOR_PASSWORD },
        });
      },
    });
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  });
  after(async () => {
    if (room?.connection.isOpen) await room.leave().catch(() => undefined);
    await browser?.close();
    await game?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: join(artifacts, `admin-panel-${name}.png`), fullPage: true });

  it('lets the seed moderator find a player in game, mute them, then ban them for an hour with a reason, closing their game within a second, and shows the ban in the audit log', async () => {
    const player: TestPlayer = await createPlayer(game, { area: 'town', x: 5, y: 5 });
    const { prisma } = game.running.infra;
    const account = await prisma.account.findFirstOrThrow({ where: { characters: { some: { id: player.characterId } } } });
    room = await new Client(game.base).consumeSeatReservation(await enterWorld(game, player));
    const errors: { code: string }[] = [];
    room.onMessage(ServerMessage.error, (message: { code: string }) => errors.push(message));
    room.onMessage(ServerMessage.chat, () => undefined);
    room.onMessage(ServerMessage.notify, () => undefined);
    let closed: { code: number; at: number } | null = null;
    room.onLeave((code: number) => {
      closed = { code, at: Date.now() };
    });

    await page.goto(`${game.base}/admin`);
    await page.getByLabel('Username').fill('moderator');
    await page.getByLabel('Password').fill(MODERATOR_PASSWORD);
    await shot('1-login');
    await page.getByRole('button', { name: 'Log in' }).click();
    // Either the panel opens or the form says why not; a refusal fails with its own words.
    const loggedIn = page.getByRole('link', { name: 'Accounts' });
    const refused = page.locator('form.login [role=alert]').filter({ hasText: /\S/ });
    await loggedIn.or(refused).first().waitFor({ timeout: 60_000 });
    if ((await refused.count()) > 0) {
      await shot('1-login-refused');
      assert.fail(`the moderator's login was refused: ${await refused.innerText()}`);
    }
    // Marks this document: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { panelMark: number }).panelMark = 42));

    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('cell', { name: player.name, exact: true }).waitFor();
    await shot('2-live');

    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByLabel('Search', { exact: true }).fill(player.name.toLowerCase());
    await page.getByLabel('Search by').selectOption('character');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: account.username }).waitFor();
    await shot('3-search');
    await page.getByRole('button', { name: account.username }).click();
    await page.getByRole('heading', { name: account.username }).waitFor();
    assert.match(await page.getByRole('row').filter({ hasText: player.name }).innerText(), /in town/);

    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    await page.getByLabel('Reason').fill('Spamming trade offers');
    await page.getByLabel('Duration').selectOption({ label: '15 minutes' });
    await page.getByRole('button', { name: 'Confirm mute' }).click();
    await page.getByText(/Muted until .*: Spamming trade offers/).waitFor();
    room.send(ClientMessage.chat, { text: 'cheap gold here' });
    await waitFor(() => errors.some((e) => e.code === 'MUTED'), 1000);
    await shot('5-account-muted');

    await page.getByRole('button', { name: 'Ban', exact: true }).click();
    await page.getByLabel('Reason').fill('Botting in the town square');
    await page.getByLabel('Duration').selectOption({ label: '1 hour' });
    await shot('4-ban-dialog');
    const clickedAt = Date.now();
    await page.getByRole('button', { name: 'Confirm ban' }).click();
    await waitFor(() => closed !== null, 2000);
    const gameClosed = closed as unknown as { code: number; at: number };
    assert.equal(gameClosed.code, GameCloseCode.BANNED);
    const banRow = await prisma.sanction.findFirstOrThrow({ where: { accountId: account.id, kind: 'ban' } });
    assert.ok(gameClosed.at - banRow.startsAt.getTime() <= 1000, `the game closed ${gameClosed.at - banRow.startsAt.getTime()} ms after the ban`);
    assert.ok(gameClosed.at - clickedAt <= 2000);
    assert.ok(Math.abs(banRow.endsAt!.getTime() - banRow.startsAt.getTime() - 3_600_000) < 1000);
    await page.getByText(/Banned until .*: Botting in the town square/).waitFor();
    await page.getByRole('status').filter({ hasText: 'is banned' }).waitFor();
    await shot('6-account-banned');

    await page.getByRole('link', { name: 'Audit log' }).click();
    const auditRow = page.getByRole('row').filter({ hasText: 'account.ban' });
    await auditRow.first().waitFor();
    const text = await auditRow.first().innerText();
    assert.match(text, /moderator/);
    assert.match(text, /Botting in the town square/);
    assert.match(text, new RegExp(account.id));
    await shot('7-audit');
    assert.equal(await page.getByRole('row').filter({ hasText: 'account.mute' }).count(), 1);

    // The reports queue, with a reported area line and the lines around it.
    const line = { id: 'room:7', characterId: player.characterId, from: player.name, text: 'cheap gold here', sentAt: new Date().toISOString() };
    const before = { ...line, id: 'room:6', text: 'anyone selling?' };
    await prisma.chatReport.create({
      data: { area: 'town', roomId: 'room', reporterId: player.characterId, reporterName: 'Witness', reportedId: player.characterId, reportedName: player.name, line, context: [before, line], reason: 'gold seller' },
    });
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('cell', { name: 'gold seller' }).waitFor();
    await shot('8-reports');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { panelMark?: number }).panelMark), 42, 'the page never reloaded');
  });
});
