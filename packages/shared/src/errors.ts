import { z } from 'zod';

/**
 * Every error a client can receive, as a domain word. HTTP services map each code to a status
 * in one exhaustive table (`@mmo/platform`), rooms send them in `error` messages.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  SESSION_REVOKED: 'SESSION_REVOKED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  ACCOUNT_BANNED: 'ACCOUNT_BANNED',
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  INVALID_REFRESH_TOKEN: 'INVALID_REFRESH_TOKEN',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  CHARACTER_NOT_FOUND: 'CHARACTER_NOT_FOUND',
  CHARACTER_NAME_TAKEN: 'CHARACTER_NAME_TAKEN',
  CHARACTER_LIMIT_REACHED: 'CHARACTER_LIMIT_REACHED',
  NOT_ON_PORTAL: 'NOT_ON_PORTAL',
  TILE_UNREACHABLE: 'TILE_UNREACHABLE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One invalid field of a request, named by its dotted path (`"password"`, `"items.0.qty"`). */
export const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** The body of every error answer over HTTP, and of the `error` room message. */
export const errorBodySchema = z.object({
  code: z.enum(ErrorCode),
  message: z.string(),
  fields: z.array(fieldErrorSchema).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
