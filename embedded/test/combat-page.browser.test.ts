import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { clientDist } from '../src/embedded.js';
import { startGame, type GameFixture } from './game.fixture.js';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts');

interface DebugEntity {
  id: string;
  name: string;
  x: number;
  y: number;
  hp?: number;
  screenX: number;
  screenY: number;
}

interface DebugInfo {
  area: string | undefined;
  self: { x: number; y: number } | undefined;
  monsters: DebugEntity[];
  drops: DebugEntity[];
}

function letters(length: number): string {
  return [...randomBytes(length)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
}

describe(`combat on the game page in a browser (${process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded'} stack)`, function () {
  this.timeout(120_000);
  let game: GameFixture;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  // The test's tsconfig has no DOM types: page-side code is passed as text.
  const info = () => page.evaluate('window.__game') as Promise<DebugInfo>;

  before(async () => {
    if (!existsSync(join(clientDist, 'index.html'))) throw new Error('client/dist is missing: run `npm run build -w @mmo/client` first');
    await mkdir(artifacts, { recursive: true });
    game = await startGame();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await game?.stop();
  });

  it('kills a monster with the attack key and picks up its loot with E, shown as notices and in the sheet', async () => {
    const suffix = letters(8);
    const name = `Kim${suffix}`;
    await page.goto(game.base);
    const register = page.getByRole('form', { name: 'Create an account' });
    await register.getByLabel('Username').fill(`kim_${suffix}`);
    await register.getByLabel('Password').fill('correct horse battery');
    await register.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Character name').fill(name);
    await page.getByLabel('Class').selectOption('warrior');
    await page.getByRole('button', { name: 'Create character' }).click();
    // Once the character exists (its Play button shows), not before: an update of no row changes nothing.
    const play = page.getByRole('button', { name: `Play ${name}` });
    await play.waitFor();
    // Beside the field's wolf meadow, at level 10: the fight itself runs through the real rules.
    const moved = await game.running.infra.prisma.character.updateMany({ where: { name }, data: { area: 'field', x: 8, y: 5, level: 10, xp: 0 } });
    assert.equal(moved.count, 1);
    await play.click();
    await page.getByRole('heading', { name: 'Wheatfields' }).waitFor();
    await page.waitForFunction(() => {
      const game = (globalThis as { __game?: { monsters: unknown[] } }).__game;
      return !!game && game.monsters.length > 0;
    }, undefined, { timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'combat-page-monsters.png') });

    // Space: walk to the nearest monster, then hit it, until something lies on the ground.
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const started = Date.now();
    let hitShot = false;
    while ((await info()).drops.length === 0) {
      assert.ok(Date.now() - started < 60_000, 'a monster died within a minute');
      await page.keyboard.press('Space');
      await page.waitForTimeout(300);
      if (!hitShot && (await info()).monsters.some((monster) => monster.hp !== undefined && monster.hp > 0 && monster.hp < 70)) {
        await page.screenshot({ path: join(artifacts, 'combat-page-fight.png') });
        hitShot = true;
      }
    }
    await page.screenshot({ path: join(artifacts, 'combat-page-loot.png') });

    // E: walk onto the loot, then take it; the notice names what was picked up.
    const picked = page.locator('.notice', { hasText: 'Picked up' });
    const pickStarted = Date.now();
    while ((await picked.count()) === 0) {
      assert.ok(Date.now() - pickStarted < 15_000, 'the loot was picked up');
      await page.keyboard.press('KeyE');
      await page.waitForTimeout(400);
    }
    await page.screenshot({ path: join(artifacts, 'combat-page-picked-up.png') });
    // The sheet shows the experience of the kill.
    // A locator waits without evaluating strings in the page (the CSP refuses eval, which a
    // polled string predicate needs once its first try fails).
    const xpLabel = page.locator('label[for="xp-bar"]');
    await xpLabel.filter({ hasText: /^Experience [1-9]/ }).waitFor({ timeout: 5000 });
    assert.match((await xpLabel.textContent()) ?? '', /^Experience [1-9]/);
    assert.deepEqual(consoleErrors, []);
  });
});
