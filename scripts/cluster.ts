// `npm run cluster`: the real stack on one machine. Each service runs as its own process, as
// docker-compose.yml runs them in containers, with the same environment variable names:
//   gateway  PORT      (default 2567)  one base URL, routes by path
//   primary  PORT + 1                   accounts, sessions, enter world
//   player   PORT + 2                   characters
//   social   PORT + 3
//   game 1   PORT + 4                   Colyseus, PUBLIC_ADDRESS localhost:PORT+4
//   game 2   PORT + 5                   Colyseus, PUBLIC_ADDRESS localhost:PORT+5
// DATABASE_URL and REDIS_URL default to the local servers; the database is created and
// migrated first. The token keys default to the pair embedded mode generated under .data/, as
// this launcher is for development on one machine; docker-compose.yml requires them. Only the
// primary receives the private key.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { configFields, migratePostgres, parseConfig, resolveTokenKeys } from '@mmo/platform';
import pg from 'pg';
import { z } from 'zod';
import { GAME_NODE_FLAGS } from '../server/src/game/config.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message: string): never {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(1);
}

// The launcher's own settings. The token keys may fall back to embedded mode's generated pair
// because this launcher is a development tool for one machine; the services themselves, and
// docker-compose.yml, require them.
const launcherSchema = z.object({
  // The services take the five ports after PORT.
  PORT: configFields.port(2567).pipe(z.number().min(1).max(65530)),
  DATABASE_URL: configFields.databaseUrl.default('postgresql://postgres@127.0.0.1:5432/mmo'),
  REDIS_URL: configFields.redisUrl.default('redis://127.0.0.1:6379'),
  TOKEN_PRIVATE_KEY: configFields.tokenPrivateKey.optional(),
  TOKEN_PUBLIC_KEY: configFields.tokenPublicKey.optional(),
  DATA_DIR: z.string().default(join(root, '.data')),
  LOG_LEVEL: configFields.logLevel,
});
let launcher: z.infer<typeof launcherSchema>;
try {
  launcher = parseConfig(launcherSchema, process.env);
} catch (error) {
  fail((error as Error).message);
}
const { PORT: port, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = launcher;
const keys = await resolveTokenKeys({ privateKey: launcher.TOKEN_PRIVATE_KEY, publicKey: launcher.TOKEN_PUBLIC_KEY }, launcher.DATA_DIR).catch(
  (error: unknown) => fail((error as Error).message),
);

/** Creates the database named in the URL if the server does not have it yet. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

try {
  await ensureDatabase(databaseUrl);
  const migrated = await migratePostgres(databaseUrl, { onMigrationWarning: (message) => process.stdout.write(`cluster: ${message}\n`) });
  process.stdout.write(`cluster: database ready (${migrated.applied.length} migrations applied, ${migrated.alreadyApplied} already)\n`);
} catch (error) {
  fail(`cannot prepare ${databaseUrl.replace(/\/\/[^@/]*@/, '//')}: ${(error as Error).message}`);
}

const shared = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  TOKEN_PUBLIC_KEY: keys.tokenPublicKey,
  LOG_LEVEL: launcher.LOG_LEVEL,
};
const url = (offset: number) => `http://127.0.0.1:${port + offset}`;
const services: Array<{ name: string; entry: string; env: Record<string, string>; nodeFlags?: readonly string[] }> = [
  { name: 'primary', entry: 'server/src/primary/main.ts', env: { ...shared, TOKEN_PRIVATE_KEY: keys.tokenPrivateKey, PORT: String(port + 1) } },
  { name: 'player', entry: 'player-api/src/main.ts', env: { ...shared, PORT: String(port + 2) } },
  { name: 'social', entry: 'social-api/src/main.ts', env: { ...shared, PORT: String(port + 3) } },
  ...[1, 2].map((n) => ({
    name: `game-${n}`,
    entry: 'server/src/game/main.ts',
    nodeFlags: GAME_NODE_FLAGS,
    env: { ...shared, PORT: String(port + 3 + n), PUBLIC_ADDRESS: `localhost:${port + 3 + n}` },
  })),
  {
    name: 'gateway',
    entry: 'server/src/gateway/main.ts',
    env: {
      PORT: String(port),
      LOG_LEVEL: shared.LOG_LEVEL,
      PRIMARY_URL: url(1),
      PLAYER_API_URL: url(2),
      SOCIAL_API_URL: url(3),
      CLIENT_DIST: join(root, 'client/dist'),
    },
  },
];

const children = new Map<string, ChildProcess>();
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  const exits = [...children.values()].map((child) => new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done))));
  void Promise.all(exits).then(() => process.exit(code));
  setTimeout(() => process.exit(code), 10_000).unref();
}

for (const service of services) {
  // The caller's environment passes through (TRUST_PROXY, rate limits...), as an .env file
  // does in docker-compose; the launcher's own values for addresses and ports win. A private
  // key in it reaches the primary only.
  const { TOKEN_PRIVATE_KEY: _privateKey, ...passthrough } = process.env;
  const env = { ...passthrough, ...service.env };
  // Detached: a Ctrl-C in the terminal reaches only this launcher, which then stops each
  // service once, instead of every service receiving two signals and exiting mid-shutdown.
  // Node itself with tsx's loader, not the tsx CLI: the CLI relays a signal and kills a service
  // that does not acknowledge it within 60 ms (a busy event loop), cutting its shutdown short.
  const child = spawn(process.execPath, [...(service.nodeFlags ?? []), '--import', 'tsx', join(root, service.entry)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.set(service.name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${service.name}] ${line}\n`));
  }
  child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`cluster: ${service.name} exited (${signal ?? code}); stopping the others\n`);
    stopAll(1);
  });
}
process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

async function waitForHealth(base: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${base} did not become healthy`);
}

try {
  const deadline = Date.now() + 60_000;
  await Promise.all([0, 1, 2, 3, 4, 5].map((offset) => waitForHealth(url(offset), deadline)));
  process.stdout.write(`cluster: ready at http://localhost:${port} (game processes on ${port + 4} and ${port + 5})\n`);
} catch (error) {
  process.stderr.write(`cluster: ${(error as Error).message}\n`);
  stopAll(1);
}
