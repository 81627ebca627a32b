import { z } from 'zod';
import { AREA_IDS } from '../world.js';
import { characterRefSchema } from './common.js';
import { guildInviteSchema } from './guilds.js';
import { privateMessageSchema } from './messages.js';
import { partyInviteSchema, partySchema } from './parties.js';

/**
 * `notify`: a social event, sent by the game room that holds the recipient. The social API
 * writes the change first and then publishes it; a player who is not in game reads the same
 * state over REST, so a missed notification loses nothing.
 */
export const notificationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('friend.request'), from: characterRefSchema }),
  z.object({ type: z.literal('friend.accepted'), friend: characterRefSchema }),
  z.object({ type: z.literal('friend.online'), friend: characterRefSchema, area: z.enum(AREA_IDS) }),
  z.object({ type: z.literal('friend.offline'), friend: characterRefSchema }),
  z.object({ type: z.literal('party.invite'), invite: partyInviteSchema }),
  z.object({
    type: z.literal('party.updated'),
    /** Null once the recipient is no longer in the party (left, kicked, disbanded). */
    party: partySchema.nullable(),
    reason: z.enum(['created', 'joined', 'left', 'kicked', 'leader', 'disbanded', 'declined']),
    /** Who joined, left, was kicked, became leader or declined. */
    subject: characterRefSchema.optional(),
  }),
  z.object({ type: z.literal('guild.invite'), invite: guildInviteSchema }),
  z.object({
    type: z.literal('guild.updated'),
    guildId: z.uuid(),
    reason: z.enum(['joined', 'left', 'kicked', 'rank', 'ranks', 'leader', 'motd', 'renamed', 'disbanded']),
    subject: characterRefSchema.optional(),
  }),
  z.object({ type: z.literal('message.received'), message: privateMessageSchema }),
]);
export type Notification = z.infer<typeof notificationSchema>;
export type NotificationType = Notification['type'];
