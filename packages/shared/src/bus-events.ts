import { z } from 'zod';

/**
 * Events that cross process boundaries on the cluster's event bus, each with the schema its
 * payload must match. Subscribers parse with these schemas; a payload that does not match is
 * logged and dropped by the bus, never handed to the handler.
 */
export const busEventSchemas = {
  /**
   * A session can no longer be used: logout, ended from the session list, refresh-token reuse,
   * or a ban. Access tokens carrying this session id must be refused until `until` (epoch ms),
   * after which they have expired anyway.
   */
  'auth.session_revoked': z.object({
    sessionId: z.uuid(),
    accountId: z.uuid(),
    until: z.number().int().positive(),
  }),
} as const;

export type BusTopic = keyof typeof busEventSchemas;
export type BusEvent<T extends BusTopic> = z.infer<(typeof busEventSchemas)[T]>;
