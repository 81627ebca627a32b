// Migrate-only configuration for the Prisma 6.19.3 CLI (the dev alias `prisma6`).
//
// Why this exists: Prisma 7's migrate commands need a native schema engine that this machine
// cannot download, while Prisma 6.19.3 can diff and migrate through a driver adapter and its
// bundled Wasm schema engine. The application itself stays on Prisma 7; this file is only for
// `scripts/db-new-migration.ts` and for checking a database by hand, e.g.
//   DATABASE_URL=... node node_modules/prisma6/build/index.js migrate status \
//     --config scripts/prisma6/prisma.config.ts
// (with PRISMA_SCHEMA_ENGINE_BINARY and PRISMA_QUERY_ENGINE_LIBRARY pointing at any existing
// file, so that the CLI's start-up check does not try to download native engines).
//
// Loading this file rewrites `prisma/.migrate/schema.prisma` from `prisma/schema.prisma` (see
// derive-schema.ts), so that the CLI always sees the current models.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { defineConfig } from 'prisma6/config';
import { PrismaPg } from 'prisma6-adapter-pg';
import { migrationsPath, writeMigrateSchema } from './derive-schema.js';

/** The server used by migrate commands; the shadow database is created on the same server. */
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const migrateSchema = writeMigrateSchema();
// Prisma 6 reads `env("DATABASE_URL")` from the derived schema even though the adapter is what
// actually connects; give it the same value so that both agree.
process.env.DATABASE_URL = databaseUrl;

/** Rewrites PostgreSQL `name` (OID 19) and `"char"` (OID 18) result columns to `text` (25). */
function nameAndCharAsText<R>(result: R): R {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  for (const field of fields ?? []) {
    if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25;
  }
  return result;
}

/**
 * A pg client whose results report `name` and `"char"` columns as `text`. @prisma/adapter-pg
 * 6.19.3 has no column type for those OIDs and fails while the schema engine introspects the
 * catalog (prisma/orm#27403); their values are plain strings either way, so relabelling them is
 * harmless. The pool calls `query` with a trailing callback, transactions use the promise form.
 */
class NameAsTextClient extends pg.Client {
  // The overloads of pg's `query` cannot be restated usefully here; the wrapper only looks at
  // the result and passes everything else through untouched.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const query = super.query.bind(this) as (...a: unknown[]) => unknown;
    const last = args.at(-1);
    if (typeof last === 'function') {
      const callback = last as (error: unknown, result: unknown) => void;
      return query(...args.slice(0, -1), (error: unknown, result: unknown) =>
        callback(error, error ? result : nameAndCharAsText(result)),
      );
    }
    const returned = query(...args);
    return returned instanceof Promise ? returned.then(nameAndCharAsText) : returned;
  }
}

/**
 * @prisma/adapter-pg with a working shadow database. Upstream, `connectToShadowDb` spreads the
 * pool config with a new `database`, which pg ignores when a `connectionString` is present (so
 * the "shadow" is the main database), and it drops the shadow before closing the pool that is
 * still connected to it. Here the shadow gets its own URL, and is dropped after its pool ends.
 */
class MigrateOnlyPg extends PrismaPg {
  constructor(private readonly url: string) {
    super(poolConfig(url));
  }

  override async connectToShadowDb(): ReturnType<PrismaPg['connectToShadowDb']> {
    // The `mmo_mig_` prefix marks databases that migration tooling may create and drop.
    const name = `mmo_mig_shadow_${randomUUID().replaceAll('-', '')}`;
    await runAdmin(this.url, `CREATE DATABASE "${name}"`);
    const shadowUrl = new URL(this.url);
    shadowUrl.pathname = `/${name}`;
    const adapter = await new PrismaPg(poolConfig(shadowUrl.toString())).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
      } finally {
        await runAdmin(this.url, `DROP DATABASE IF EXISTS "${name}"`);
      }
    };
    return adapter;
  }
}

/**
 * Pool settings for the schema engine's connections. `allowExitOnIdle` matters because the
 * engine does not always dispose its main adapter: without it, idle pooled connections keep the
 * CLI process alive for pg's 10 s idle timeout after the work is done.
 */
function poolConfig(url: string): pg.PoolConfig {
  return { connectionString: url, Client: NameAsTextClient, allowExitOnIdle: true };
}

/** Runs one statement on its own short-lived connection to the main database. */
async function runAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new MigrateOnlyPg(databaseUrl),
  schema: migrateSchema,
  migrations: { path: migrationsPath },
});
