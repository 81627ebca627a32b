import { z } from 'zod';

/**
 * Text every store and log accepts: no NUL (PostgreSQL refuses U+0000 in `text` and `jsonb`,
 * which made such requests fail as 500) and no unpaired UTF-16 surrogates (they cannot be
 * encoded as UTF-8 and would be stored as U+FFFD, silently changing what was sent). Paired
 * surrogates (emoji and other astral characters) are fine: the `u` flag reads them as one
 * code point. The pattern is also what the OpenAPI documents show for every text field.
 */
// eslint-disable-next-line no-control-regex -- matching the NUL control character is the point.
export const SAFE_TEXT_PATTERN = /^[^\u0000\uD800-\uDFFF]*$/u;

/** The message a field with an unsafe character is refused with (400 `VALIDATION_FAILED`). */
export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/**
 * A string schema that refuses NUL and unpaired surrogates. Every text field of a request
 * body, parameter, query, header or room message starts from it, so that one rule keeps
 * unstorable text out of every service (a test walks the documents to prove it).
 */
export function safeText(): z.ZodString {
  return z.string().regex(SAFE_TEXT_PATTERN, UNSAFE_TEXT_MESSAGE);
}
