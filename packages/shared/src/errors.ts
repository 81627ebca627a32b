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
  CANNOT_TARGET_SELF: 'CANNOT_TARGET_SELF',
  BLOCKED: 'BLOCKED',
  ALREADY_FRIENDS: 'ALREADY_FRIENDS',
  FRIEND_REQUEST_PENDING: 'FRIEND_REQUEST_PENDING',
  FRIEND_REQUEST_NOT_FOUND: 'FRIEND_REQUEST_NOT_FOUND',
  FRIEND_NOT_FOUND: 'FRIEND_NOT_FOUND',
  FRIEND_LIMIT_REACHED: 'FRIEND_LIMIT_REACHED',
  PARTY_NOT_FOUND: 'PARTY_NOT_FOUND',
  PARTY_FULL: 'PARTY_FULL',
  NOT_PARTY_LEADER: 'NOT_PARTY_LEADER',
  ALREADY_IN_PARTY: 'ALREADY_IN_PARTY',
  NOT_IN_PARTY: 'NOT_IN_PARTY',
  INVITE_NOT_FOUND: 'INVITE_NOT_FOUND',
  INVITE_EXPIRED: 'INVITE_EXPIRED',
  ALREADY_INVITED: 'ALREADY_INVITED',
  MEMBER_NOT_FOUND: 'MEMBER_NOT_FOUND',
  GUILD_NOT_FOUND: 'GUILD_NOT_FOUND',
  GUILD_NAME_TAKEN: 'GUILD_NAME_TAKEN',
  GUILD_TAG_TAKEN: 'GUILD_TAG_TAKEN',
  GUILD_FULL: 'GUILD_FULL',
  ALREADY_IN_GUILD: 'ALREADY_IN_GUILD',
  NOT_IN_GUILD: 'NOT_IN_GUILD',
  GUILD_PERMISSION_DENIED: 'GUILD_PERMISSION_DENIED',
  RANK_NOT_FOUND: 'RANK_NOT_FOUND',
  RANK_NOT_BELOW_YOURS: 'RANK_NOT_BELOW_YOURS',
  RANK_IN_USE: 'RANK_IN_USE',
  LEADER_CANNOT_LEAVE: 'LEADER_CANNOT_LEAVE',
  NAME_NOT_ALLOWED: 'NAME_NOT_ALLOWED',
  MESSAGE_NOT_FOUND: 'MESSAGE_NOT_FOUND',
  ALREADY_REPORTED: 'ALREADY_REPORTED',
  REPORT_NOT_FOUND: 'REPORT_NOT_FOUND',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  INVENTORY_SLOT_EMPTY: 'INVENTORY_SLOT_EMPTY',
  INVALID_QUANTITY: 'INVALID_QUANTITY',
  ITEM_NOT_EQUIPPABLE: 'ITEM_NOT_EQUIPPABLE',
  ITEM_REQUIREMENTS_NOT_MET: 'ITEM_REQUIREMENTS_NOT_MET',
  INVENTORY_FULL: 'INVENTORY_FULL',
  EQUIPMENT_SLOT_EMPTY: 'EQUIPMENT_SLOT_EMPTY',
  MUTED: 'MUTED',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  TARGET_PROTECTED: 'TARGET_PROTECTED',
  SANCTION_NOT_FOUND: 'SANCTION_NOT_FOUND',
  KICKED: 'KICKED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One invalid field of a request, named by its dotted path (`"password"`, `"items.0.qty"`). */
export const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** The body of every error answer over HTTP, and of the `error` room message. */
/**
 * The sanction behind an `ACCOUNT_BANNED` or `MUTED` refusal: why, and until when (`endsAt`
 * null: permanent), so that a client can tell its player.
 */
export const sanctionNoticeSchema = z.object({
  kind: z.enum(['ban', 'mute']),
  reason: z.string(),
  endsAt: z.iso.datetime().nullable(),
});
export type SanctionNotice = z.infer<typeof sanctionNoticeSchema>;

export const errorBodySchema = z.object({
  code: z.enum(ErrorCode),
  message: z.string(),
  fields: z.array(fieldErrorSchema).optional(),
  sanction: sanctionNoticeSchema.optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
