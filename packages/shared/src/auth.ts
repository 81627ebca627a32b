import { z } from 'zod';
import { safeText } from './text.js';

/** Account names: what players type at login and see in the admin panel. */
export const USERNAME_RULES = { min: 3, max: 20, pattern: /^[A-Za-z][A-Za-z0-9_]*$/ } as const;
/** Password length bounds; the upper bound keeps hashing cost bounded. */
export const PASSWORD_RULES = { min: 8, max: 128 } as const;

export const usernameSchema = safeText()
  .min(USERNAME_RULES.min, `must be at least ${USERNAME_RULES.min} characters`)
  .max(USERNAME_RULES.max, `must be at most ${USERNAME_RULES.max} characters`)
  .regex(USERNAME_RULES.pattern, 'must start with a letter and contain only letters, digits and _');

export const passwordSchema = safeText()
  .min(PASSWORD_RULES.min, `must be at least ${PASSWORD_RULES.min} characters`)
  .max(PASSWORD_RULES.max, `must be at most ${PASSWORD_RULES.max} characters`);

/**
 * The key that makes names unique regardless of case and Unicode look-alike forms. Both
 * accounts and characters store it beside the displayed name.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

export const registerRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export const registerResponseSchema = z.object({ accountId: z.uuid() });
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

/** Login checks only the shape: rules may tighten after an account was made. */
export const loginRequestSchema = z.object({
  username: safeText().min(1).max(64),
  password: safeText().min(1).max(PASSWORD_RULES.max),
  /** A label the player recognises in their session list ("Firefox on laptop"). */
  device: safeText().max(100).optional(),
  /**
   * The `deviceToken` of this browser's last successful login to this account: it keeps the
   * owner's own login budget while strangers have spent the account's.
   */
  deviceToken: safeText().max(256).optional(),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  /** Login only: keep it and send it with the next login from this browser (see `loginRequestSchema`). */
  deviceToken: z.string().optional(),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const refreshRequestSchema = z.object({ refreshToken: safeText().min(1).max(512) });
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

export const Role = { player: 'player', moderator: 'moderator', admin: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const sessionViewSchema = z.object({
  id: z.uuid(),
  deviceLabel: z.string(),
  ip: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  /** True for the session whose access token made the request. */
  current: z.boolean(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const sessionListSchema = z.object({ sessions: z.array(sessionViewSchema) });
export type SessionList = z.infer<typeof sessionListSchema>;

export const sessionIdParamsSchema = z.object({ id: z.uuid() });
