import { ErrorCode, type FieldError, type SanctionNotice } from '@mmo/shared';
import type { z } from 'zod';

/**
 * An expected failure of a domain operation, named by its code. Services throw it; the edge
 * (HTTP error middleware, room handlers) turns it into a status or an `error` message.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = defaultMessages[code],
    readonly extra: { fields?: FieldError[]; retryAfterSeconds?: number; cause?: unknown; sanction?: SanctionNotice } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'DomainError';
  }
}

/**
 * The HTTP status of each code. Being a `Record` over the whole union, a new code without a
 * status fails to compile.
 */
export const httpStatusByCode: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  SESSION_REVOKED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_BANNED: 403,
  USERNAME_TAKEN: 409,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_REUSED: 401,
  SESSION_NOT_FOUND: 404,
  CHARACTER_NOT_FOUND: 404,
  CHARACTER_NAME_TAKEN: 409,
  CHARACTER_LIMIT_REACHED: 409,
  CHARACTER_ELSEWHERE: 409,
  NOT_ON_PORTAL: 409,
  TILE_UNREACHABLE: 422,
  CANNOT_TARGET_SELF: 422,
  BLOCKED: 403,
  ALREADY_FRIENDS: 409,
  FRIEND_REQUEST_PENDING: 409,
  FRIEND_REQUEST_NOT_FOUND: 404,
  FRIEND_NOT_FOUND: 404,
  FRIEND_LIMIT_REACHED: 409,
  PARTY_NOT_FOUND: 404,
  PARTY_FULL: 409,
  NOT_PARTY_LEADER: 403,
  ALREADY_IN_PARTY: 409,
  NOT_IN_PARTY: 409,
  INVITE_NOT_FOUND: 404,
  INVITE_EXPIRED: 410,
  ALREADY_INVITED: 409,
  MEMBER_NOT_FOUND: 404,
  GUILD_NOT_FOUND: 404,
  GUILD_NAME_TAKEN: 409,
  GUILD_TAG_TAKEN: 409,
  GUILD_FULL: 409,
  ALREADY_IN_GUILD: 409,
  NOT_IN_GUILD: 409,
  GUILD_PERMISSION_DENIED: 403,
  RANK_NOT_FOUND: 404,
  RANK_NOT_BELOW_YOURS: 403,
  RANK_IN_USE: 409,
  LEADER_CANNOT_LEAVE: 409,
  NAME_NOT_ALLOWED: 422,
  MESSAGE_NOT_FOUND: 404,
  ALREADY_REPORTED: 409,
  REPORT_NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
  INVENTORY_SLOT_EMPTY: 409,
  INVALID_QUANTITY: 422,
  ITEM_NOT_EQUIPPABLE: 422,
  ITEM_REQUIREMENTS_NOT_MET: 422,
  INVENTORY_FULL: 409,
  EQUIPMENT_SLOT_EMPTY: 409,
  TARGET_NOT_FOUND: 404,
  TARGET_OUT_OF_RANGE: 422,
  TARGET_EVADING: 409,
  ATTACK_ON_COOLDOWN: 429,
  PLAYER_DEAD: 409,
  DROP_NOT_FOUND: 404,
  DROP_NOT_YOURS: 403,
  DROP_OUT_OF_RANGE: 422,
  ITEM_NOT_USABLE: 422,
  ITEM_ON_COOLDOWN: 429,
  MUTED: 403,
  ACCOUNT_NOT_FOUND: 404,
  TARGET_PROTECTED: 403,
  SANCTION_NOT_FOUND: 404,
  KICKED: 403,
};

const defaultMessages: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid.',
  NOT_FOUND: 'No such resource.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  UNAUTHENTICATED: 'A valid access token is required.',
  TOKEN_EXPIRED: 'The access token has expired; refresh it.',
  SESSION_REVOKED: 'This session has ended; log in again.',
  FORBIDDEN: 'You may not do this.',
  RATE_LIMITED: 'Too many attempts; try again later.',
  INVALID_CREDENTIALS: 'Wrong username or password.',
  ACCOUNT_BANNED: 'This account is banned.',
  USERNAME_TAKEN: 'That username is taken.',
  INVALID_REFRESH_TOKEN: 'The refresh token is not valid.',
  REFRESH_TOKEN_REUSED: 'The refresh token was already used; the session has been ended.',
  SESSION_NOT_FOUND: 'No such session.',
  CHARACTER_NOT_FOUND: 'No such character.',
  CHARACTER_NAME_TAKEN: 'That character name is taken.',
  CHARACTER_LIMIT_REACHED: 'This account has no free character slot.',
  CHARACTER_ELSEWHERE: 'The character is in another area or held by a newer login; enter the world again.',
  NOT_ON_PORTAL: 'There is no portal here.',
  TILE_UNREACHABLE: 'That tile cannot be reached from here.',
  CANNOT_TARGET_SELF: 'You cannot do that to yourself.',
  BLOCKED: 'That character does not accept this from you.',
  ALREADY_FRIENDS: 'You are already friends.',
  FRIEND_REQUEST_PENDING: 'A friend request is already waiting for an answer.',
  FRIEND_REQUEST_NOT_FOUND: 'No such friend request.',
  FRIEND_NOT_FOUND: 'That character is not your friend.',
  FRIEND_LIMIT_REACHED: 'The friend list is full.',
  PARTY_NOT_FOUND: 'No such party.',
  PARTY_FULL: 'The party is full.',
  NOT_PARTY_LEADER: 'Only the party leader may do this.',
  ALREADY_IN_PARTY: 'That character is already in a party.',
  NOT_IN_PARTY: 'You are not in a party.',
  INVITE_NOT_FOUND: 'No such invite.',
  INVITE_EXPIRED: 'The invite has expired.',
  ALREADY_INVITED: 'That character already has an invite waiting.',
  MEMBER_NOT_FOUND: 'That character is not a member.',
  GUILD_NOT_FOUND: 'No such guild.',
  GUILD_NAME_TAKEN: 'That guild name is taken.',
  GUILD_TAG_TAKEN: 'That guild tag is taken.',
  GUILD_FULL: 'The guild is full.',
  ALREADY_IN_GUILD: 'That character is already in a guild.',
  NOT_IN_GUILD: 'You are not in a guild.',
  GUILD_PERMISSION_DENIED: 'Your guild rank does not allow this.',
  RANK_NOT_FOUND: 'No such guild rank.',
  RANK_NOT_BELOW_YOURS: 'You may only act on ranks below your own.',
  RANK_IN_USE: 'A rank that still has members cannot be removed.',
  LEADER_CANNOT_LEAVE: 'The leader must hand over leadership before leaving.',
  NAME_NOT_ALLOWED: 'That name is not allowed.',
  MESSAGE_NOT_FOUND: 'No such message.',
  ALREADY_REPORTED: 'You have already reported this message.',
  REPORT_NOT_FOUND: 'No such report.',
  SERVICE_UNAVAILABLE: 'The service is not available right now.',
  INTERNAL: 'Something went wrong on our side.',
  INVENTORY_SLOT_EMPTY: 'That inventory slot is empty.',
  INVALID_QUANTITY: 'The quantity must be positive and at most what the stack holds.',
  ITEM_NOT_EQUIPPABLE: 'That item cannot be worn in that slot.',
  ITEM_REQUIREMENTS_NOT_MET: 'This character may not wear that item (class or level).',
  INVENTORY_FULL: 'The inventory has no free slot.',
  EQUIPMENT_SLOT_EMPTY: 'Nothing is worn in that slot.',
  TARGET_NOT_FOUND: 'There is nothing to attack there.',
  TARGET_OUT_OF_RANGE: 'The target is out of range.',
  TARGET_EVADING: 'The target is returning home and cannot be hit.',
  ATTACK_ON_COOLDOWN: 'You cannot attack again yet.',
  PLAYER_DEAD: 'You are dead; wait to come back.',
  DROP_NOT_FOUND: 'There is nothing to pick up there.',
  DROP_NOT_YOURS: 'That loot belongs to someone else for now.',
  DROP_OUT_OF_RANGE: 'Stand on or next to the loot to pick it up.',
  ITEM_NOT_USABLE: 'That item cannot be used.',
  ITEM_ON_COOLDOWN: 'You cannot use that again yet.',
  MUTED: 'This account is muted.',
  ACCOUNT_NOT_FOUND: 'No such account.',
  TARGET_PROTECTED: 'Only an admin may act on a moderator or an admin account.',
  SANCTION_NOT_FOUND: 'That sanction is not in force.',
  KICKED: 'A moderator ended this connection.',
};

/**
 * Parses untrusted input with its schema, or throws `VALIDATION_FAILED` whose message names
 * every bad field (`"username: must be at least 3 characters"`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined ? 'is required' : issue.message,
  }));
  throw new DomainError(
    ErrorCode.VALIDATION_FAILED,
    fields.map((f) => `${f.field}: ${f.message}`).join('; '),
    { fields },
  );
}

/** The value at `path` inside `input`, or undefined where the path leads nowhere. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
