// Generates the Prisma client (TypeScript, driver-adapter based, no native query engine).
// Prisma 7's CLI insists on locating a native schema engine at start even though `generate`
// never runs it, and it cannot download one on an offline machine. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check; the real engine is
// only needed by `prisma migrate`, which this project replaces (see docs/architecture.md).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
