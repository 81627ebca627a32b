// Derives the Prisma 6 copy of the schema that the migrate-only tooling works on.
//
// Prisma 6 requires a `url` in the datasource block, which Prisma 7 forbids, and it does not
// know the Prisma 7 `prisma-client` generator options. The models, and therefore the SQL the
// differ emits, are the same in both copies. The copy lives in the git-ignored folder
// `prisma/.migrate/` and is rewritten on every run, so it never drifts from the real schema.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository, resolved from this file. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The schema the application uses (Prisma 7). */
export const sourceSchemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');

/** The derived Prisma 6 copy. */
export const migrateSchemaPath = path.join(repoRoot, 'prisma', '.migrate', 'schema.prisma');

/** The committed migrations, shared by Prisma 6, Prisma 7 and the project's runner. */
export const migrationsPath = path.join(repoRoot, 'prisma', 'migrations');

/**
 * Returns the Prisma 7 schema rewritten for Prisma 6: generator blocks are dropped (migrate
 * never generates) and the datasource gets `url = env("DATABASE_URL")`.
 */
export function deriveMigrateSchema(source: string): string {
  const withoutGenerators = source.replace(/^generator\s+\w+\s*\{[^}]*\}\s*/gm, '');
  const derived = withoutGenerators.replace(
    /^(datasource\s+\w+\s*\{[^}]*?)(\n\})/m,
    '$1\n  url      = env("DATABASE_URL")$2',
  );
  if (derived === withoutGenerators) {
    throw new Error(`No datasource block found in ${sourceSchemaPath}`);
  }
  return `// Derived from prisma/schema.prisma by scripts/prisma6/derive-schema.ts; do not edit.\n${derived}`;
}

/** Writes the derived schema to `prisma/.migrate/schema.prisma` and returns its path. */
export function writeMigrateSchema(): string {
  mkdirSync(path.dirname(migrateSchemaPath), { recursive: true });
  writeFileSync(migrateSchemaPath, deriveMigrateSchema(readFileSync(sourceSchemaPath, 'utf8')));
  return migrateSchemaPath;
}
