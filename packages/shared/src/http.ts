import { z } from 'zod';

/** The body of every service's `GET /health`. */
export const healthSchema = z.object({
  service: z.string(),
  status: z.literal('ok'),
});
export type Health = z.infer<typeof healthSchema>;
