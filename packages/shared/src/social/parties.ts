import { z } from 'zod';
import { characterRefSchema, memberCardSchema } from './common.js';

export const partySchema = z.object({
  id: z.uuid(),
  leaderId: z.uuid(),
  maxMembers: z.number().int().min(2),
  members: z.array(memberCardSchema.extend({ joinedAt: z.iso.datetime() })),
  createdAt: z.iso.datetime(),
});
export type Party = z.infer<typeof partySchema>;

export const partyInviteSchema = z.object({
  id: z.uuid(),
  partyId: z.uuid(),
  from: characterRefSchema,
  to: characterRefSchema,
  expiresAt: z.iso.datetime(),
});
export type PartyInvite = z.infer<typeof partyInviteSchema>;

export const partyInviteListSchema = z.object({ invites: z.array(partyInviteSchema) });
export type PartyInviteList = z.infer<typeof partyInviteListSchema>;

export const partyIdParamSchema = z.object({ partyId: z.uuid() });
export const partyMemberParamsSchema = z.object({ partyId: z.uuid(), characterId: z.uuid() });
export const inviteIdParamSchema = z.object({ inviteId: z.uuid() });
export const promoteLeaderRequestSchema = z.object({ characterId: z.uuid() });
