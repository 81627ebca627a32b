import { z } from 'zod';
import { characterRefSchema, onlineStatusSchema } from './common.js';

/** An accepted friend, with where they are now (hidden when they block you). */
export const friendSchema = z.object({
  character: characterRefSchema,
  since: z.iso.datetime(),
  ...onlineStatusSchema.shape,
});
export type Friend = z.infer<typeof friendSchema>;

/** A friend request, received (`incoming`) or sent (`outgoing`). */
export const friendRequestSchema = z.object({
  character: characterRefSchema,
  direction: z.enum(['incoming', 'outgoing']),
  createdAt: z.iso.datetime(),
});
export type FriendRequest = z.infer<typeof friendRequestSchema>;

export const friendListSchema = z.object({
  friends: z.array(friendSchema),
  requests: z.array(friendRequestSchema),
});
export type FriendList = z.infer<typeof friendListSchema>;

/** `POST /social/friends/requests`: a request, or at once a friendship if they had asked you. */
export const sendFriendRequestResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), request: friendRequestSchema }),
  z.object({ status: z.literal('accepted'), friend: friendSchema }),
]);
export type SendFriendRequestResponse = z.infer<typeof sendFriendRequestResponseSchema>;

/** A blocked or muted character. */
export const relationSchema = z.object({ character: characterRefSchema, since: z.iso.datetime() });
export type Relation = z.infer<typeof relationSchema>;

export const blockListSchema = z.object({ blocks: z.array(relationSchema) });
export type BlockList = z.infer<typeof blockListSchema>;

export const muteListSchema = z.object({ mutes: z.array(relationSchema) });
export type MuteList = z.infer<typeof muteListSchema>;
