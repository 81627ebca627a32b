// Options of `npm run bench:game`: CLI flags (`--players=500`, `--players 500`, `--no-compare`)
// over BENCH_* environment variables over defaults, validated with zod.
import { z } from 'zod';

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SCENARIOS = ['a', 'b', 'c', 'd', 'e'] as const;

export const benchOptionsSchema = z
  .object({
    /** Players per instance (also each instance's capacity); with `instances`, a custom scenario. */
    players: count(1, 5000).optional(),
    instances: count(1, 100).optional(),
    /** Monsters per instance. */
    monsters: count(0, 2000).optional(),
    /** Seconds of each measured window. */
    seconds: count(2, 300).default(10),
    /** Bots joining per second at most. */
    joinRate: count(1, 500).default(40),
    /**
     * Joins in flight at most. A rate alone is open-loop: when the services take fewer than it
     * asks (the primary, player API and bots share one core), started joins pile up by the
     * thousand, every step of each waits behind the others, and seat reservations expire before
     * their bot connects. The next join starts when one ends (and not before its time).
     */
    joinConcurrency: count(1, 1000).default(40),
    compare: flag.default(true),
    /** Bare Colyseus alone, where scenarios measure both: its limit without waiting for ours. */
    bareOnly: flag.default(false),
    /** Raise the crowd in one instance step by step; report the most held at a steady 20 Hz. */
    ramp: flag.default(false),
    rampStep: count(10, 2000).default(250),
    rampMax: count(10, 5000).default(4000),
    smoke: flag.default(false),
    /** Which of the issue's scenarios to run (the full run: all). */
    scenarios: z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(SCENARIOS)).min(1))
      .optional(),
    /** Share of bots that decode state patches (and hunt); see bots.ts. */
    decoders: z.coerce.number().min(0).max(1).default(0.1),
    /**
     * At most this many decoders per instance (the share's cap). A bare decoder decodes the whole
     * crowd, so decoders' cost grows with the square of a crowd in one instance: uncapped, they
     * and not the server would end bare's ramp. 100 leaves (b) and (c) at their 10 %.
     */
    maxDecoders: count(0, 5000).default(100),
    /** Bots that commute through the portal pair in the transfer scenario. */
    portalBots: count(0, 100).default(10),
    /** Budgets profile to check (default: smoke with --smoke, full for the full run, none otherwise). */
    budgets: z.enum(['full', 'smoke', 'none']).optional(),
    databaseUrl: z.string().default('postgresql://postgres@127.0.0.1:5432/postgres'),
    redisUrl: z.string().default('redis://127.0.0.1:6379/15'),
    /**
     * Flush the Redis database before, between and after phases (rooms a killed process left
     * listed would take seats); off when the database is shared, as in the test suite.
     */
    flushRedis: flag.default(true),
    /**
     * Move the orchestrator, PostgreSQL and Redis to the services' core for the run (and back
     * after), so that the game server's core runs the game server alone (pinning.ts).
     */
    pinServices: flag.default(true),
  })
  .strict();
export type BenchOptions = z.infer<typeof benchOptionsSchema>;

const ENV: Record<string, keyof BenchOptions> = {
  BENCH_PLAYERS: 'players',
  BENCH_INSTANCES: 'instances',
  BENCH_MONSTERS: 'monsters',
  BENCH_SECONDS: 'seconds',
  BENCH_JOIN_RATE: 'joinRate',
  BENCH_JOIN_CONCURRENCY: 'joinConcurrency',
  BENCH_COMPARE: 'compare',
  BENCH_BARE_ONLY: 'bareOnly',
  BENCH_RAMP: 'ramp',
  BENCH_RAMP_STEP: 'rampStep',
  BENCH_RAMP_MAX: 'rampMax',
  BENCH_SMOKE: 'smoke',
  BENCH_SCENARIOS: 'scenarios',
  BENCH_DECODERS: 'decoders',
  BENCH_MAX_DECODERS: 'maxDecoders',
  BENCH_PORTAL_BOTS: 'portalBots',
  BENCH_BUDGETS: 'budgets',
  BENCH_FLUSH_REDIS: 'flushRedis',
  BENCH_PIN_SERVICES: 'pinServices',
  DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl',
};

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Parses `--name=value`, `--name value`, `--flag` and `--no-flag` over the environment's values
 * (`envNames`: variable → option) against `schema`; throws an Error with a one-line message on
 * bad input.
 */
export function parseFlags<S extends z.ZodType>(schema: S, argv: readonly string[], env: Record<string, string | undefined> = {}, envNames: Record<string, string> = {}): z.infer<S> {
  const raw: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(envNames)) if (env[variable] !== undefined && env[variable] !== '') raw[key] = env[variable];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}" (options are --name=value)`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (name.startsWith('no-') && inline === undefined) {
      raw[camel(name.slice(3))] = false;
      continue;
    }
    const next = argv[i + 1];
    if (inline !== undefined) raw[camel(name)] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      raw[camel(name)] = next;
      i += 1;
    } else raw[camel(name)] = true;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw new Error(`unknown option --${kebab(issue.keys[0]!)}`);
    const where = issue.path.length ? `--${kebab(String(issue.path[0]))}` : 'options';
    throw new Error(`${where}: ${issue.message}`);
  }
  return parsed.data as z.infer<S>;
}

/** Parses argv and env; throws an Error with a one-line message on bad input. */
export function parseBenchOptions(argv: readonly string[], env: Record<string, string | undefined>): BenchOptions {
  return parseFlags(benchOptionsSchema, argv, env, ENV);
}
