import { mkdir } from 'node:fs/promises';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations, defaultMigrationsDir, pgExecutor, pgliteExecutor, type MigrationResult } from './migrate.js';

/** Where the data lives: PostgreSQL on the real stack, PGlite (in a folder, or in memory) embedded. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir?: string };

/** An open database: the Prisma client every service uses, and how to close it. */
export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly prisma: PrismaClient;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning (embedded mode does; the real stack migrates as a step). */
  migrate?: boolean;
  onMigrationApplied?: (name: string) => void;
  /** An applied migration was edited since, or is missing its folder. */
  onMigrationWarning?: (message: string) => void;
}

/** Opens a database and, if asked, brings its schema up to date. Only composition roots call it. */
export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (target.kind === 'pglite') {
    // Imported here, not at the top: merely loading PGlite costs a process ~45 MB of memory,
    // which a game or API process on PostgreSQL never needs.
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
    if (target.dataDir) await mkdir(target.dataDir, { recursive: true });
    const pglite = await PGlite.create(target.dataDir);
    if (options.migrate) await migrateWith(pgliteExecutor(pglite), options);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    return {
      kind: 'pglite',
      prisma,
      async close() {
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  }
  if (options.migrate) await migratePostgres(target.url, options);
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: target.url, max: target.poolSize ?? 10 }),
  });
  return {
    kind: 'postgres',
    prisma,
    async close() {
      await prisma.$disconnect();
    },
  };
}

/** Applies pending migrations to a PostgreSQL database over one dedicated connection. */
export async function migratePostgres(url: string, options: OpenDatabaseOptions = {}): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  // An error on the idle connection (the server going away mid-run) would otherwise crash the
  // process; the pending query rejects as well and reports it.
  client.on('error', () => {});
  await client.connect();
  try {
    return await migrateWith(pgExecutor(client), options);
  } finally {
    await client.end();
  }
}

function migrateWith(executor: Parameters<typeof applyMigrations>[0], options: OpenDatabaseOptions) {
  return applyMigrations(executor, {
    dir: defaultMigrationsDir,
    ...(options.onMigrationApplied ? { onApplied: options.onMigrationApplied } : {}),
    ...(options.onMigrationWarning ? { onWarning: options.onMigrationWarning } : {}),
  });
}

/**
 * Takes a transaction-scoped advisory lock named by `key` (`party:<id>`, `inventory:<id>`):
 * held until the transaction ends, so that a check and the write relying on it cannot be
 * interleaved with another transaction taking the same key. Works on PostgreSQL and PGlite.
 * Take several in a fixed order (sorted keys) so that two transactions cannot deadlock.
 */
export async function lockKey(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** True when a write failed on a unique constraint (a name or token already taken). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** True when a write found no row to change (deleted meanwhile). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}
