import { ServerError } from '@colyseus/core';
import { httpStatusByCode } from '@mmo/platform';
import type { ErrorCode, RoomError } from '@mmo/shared';

/**
 * A room's refusal of a join or reconnection: the status the HTTP contract gives the same code
 * (one table for both), and the code itself as the message, which the SDK reports, so clients
 * read the same word over HTTP and here. No hand-typed status or message.
 */
export function roomRefusal(code: ErrorCode): ServerError {
  return new ServerError(httpStatusByCode[code], code);
}

/** A refused action, as the `error` message the client receives. */
export function roomError(code: ErrorCode, message: string): RoomError {
  return { code, message };
}
