import { CHAT_RULES, ErrorCode } from '@mmo/shared';
import { allowAction } from './throttle.js';

/** The line to broadcast, or why it is refused. `times` is the sender's recent lines. */
export function acceptChatLine(
  raw: string,
  times: number[],
  now: number,
): { ok: true; text: string } | { ok: false; code: ErrorCode; message: string } {
  const text = raw.trim();
  if (text.length === 0 || text.length > CHAT_RULES.maxLength) {
    return { ok: false, code: ErrorCode.VALIDATION_FAILED, message: `text: must be 1 to ${CHAT_RULES.maxLength} characters` };
  }
  if (!allowAction(times, now, CHAT_RULES.perWindow, CHAT_RULES.windowMs)) {
    return { ok: false, code: ErrorCode.RATE_LIMITED, message: 'You are sending messages too fast.' };
  }
  return { ok: true, text };
}
