// The migration runner against both databases it serves: PGlite (embedded mode) always, and
// PostgreSQL when DATABASE_URL names a server, where each test gets a fresh `mmo_mig_*` database.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  applyMigrations,
  defaultMigrationsDir,
  MigrationError,
  pgExecutor,
  pgliteExecutor,
  type SqlExecutor,
} from '../src/db/migrate.js';

/** One database under test, with as many connections to it as a test asks for. */
interface TestDatabase {
  executor: SqlExecutor;
  /** Another connection to the same database (PostgreSQL only: PGlite has just one). */
  connect?: () => Promise<SqlExecutor>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  enabled: boolean;
  open(): Promise<TestDatabase>;
}

const serverUrl = process.env.DATABASE_URL;
let pglite: Promise<PGlite> | undefined;

after(async () => {
  await (await pglite)?.close();
});

const backends: Backend[] = [
  {
    name: 'PGlite',
    enabled: true,
    async open() {
      // Starting PGlite takes seconds (it runs initdb), so the suite shares one instance and
      // gives each test an empty public schema instead, which drops tables, types and the
      // bookkeeping table alike.
      pglite ??= PGlite.create();
      const db = await pglite;
      await db.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
      return { executor: pgliteExecutor(db), close: async () => {} };
    },
  },
  {
    name: 'PostgreSQL',
    enabled: serverUrl !== undefined && serverUrl !== '',
    async open() {
      const dbName = `mmo_mig_${randomBytes(6).toString('hex')}`;
      await adminQuery(`CREATE DATABASE "${dbName}"`);
      const url = new URL(serverUrl ?? '');
      url.pathname = `/${dbName}`;
      const clients: pg.Client[] = [];
      const connect = async () => {
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        clients.push(client);
        return pgExecutor(client);
      };
      return {
        executor: await connect(),
        connect,
        async close() {
          await Promise.all(clients.map((client) => client.end()));
          await adminQuery(`DROP DATABASE IF EXISTS "${dbName}"`);
        },
      };
    },
  },
];

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(defaultMigrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function tableNames(executor: SqlExecutor): Promise<string[]> {
  const rows = await executor.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

interface RecordedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  logs: string | null;
}

async function recordedRows(executor: SqlExecutor): Promise<RecordedRow[]> {
  return executor.query<RecordedRow>(
    'SELECT migration_name, checksum, finished_at, logs FROM "_prisma_migrations" ORDER BY migration_name',
  );
}

/** A private copy of the committed migrations, which a test may then break or extend. */
async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mmo-migrations-'));
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(path.join(dir, name));
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

const BROKEN = '29990101000000_broken';
// The first statement succeeds, the second fails: only a transaction keeps "half_applied" away.
const BROKEN_SQL = 'CREATE TABLE "half_applied" ("id" INTEGER);\nSELECT * FROM "no_such_table";\n';

// PostgreSQL runs only where a server is configured (CI sets DATABASE_URL); it is left out, not skipped, elsewhere.
for (const backend of backends.filter((candidate) => candidate.enabled)) {
  describe(`applyMigrations on ${backend.name}`, () => {
    let db: TestDatabase;
    let tempDir: string | undefined;

    beforeEach(async () => {
      db = await backend.open();
      tempDir = undefined;
    });

    afterEach(async () => {
      await db.close();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    });

    it('creates every table and records each migration with its checksum when the database is fresh', async () => {
      const expected = await committedMigrations();
      assert.ok(expected.length > 0, 'prisma/migrations holds no migration');

      const result = await applyMigrations(db.executor, { dir: defaultMigrationsDir });

      assert.deepEqual(result, { applied: expected, alreadyApplied: 0 });
      const tables = await tableNames(db.executor);
      for (const table of ['_prisma_migrations', 'accounts', 'sessions', 'refresh_tokens', 'characters']) {
        assert.ok(tables.includes(table), `table ${table} is missing (found ${tables.join(', ')})`);
      }
      const rows = await recordedRows(db.executor);
      assert.deepEqual(
        rows.map((row) => row.migration_name),
        expected,
      );
      for (const row of rows) {
        const bytes = await readFile(path.join(defaultMigrationsDir, row.migration_name, 'migration.sql'));
        assert.equal(row.checksum, createHash('sha256').update(bytes).digest('hex'));
        assert.ok(row.finished_at instanceof Date, `${row.migration_name} is not marked finished`);
      }
    });

    it('applies nothing when run a second time', async () => {
      const applied: string[] = [];
      await applyMigrations(db.executor, { dir: defaultMigrationsDir });

      const result = await applyMigrations(db.executor, { dir: defaultMigrationsDir, onApplied: (name) => applied.push(name) });

      assert.deepEqual(result, { applied: [], alreadyApplied: (await committedMigrations()).length });
      assert.deepEqual(applied, []);
      assert.equal((await recordedRows(db.executor)).length, result.alreadyApplied);
    });

    it('warns without reapplying when an applied migration was edited', async () => {
      tempDir = await copyMigrations();
      const [first] = await committedMigrations();
      assert.ok(first);
      await applyMigrations(db.executor, { dir: tempDir });
      const file = path.join(tempDir, first, 'migration.sql');
      await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited after it was applied\n`);
      const warnings: string[] = [];

      const result = await applyMigrations(db.executor, { dir: tempDir, onWarning: (message) => warnings.push(message) });

      assert.deepEqual(result.applied, []);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', new RegExp(`"${first}".*checksum`));
    });

    it('throws a MigrationError naming the folder, records the failure and keeps nothing of it when a migration fails', async () => {
      tempDir = await copyMigrations();
      await addMigration(tempDir, BROKEN, BROKEN_SQL);
      const applied: string[] = [];

      await assert.rejects(
        applyMigrations(db.executor, { dir: tempDir, onApplied: (name) => applied.push(name) }),
        (error: unknown) => {
          assert.ok(error instanceof MigrationError);
          assert.match(error.message, new RegExp(BROKEN));
          assert.match(error.message, /no_such_table/);
          return true;
        },
      );

      // The migrations before the broken one stay applied; the broken one left no table behind.
      assert.deepEqual(applied, await committedMigrations());
      const tables = await tableNames(db.executor);
      assert.ok(tables.includes('accounts'));
      assert.ok(!tables.includes('half_applied'), 'the failed migration was half-applied');
      const row = (await recordedRows(db.executor)).find((candidate) => candidate.migration_name === BROKEN);
      assert.ok(row, 'the failed migration was not recorded');
      assert.equal(row.finished_at, null);
      assert.match(row.logs ?? '', /no_such_table/);
    });

    it('refuses to run, naming the failed migration, until that failure is resolved', async () => {
      tempDir = await copyMigrations();
      await addMigration(tempDir, BROKEN, BROKEN_SQL);
      await assert.rejects(applyMigrations(db.executor, { dir: tempDir }), MigrationError);
      await addMigration(tempDir, '29990102000000_later', 'CREATE TABLE "later" ("id" INTEGER);\n');

      await assert.rejects(applyMigrations(db.executor, { dir: tempDir }), (error: unknown) => {
        assert.ok(error instanceof MigrationError);
        assert.match(error.message, new RegExp(`"${BROKEN}" failed`));
        assert.match(error.message, /migrate resolve --rolled-back/);
        return true;
      });
      assert.ok(!(await tableNames(db.executor)).includes('later'));

      // Resolving as Prisma documents it (fix the script, mark the failure rolled back) unblocks the run.
      await writeFile(path.join(tempDir, BROKEN, 'migration.sql'), 'CREATE TABLE "half_applied" ("id" INTEGER);\n');
      await db.executor.query(
        'UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL',
        [BROKEN],
      );
      const result = await applyMigrations(db.executor, { dir: tempDir });
      assert.deepEqual(result.applied, [BROKEN, '29990102000000_later']);
    });

    it('throws a MigrationError when the migrations directory does not exist', async () => {
      const missing = path.join(os.tmpdir(), `mmo-no-migrations-${randomBytes(4).toString('hex')}`);
      await assert.rejects(applyMigrations(db.executor, { dir: missing }), MigrationError);
    });

    if (backend.name === 'PostgreSQL') {
      it('applies each migration once when two runners start together on separate connections', async () => {
        assert.ok(db.connect);
        tempDir = await copyMigrations();
        // A slow last migration keeps the first runner inside the lock while the second waits.
        await addMigration(tempDir, '29990101000000_slow', 'SELECT pg_sleep(0.5);\nCREATE TABLE "slow" ("id" INTEGER);\n');
        const expected = [...(await committedMigrations()), '29990101000000_slow'];
        const other = await db.connect();

        const results = await Promise.all([
          applyMigrations(db.executor, { dir: tempDir }),
          applyMigrations(other, { dir: tempDir }),
        ]);

        const appliedByEach = results.map((result) => result.applied.length).sort((a, b) => a - b);
        assert.deepEqual(appliedByEach, [0, expected.length]);
        assert.deepEqual(results.flatMap((result) => result.applied), expected);
        assert.deepEqual(
          results.map((result) => result.alreadyApplied).sort((a, b) => a - b),
          [0, expected.length],
        );
        assert.deepEqual(
          (await recordedRows(db.executor)).map((row) => row.migration_name),
          expected,
        );
      });
    }
  });
}
