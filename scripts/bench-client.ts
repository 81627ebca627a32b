// `npm run bench:client`: the game page in headless Chromium with BENCH_BOTS (default 100, at
// most 300) @colyseus/sdk bot players walking around it in one area, for BENCH_SECONDS (default
// 15, at most 60). Prints the page's frame time p50/p95 (requestAnimationFrame intervals) and
// the bytes per second its WebSocket receives. Everything runs on this machine, on loopback:
// the embedded server (PGlite in a temporary folder), the bots and the browser share its cores.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type Room } from '@colyseus/sdk';
import { embeddedConfigSchema, startEmbedded } from '@mmo/embedded';
import { createSilentLogger } from '@mmo/platform';
import { callJson } from '@mmo/platform/testing';
import { ClientMessage, enterWorldResponseSchema, isWalkable, loadWorld, type MapAreaView } from '@mmo/shared';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const botCount = Math.min(300, Math.max(1, Number(process.env.BENCH_BOTS ?? 100)));
const seconds = Math.min(60, Math.max(5, Number(process.env.BENCH_SECONDS ?? 15)));
if (!existsSync(join(root, 'client/dist/index.html'))) throw new Error('client/dist is missing: run `npm run build -w @mmo/client` first');

// The shipped world, with room in the field for the whole crowd: the page draws the same tiles.
const world = new Map(loadWorld());
const field = { ...world.get('field')!, capacity: botCount + 10 };
world.set('field', field);
const centre = { x: 16, y: 8 };

const dataDir = await mkdtemp(join(tmpdir(), 'mmo-bench-client-'));
const running = await startEmbedded(
  embeddedConfigSchema.parse({
    PORT: '0',
    DATA_DIR: dataDir,
    PASSWORD_HASH_COST: '10',
    LOGIN_RATE_LIMIT_PER_IP: '100000',
    REGISTER_RATE_LIMIT_PER_IP: '100000',
    LOGIN_FAILURES_PER_ACCOUNT_IP: '100000',
    LOGIN_FAILURES_PER_ACCOUNT: '100000',
  }),
  createSilentLogger(),
  { world },
);
const base = `http://127.0.0.1:${running.port}`;
const run = Math.random().toString(36).slice(2, 7).replace(/\d/g, 'q');
const letters = (n: number) => n.toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)));

/** An account with one character standing near the centre of the field. */
async function account(index: number): Promise<{ username: string; token: string; characterId: string; name: string }> {
  const username = `bench_${run}_${index}`;
  await callJson(base, '/auth/register', { method: 'POST', body: { username, password: 'bench password' } });
  const login = await callJson(base, '/auth/login', { method: 'POST', body: { username, password: 'bench password' } });
  const token = String(login.body.accessToken);
  const name = `C${run}${letters(index)}`.slice(0, 16);
  const created = await callJson(base, '/characters', { method: 'POST', token, body: { name, class: 'ranger' } });
  const characterId = String(created.body.id);
  await running.infra.prisma.character.update({ where: { id: characterId }, data: { area: 'field', x: centre.x, y: centre.y + 2 } });
  return { username, token, characterId, name };
}

/** A tile within 6 of the centre that can be stood on, so the crowd stays in the page's view. */
function wanderTarget(): { x: number; y: number } {
  for (;;) {
    const x = centre.x + Math.floor(Math.random() * 13) - 6;
    const y = centre.y + Math.floor(Math.random() * 13) - 6;
    if (isWalkable(field, x, y)) return { x, y };
  }
}

async function startBot(index: number): Promise<Room> {
  const { token, characterId } = await account(index);
  const entered = await callJson(base, '/world/enter', { method: 'POST', token, body: { characterId } });
  const room = await new Client(base).consumeSeatReservation<MapAreaView>(enterWorldResponseSchema.parse(entered.body).reservation);
  room.onMessage('*', () => undefined);
  const wander = () => room.send(ClientMessage.move, { to: wanderTarget() });
  wander();
  setInterval(wander, 2000 + Math.random() * 1000).unref();
  return room;
}

process.stdout.write(`bench:client: ${botCount} bots around the page's character, ${seconds} s\n`);
const rooms: Room[] = [];
for (let i = 0; i < botCount; i += 20) rooms.push(...(await Promise.all(Array.from({ length: Math.min(20, botCount - i) }, (_, k) => startBot(i + k)))));

const viewer = await account(botCount);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let counting = false;
  let received = 0;
  // Binary frames arrive base64-encoded: 3 bytes for every 4 characters.
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    if (counting) received += response.opcode === 2 ? Math.floor((response.payloadData.length * 3) / 4) : response.payloadData.length;
  });
  await page.goto(base);
  const login = page.getByRole('form', { name: 'Log in' });
  await login.getByLabel('Username').fill(viewer.username);
  await login.getByLabel('Password').fill('bench password');
  await login.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: `Play ${viewer.name}` }).click();
  await page.getByRole('heading', { name: 'Wheatfields' }).waitFor();
  await page.waitForFunction(`window.__game && window.__game.players.length >= ${Math.floor(botCount * 0.9)}`, null, { timeout: 60_000 });
  await page.waitForTimeout(2000);
  const inView = (await page.evaluate('window.__game.players.length')) as number;
  await page.evaluate(`(() => {
    window.benchFrames = [];
    let last = performance.now();
    const frame = (now) => { window.benchFrames.push(now - last); last = now; requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  })()`);
  counting = true;
  await page.waitForTimeout(seconds * 1000);
  counting = false;
  const frames = ((await page.evaluate('window.benchFrames')) as number[]).slice(1).sort((x, y) => x - y);
  const at = (p: number) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))] ?? 0;
  await page.screenshot({ path: join(root, 'test-artifacts/bench-client.png') }).catch(() => undefined);
  process.stdout.write(
    [
      '| bots | players drawn | frames | frame p50 / p95 ms | fps | page downstream bytes/s |',
      '|---|---|---|---|---|---|',
      `| ${rooms.length} | ${inView} | ${frames.length} | ${at(0.5).toFixed(1)} / ${at(0.95).toFixed(1)} | ${(frames.length / seconds).toFixed(1)} | ${Math.round(received / seconds)} |`,
    ].join('\n') + '\n',
  );
} finally {
  await browser.close();
  await Promise.all(rooms.map((room) => room.leave().catch(() => undefined)));
  await running.close();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(0);
