import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import { createSilentLogger, type Logger } from '@mmo/platform';
import type { GameMetrics } from '@mmo/server/game';
import { callJson, createScratchDatabase, TEST_TOKEN_KEYS } from '@mmo/platform/testing';
import { CHARACTER_HEADER, loadWorld, type AreaId, type SeatReservation, type World } from '@mmo/shared';
import { embeddedConfigSchema } from '../src/config.js';
import { startEmbedded, type RunningEmbedded } from '../src/embedded.js';

/**
 * The whole game stack in this process, as `npm start` runs it: primary (enter world), player
 * API (characters) and a Colyseus game server on one port, on PGlite and the in-process bus or,
 * with GAME_TEST_STACK=real, on PostgreSQL and Redis. Colyseus keeps its matchmaker in module
 * state, so the games of a test process follow one another on it: the package's test script
 * runs every real-stack game file in one process, which also checks that a game server started
 * again in a process is listed for room creation at once (`listenGameServer`).
 */
export interface GameFixture {
  base: string;
  running: RunningEmbedded;
  stack: 'embedded' | 'real';
  stop(): Promise<void>;
}

/** The shipped world with a dungeon of 2 seats, so that layering needs only three players. */
export function testWorld(): World {
  const world = new Map(loadWorld());
  world.set('dungeon', { ...world.get('dungeon')!, capacity: 2 });
  return world;
}

/** What a test may put in place of the defaults: a logger to read, metrics to observe, and a
 * `prepare` step run first with the environment the stack will use (its data directory or
 * scratch database), for tests that seed the database as a user would. */
export interface GameOptions {
  logger?: Logger;
  metrics?: GameMetrics;
  prepare?(env: Record<string, string>): Promise<void>;
}

export async function startGame(options: GameOptions = {}): Promise<GameFixture> {
  const stack = process.env.GAME_TEST_STACK === 'real' ? 'real' : 'embedded';
  const dataDir = await mkdtemp(join(tmpdir(), 'mmo-game-'));
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    TOKEN_PRIVATE_KEY: TEST_TOKEN_KEYS.privateKeyPem,
    TOKEN_PUBLIC_KEY: TEST_TOKEN_KEYS.publicKeyPem,
    PASSWORD_HASH_COST: '10',
    SAVE_INTERVAL_SECONDS: '1',
    RECONNECT_SECONDS: '5',
    LOGIN_RATE_LIMIT_PER_IP: '10000',
    REGISTER_RATE_LIMIT_PER_IP: '10000',
    // The fuzz suite enters the world hundreds of times with two characters.
    ENTER_WORLD_RATE_LIMIT_PER_ACCOUNT: '10000',
  };
  let dropDatabase = async () => {};
  if (stack === 'real') {
    const { DATABASE_URL: serverUrl, REDIS_URL: redisUrl } = process.env;
    if (!serverUrl || !redisUrl) throw new Error('GAME_TEST_STACK=real needs DATABASE_URL and REDIS_URL');
    const scratch = await createScratchDatabase(serverUrl, 'mmo_game');
    Object.assign(env, { DATABASE_URL: scratch.url, REDIS_URL: redisUrl });
    dropDatabase = scratch.drop;
  }
  await options.prepare?.(env);
  const running = await startEmbedded(embeddedConfigSchema.parse(env), options.logger ?? createSilentLogger(), {
    world: testWorld(),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  return {
    base: `http://127.0.0.1:${running.port}`,
    running,
    stack,
    async stop() {
      await running.close();
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** Letters only, unique per call: character names allow no digits. */
function uniqueLetters(): string {
  counter += 1;
  return `${process.pid}x${counter}`.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d))).replace('x', 'z');
}

export interface TestPlayer {
  name: string;
  token: string;
  characterId: string;
}

/** Registers an account, logs in and creates a character, placed at `at` if given. */
export async function createPlayer(game: GameFixture, at?: { area: AreaId; x: number; y: number }): Promise<TestPlayer> {
  const name = `P${uniqueLetters()}`.slice(0, 16);
  const username = `u${uniqueLetters()}`;
  await callJson(game.base, '/auth/register', { method: 'POST', body: { username, password: 'correct horse' } });
  const login = await callJson(game.base, '/auth/login', { method: 'POST', body: { username, password: 'correct horse' } });
  const token = String(login.body.accessToken);
  const created = await callJson(game.base, '/characters', { method: 'POST', token, body: { name, class: 'warrior' } });
  if (created.status !== 201) throw new Error(`character creation answered ${created.status}`);
  const characterId = String(created.body.id);
  if (at) await game.running.infra.prisma.character.update({ where: { id: characterId }, data: at });
  return { name, token, characterId };
}

export async function enterWorld(game: GameFixture, player: TestPlayer): Promise<SeatReservation> {
  const res = await callJson(game.base, '/world/enter', { method: 'POST', token: player.token, body: { characterId: player.characterId } });
  if (res.status !== 200) throw new Error(`enter world answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.reservation as SeatReservation;
}

/** Enters the world and joins the reserved room with a real SDK client. */
export async function joinWorld(game: GameFixture, player: TestPlayer): Promise<Room> {
  const room: Room = await new Client(game.base).consumeSeatReservation(await enterWorld(game, player));
  await waitFor(() => (room.state as { players?: unknown } | undefined)?.players !== undefined, 2000);
  return room;
}

export interface PlayerView {
  name: string;
  x: number;
  y: number;
}

/** The players a client's state holds, by name. */
export function seen(room: Room): Map<string, PlayerView> {
  const players = new Map<string, PlayerView>();
  room.state.players.forEach((p: PlayerView) => players.set(p.name, { name: p.name, x: p.x, y: p.y }));
  return players;
}

export async function waitFor(probe: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls the social API as a player's character (`X-Character-Id`), through the one base URL. */
export async function callSocial(game: GameFixture, player: TestPlayer, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(game.base + path, {
    method,
    headers: {
      authorization: `Bearer ${player.token}`,
      [CHARACTER_HEADER]: player.characterId,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown> };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
