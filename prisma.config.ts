// Configuration for the plain Prisma 7 CLI, for users whose machine can download Prisma's
// schema engine: `npx prisma migrate dev`, `npx prisma studio`... The project's own commands
// (`npm run db:migrate`, `npm run db:generate`) do not need it; see docs/architecture.md.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx scripts/db-seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/mmo' },
});
