import { configFields, MAX_ACCESS_TOKEN_TTL_SECONDS, serviceConfigFields } from '@mmo/platform';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * The primary server's own settings, shared by its cluster process and the embedded mode.
 * Defaults suit production; tests lower the costs.
 */
export const primarySettingsFields = {
  /** At most MAX_ACCESS_TOKEN_TTL_SECONDS: services remember revocations that long. */
  ACCESS_TOKEN_TTL_SECONDS: configFields.seconds(900).pipe(z.number().max(MAX_ACCESS_TOKEN_TTL_SECONDS)),
  REFRESH_TOKEN_TTL_SECONDS: configFields.seconds(30 * 24 * 3600),
  /** log2 of scrypt's N; 15 costs ~32 MiB and tens of milliseconds per hash. */
  PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(15),
  LOGIN_RATE_LIMIT_PER_IP: configFields.count(20),
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: configFields.seconds(60),
  /**
   * Failed logins against one account from one address (IPv6: one /64) before that address
   * must wait for it: LOGIN_BACKOFF_BASE_SECONDS, doubling with each further failure.
   */
  LOGIN_FAILURES_PER_ACCOUNT_IP: configFields.count(5),
  /**
   * Failed logins against one account from all addresses together before addresses and
   * browsers that never logged into it must wait (backoff as above); known ones keep going.
   */
  LOGIN_FAILURES_PER_ACCOUNT: configFields.count(30),
  /** Failures are forgotten this long after an account's (or a pair's) last one. */
  LOGIN_FAILURES_WINDOW_SECONDS: configFields.seconds(24 * 3600),
  LOGIN_BACKOFF_BASE_SECONDS: configFields.seconds(2),
  LOGIN_BACKOFF_MAX_SECONDS: configFields.seconds(15 * 60),
  /** An address or browser that logged into an account within this many days is known to it. */
  LOGIN_KNOWN_SOURCE_DAYS: configFields.count(90),
  /** Password checks at once; about the cores (scrypt is CPU-bound). Default: the cores. */
  LOGIN_HASH_CONCURRENCY: z.coerce.number().int().positive().default(() => availableParallelism()),
  /** Logins allowed to wait for a password check; more answer 503 with Retry-After at once. */
  LOGIN_HASH_QUEUE_MAX: configFields.count(32),
  REFRESH_RATE_LIMIT_PER_IP: configFields.count(60),
  REFRESH_RATE_LIMIT_WINDOW_SECONDS: configFields.seconds(60),
  /** Ended sessions (and their refresh tokens) are kept this long for the player's history. */
  ENDED_SESSION_RETENTION_DAYS: configFields.count(30),
  /** Enter-world calls per account: each reserves a seat for a while. */
  ENTER_WORLD_RATE_LIMIT_PER_ACCOUNT: configFields.count(20),
  ENTER_WORLD_RATE_LIMIT_WINDOW_SECONDS: configFields.seconds(60),
  REGISTER_RATE_LIMIT_PER_IP: configFields.count(10),
  REGISTER_RATE_LIMIT_WINDOW_SECONDS: configFields.seconds(3600),
} as const;

export const primarySettingsSchema = z.object(primarySettingsFields);
export type PrimarySettings = z.infer<typeof primarySettingsSchema>;

/** The primary server process on the real stack: every secret and address comes from the environment. */
export const primaryConfigSchema = z.object({
  ...primarySettingsFields,
  ...serviceConfigFields(2568),
  TOKEN_PRIVATE_KEY: configFields.tokenPrivateKey,
});
export type PrimaryConfig = z.infer<typeof primaryConfigSchema>;
