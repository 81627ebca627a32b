import { z } from 'zod';
import { guildSchema } from './guilds.js';
import { partySchema } from './parties.js';

/**
 * `GET /social/groups`: the actor's party and guild, each `null` when it belongs to none. A
 * page entering the world asks this once instead of two `current` routes that answer 409 for a
 * character without a party or guild (which a browser logs as failed requests).
 */
export const groupsSchema = z.object({ party: partySchema.nullable(), guild: guildSchema.nullable() });
export type Groups = z.infer<typeof groupsSchema>;
