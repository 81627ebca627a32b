// A deploy-only migration runner that keeps Prisma Migrate's bookkeeping.
//
// Prisma 7's `migrate deploy` needs a native schema engine that cannot be downloaded on an
// offline machine, and it cannot drive PGlite at all. Applying committed migration folders is
// simple enough to do here, for PostgreSQL and PGlite alike, as long as the database ends up
// exactly as Prisma would leave it: same advisory lock, same `_prisma_migrations` table and
// rows, same checksums. The Prisma CLI then reports such a database as up to date, so users with
// a normal network can switch between this runner and `prisma migrate deploy` at will.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/** The smallest surface the runner needs: one connection, so that the advisory lock holds. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>; // several statements, no parameters
}

/** Adapts one connected `pg.Client`; a pool would not do, as the lock belongs to a session. */
export function pgExecutor(client: pg.Client): SqlExecutor {
  return {
    async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
    async exec(script: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(script);
    },
  };
}

/** Adapts a PGlite instance, which is a single connection by nature. */
export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
  };
}

/** What one run did: the folders it applied, in order, and how many were applied before. */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** A migration could not be applied, or an earlier failure blocks the run; the message says which and what to do. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Path of the repository's prisma/migrations folder, resolved from this file. */
export const defaultMigrationsDir: string = fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

/** The key Prisma Migrate locks with, so that this runner and the Prisma CLI exclude each other. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** Prisma's own definition of its bookkeeping table on PostgreSQL, column for column. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
  started_at: Date | string;
}

interface LocalMigration {
  name: string;
  script: string;
  checksum: string;
}

/**
 * Applies the pending migration folders of `options.dir` in lexical order, as
 * `prisma migrate deploy` would. Folders already applied are skipped (a changed checksum only
 * warns); an earlier failed migration, or a migration failing now, throws a MigrationError.
 * The executor must be a single connection: the run holds Prisma's advisory lock throughout.
 */
export async function applyMigrations(
  executor: SqlExecutor,
  options: { dir: string; onApplied?: (name: string) => void; onWarning?: (message: string) => void },
): Promise<MigrationResult> {
  const local = await readMigrations(options.dir);
  await executor.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  const unlock = () => executor.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  let result: MigrationResult;
  try {
    result = await applyLocked(executor, local, options);
  } catch (error) {
    // A broken connection releases the lock anyway; its error must not hide the original one.
    await unlock().catch(() => undefined);
    throw error;
  }
  await unlock();
  return result;
}

async function applyLocked(
  executor: SqlExecutor,
  local: LocalMigration[],
  options: { onApplied?: (name: string) => void; onWarning?: (message: string) => void },
): Promise<MigrationResult> {
  await executor.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await executor.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, started_at FROM "_prisma_migrations" ORDER BY started_at',
  );

  // Like Prisma, refuse to go on while a failed migration is unresolved: what follows it may
  // depend on it, and only a person can tell whether it should be retried or skipped.
  const blocking = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (blocking) {
    throw new MigrationError(
      `Migration "${blocking.migration_name}" failed (started ${formatTime(blocking.started_at)}) and blocks further migrations. ` +
        `If this runner ran it, nothing of it remains (each migration runs in a transaction). ` +
        `Fix its migration.sql, then mark it rolled back with ` +
        `\`prisma migrate resolve --rolled-back ${blocking.migration_name}\` or ` +
        `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${blocking.migration_name}' AND finished_at IS NULL; ` +
        `then run the migrations again.`,
    );
  }

  const applied = new Map<string, string>();
  for (const row of rows) {
    if (row.finished_at !== null && row.rolled_back_at === null) applied.set(row.migration_name, row.checksum);
  }
  const localNames = new Set(local.map((migration) => migration.name));
  for (const name of applied.keys()) {
    if (!localNames.has(name)) {
      options.onWarning?.(`Migration "${name}" is recorded as applied but has no folder in the migrations directory.`);
    }
  }

  const result: MigrationResult = { applied: [], alreadyApplied: 0 };
  for (const migration of local) {
    const recorded = applied.get(migration.name);
    if (recorded !== undefined) {
      result.alreadyApplied += 1;
      if (recorded !== migration.checksum) {
        options.onWarning?.(
          `Migration "${migration.name}" was modified after it was applied (checksum ${migration.checksum} differs from the recorded ${recorded}); it is not applied again.`,
        );
      }
      continue;
    }
    await applyOne(executor, migration);
    result.applied.push(migration.name);
    options.onApplied?.(migration.name);
  }
  return result;
}

async function applyOne(executor: SqlExecutor, migration: LocalMigration): Promise<void> {
  const id = randomUUID();
  // The row is written before the script and outside its transaction, as Prisma does, so that a
  // failure, or a crash midway, stays recorded and blocks the next run until resolved.
  await executor.query(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
    [id, migration.checksum, migration.name],
  );
  // Unlike `prisma migrate deploy`, the script runs inside a transaction: PostgreSQL DDL is
  // transactional, so a failing statement leaves nothing of the migration half-applied, and
  // marking the row finished commits together with the schema change. Two limits: statements
  // that refuse to run in a transaction (CREATE INDEX CONCURRENTLY...) need a folder of their
  // own and will fail here, and a script with its own BEGIN/COMMIT (Prisma emits one when it
  // rewrites an enum) commits early, after which its remaining statements are unprotected.
  try {
    await executor.exec('BEGIN');
    await executor.exec(migration.script);
    await executor.query(
      'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await executor.exec('COMMIT');
  } catch (error) {
    const message = databaseMessage(error);
    try {
      await executor.exec('ROLLBACK');
      await executor.query('UPDATE "_prisma_migrations" SET logs = $1 WHERE id = $2', [formatLogs(error), id]);
    } catch {
      // The connection itself is gone; the row stays unfinished, which blocks the next run as it should.
    }
    throw new MigrationError(`Migration "${migration.name}" failed: ${message}`, { cause: error });
  }
}

/** Reads the migration folders (those holding a migration.sql), sorted as Prisma applies them. */
async function readMigrations(dir: string): Promise<LocalMigration[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError(`Cannot read the migrations directory ${dir}: ${databaseMessage(error)}`, { cause: error });
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(dir, name, 'migration.sql'));
    } catch (error) {
      // Prisma ignores folders without a migration.sql as well (editor leftovers and the like).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new MigrationError(`Cannot read migration "${name}": ${databaseMessage(error)}`, { cause: error });
    }
    // Prisma's checksum is the SHA-256 of the file's bytes, in lower-case hex.
    migrations.push({ name, script: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') });
  }
  return migrations;
}

function databaseMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The shape of Prisma's own `logs` entries, so that `prisma migrate status` shows them alike. */
function formatLogs(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const prefix = typeof code === 'string' ? `Database error code: ${code}\n\n` : '';
  return `${prefix}Database error:\n${databaseMessage(error)}\n`;
}

function formatTime(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
