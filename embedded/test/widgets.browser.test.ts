import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leaderboardCharacterOf } from '@mmo/platform';
import { createTestPlayer } from '@mmo/platform/testing';
import { normalizeName, type CharacterClass } from '@mmo/shared';
import { chromium, type Browser, type Page } from 'playwright-core';
import { clientDist } from '../src/embedded.js';
import { startGame, type GameFixture } from './game.fixture.js';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts');

/** Letters only: character names allow no digits. */
function uniqueLetters(length: number): string {
  return [...randomBytes(length)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
}

describe(`embeddable widgets in a browser (${process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded'} stack)`, function () {
  this.timeout(60_000);
  let game: GameFixture;
  let browser: Browser;
  let page: Page;
  const names = { top: `Wtop${uniqueLetters(8)}`, second: `Wsec${uniqueLetters(8)}`, third: `Wthi${uniqueLetters(8)}`, hidden: `Whid${uniqueLetters(8)}` };
  const guild = { name: `Widget Guild ${uniqueLetters(6)}`, tag: uniqueLetters(4).toUpperCase() };
  const recorded: string[] = [];

  async function createCharacter(accountId: string, name: string, characterClass: CharacterClass, level: number, hidden = false) {
    const { prisma, leaderboards } = game.running.infra;
    const row = await prisma.character.create({
      data: { accountId, name, nameKey: normalizeName(name), class: characterClass, level, area: 'town', x: 1, y: 1, hidden, lastSeenAt: new Date('2025-01-02T03:04:05Z') },
    });
    const onBoards = leaderboardCharacterOf(row);
    if (onBoards) {
      await leaderboards.record(onBoards);
      recorded.push(row.id);
    }
    return row;
  }

  before(async () => {
    if (!existsSync(join(clientDist, 'widgets.js'))) throw new Error('client/dist/widgets.js is missing: run `npm run build -w @mmo/client` first');
    game = await startGame();
    const { accountId } = await createTestPlayer(game.running.infra);
    // Levels near the cap, so these lead the board over characters other tests create.
    const top = await createCharacter(accountId, names.top, 'mage', 49);
    await createCharacter(accountId, names.second, 'warrior', 48);
    await createCharacter(accountId, names.third, 'ranger', 47);
    // On the boards first, then hidden by its player: hiding must take it off them.
    const hidden = await createCharacter(accountId, names.hidden, 'cleric', 50);
    const hiddenNow = await game.running.infra.prisma.character.update({ where: { id: hidden.id }, data: { hidden: true } });
    await game.running.infra.leaderboards.record(leaderboardCharacterOf(hiddenNow)!);
    const { prisma } = game.running.infra;
    const created = await prisma.guild.create({
      data: { name: guild.name, nameKey: normalizeName(guild.name), tag: guild.tag, tagKey: normalizeName(guild.tag), ranks: { create: { name: 'Leader', position: 0, permissions: [] } } },
      include: { ranks: true },
    });
    await prisma.guildMember.create({ data: { characterId: top.id, guildId: created.id, rankId: created.ranks[0]!.id } });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 960, height: 720 } });
  });
  after(async () => {
    await browser?.close();
    // On the real stack the boards live in the shared Redis, not in the scratch database.
    for (const id of recorded) await game.running.infra.leaderboards.remove(id);
    await game?.stop();
  });

  it('renders the leaderboard rows and the character card inside their shadow roots on the demo page', async () => {
    await page.goto(`${game.base}/widgets-demo.html?name=${names.top.toLowerCase()}`);
    // Playwright's CSS locators pierce open shadow roots.
    const rows = page.locator('mmo-leaderboard tbody tr');
    await rows.nth(2).waitFor();
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    // On the real stack the boards are Redis's, which other runs share: only the order of
    // this test's characters among the rows is certain, and that the hidden one is absent.
    const ours = cells.filter((cell) => Object.values(names).includes(cell[1] ?? ''));
    assert.deepEqual(ours.map(([, ...rest]) => rest), [
      [names.top, 'mage', '49'],
      [names.second, 'warrior', '48'],
      [names.third, 'ranger', '47'],
    ]);
    const ranks = cells.map(([rank]) => Number(rank));
    assert.deepEqual(ranks, ranks.map((_rank, index) => index + 1));
    assert.equal(await page.locator('mmo-leaderboard h2').textContent(), 'Highest level');

    const card = page.locator('mmo-character-card');
    await card.locator('h2.name').waitFor();
    assert.equal(await card.locator('h2.name').textContent(), names.top);
    assert.equal(await card.locator('.summary').textContent(), 'Level 49 mage');
    assert.equal(await card.locator('.guild').textContent(), `<${guild.tag}> ${guild.name}`);
    assert.match((await card.locator('.presence').textContent()) ?? '', /^Last seen /);

    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'widgets-demo.png'), fullPage: true });
  });

  it('shows "not found" on the card of a hidden character', async () => {
    await page.goto(`${game.base}/widgets-demo.html?name=${names.hidden}`);
    const error = page.locator('mmo-character-card .error');
    await error.waitFor();
    assert.equal(await error.textContent(), `No character named "${names.hidden}" was found.`);
  });

  it('reads another origin named by the api attribute, through open CORS', async () => {
    // localhost and 127.0.0.1 are two origins to the browser: the request is cross-origin.
    const port = new URL(game.base).port;
    await page.goto(`http://localhost:${port}/widgets-demo.html?name=${names.second}`);
    await page.locator('mmo-character-card h2.name').waitFor();
    const crossOrigin = page.waitForResponse((response) => response.url().startsWith(`http://127.0.0.1:${port}/public/characters/`));
    await page.locator('mmo-character-card').evaluate((card, api) => card.setAttribute('api', api), `http://127.0.0.1:${port}`);
    const answer = await crossOrigin;
    assert.equal(answer.status(), 200);
    assert.equal(answer.headers()['access-control-allow-origin'], '*');
    await page.locator('mmo-character-card[aria-busy]').waitFor({ state: 'detached' });
    assert.equal(await page.locator('mmo-character-card h2.name').textContent(), names.second);
    assert.equal(await page.locator('mmo-character-card .summary').textContent(), 'Level 48 warrior');
  });
});
