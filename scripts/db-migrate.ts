// Applies pending migrations to the PostgreSQL database named by DATABASE_URL:
// `npm run db:migrate`. It is the offline stand-in for `prisma migrate deploy` (whose Prisma 7
// engine cannot be downloaded here) and keeps the same bookkeeping, so both can be mixed.
// Failures end with one line on stderr and exit code 1; no stack trace for expected failures.
import process from 'node:process';
import { MigrationError, migratePostgres } from '@mmo/platform';

function fail(message: string): never {
  process.stderr.write(`db:migrate: ${message}\n`);
  process.exit(1);
}

/** Checks the URL before connecting, so that a typo gets a clear message rather than a DNS error. */
function parseDatabaseUrl(raw: string | undefined): string {
  if (!raw || raw.trim() === '') fail('DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/mmo)');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('DATABASE_URL is not a valid URL (expected postgresql://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    fail(`DATABASE_URL must start with postgresql:// (got ${url.protocol}//)`);
  }
  if (url.hostname === '' || url.pathname.length <= 1) {
    fail('DATABASE_URL must name a host and a database (postgresql://user:password@host:port/database)');
  }
  return raw;
}

/** Where the database is, without the password, for messages. */
function describe(raw: string): string {
  const url = new URL(raw);
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

const databaseUrl = parseDatabaseUrl(process.env.DATABASE_URL);
try {
  const result = await migratePostgres(databaseUrl, {
    onMigrationApplied: (name) => process.stdout.write(`Applied ${name}\n`),
    onMigrationWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  const total = result.applied.length + result.alreadyApplied;
  process.stdout.write(
    result.applied.length === 0
      ? `Database ${describe(databaseUrl)} is up to date (${total} migration${total === 1 ? '' : 's'}).\n`
      : `Applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'} to ${describe(databaseUrl)} (${result.alreadyApplied} already applied).\n`,
  );
} catch (error) {
  if (error instanceof MigrationError) fail(error.message);
  // Anything else is a connection or database failure outside a migration script.
  fail(`cannot migrate ${describe(databaseUrl)}: ${error instanceof Error ? error.message : String(error)}`);
}
