import { z } from 'zod';
import { parsePrivateKey, parsePublicKey } from './keys.js';

/** A configuration that failed validation; `problems` names every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses a process's environment with its schema, once, at start. Every problem is collected
 * so that an operator fixes the whole configuration in one go rather than key by key.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const missing = issue.path.length === 1 && env[String(issue.path[0])] === undefined;
      return missing ? `${key} is required` : `${key}: ${issue.message}`;
    }),
  );
}

/**
 * `parseConfig` for a composition root: on failure writes one line naming every bad key to
 * stderr and exits with status 1, before any logger exists.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

function isKey(parse: (value: string) => unknown): (value: string) => boolean {
  return (value) => {
    try {
      parse(value);
      return true;
    } catch {
      return false;
    }
  };
}

/** Building blocks shared by the per-process config schemas. */
export const configFields = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL'),
  redisUrl: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// URL'),
  /** The primary's Ed25519 private key for signing access tokens (PEM, or base64 of PEM). */
  tokenPrivateKey: z.string().refine(isKey(parsePrivateKey), 'must be an Ed25519 private key in PEM (or base64 of PEM)'),
  /** The matching public key, with which every service verifies access tokens. */
  tokenPublicKey: z.string().refine(isKey(parsePublicKey), 'must be an Ed25519 public key in PEM (or base64 of PEM)'),
  seconds: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  count: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  /** A comma-separated list in one variable (`"word,other"`); empty by default. */
  wordList: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((word) => word.trim()).filter(Boolean)),
  /** Express's `trust proxy`: `loopback`, a CIDR list, or a hop count. */
  trustProxy: z.string().default('loopback'),
  /**
   * Origins (`https://game.example`, comma-separated) whose pages may call credentialed routes
   * from a browser; none by default (same-origin pages need no CORS).
   */
  corsOrigins: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be origins like https://game.example, comma-separated'))),
} as const;

/**
 * The fields every real-stack service process reads: where it listens, how it logs, which
 * proxy it trusts, its database and Redis, and the key it verifies access tokens with.
 */
export function serviceConfigFields(defaultPort: number) {
  return {
    PORT: configFields.port(defaultPort),
    LOG_LEVEL: configFields.logLevel,
    TRUST_PROXY: configFields.trustProxy,
    CORS_ORIGINS: configFields.corsOrigins,
    DATABASE_URL: configFields.databaseUrl,
    REDIS_URL: configFields.redisUrl,
    TOKEN_PUBLIC_KEY: configFields.tokenPublicKey,
  };
}
