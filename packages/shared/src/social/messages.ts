import { z } from 'zod';
import { safeText } from '../text.js';
import { characterRefSchema, SOCIAL_TEXT } from './common.js';
import { characterNameSchema } from '../characters.js';

/** A private message. `text` is null once a moderator removed it. */
export const privateMessageSchema = z.object({
  id: z.uuid(),
  from: characterRefSchema,
  to: characterRefSchema,
  text: z.string().nullable(),
  sentAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export type PrivateMessage = z.infer<typeof privateMessageSchema>;

export const sendMessageRequestSchema = z.object({
  to: characterNameSchema,
  text: safeText().trim().min(1, 'must not be empty').max(SOCIAL_TEXT.messageMaxLength, `must be at most ${SOCIAL_TEXT.messageMaxLength} characters`),
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;

export const conversationSummarySchema = z.object({
  with: characterRefSchema,
  lastMessage: privateMessageSchema,
  unread: z.number().int().min(0),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationListSchema = z.object({ conversations: z.array(conversationSummarySchema) });
export type ConversationList = z.infer<typeof conversationListSchema>;

/** One page of a conversation, newest first; `nextBefore` fetches the older page. */
export const messagePageSchema = z.object({
  messages: z.array(privateMessageSchema),
  nextBefore: z.uuid().nullable(),
});
export type MessagePage = z.infer<typeof messagePageSchema>;

export const unreadCountSchema = z.object({ unread: z.number().int().min(0) });
export type UnreadCount = z.infer<typeof unreadCountSchema>;

/** Read marker: every message received in the conversation up to this one is read. */
export const markReadRequestSchema = z.object({ upTo: z.uuid() });

export const messageIdParamSchema = z.object({ messageId: z.uuid() });

export const reportMessageRequestSchema = z.object({ reason: safeText().trim().min(1).max(SOCIAL_TEXT.reasonMaxLength) });

export const messageReportSchema = z.object({
  id: z.uuid(),
  messageId: z.uuid(),
  reporter: characterRefSchema,
  reported: characterRefSchema,
  /** The reported message as it was sent, kept even if a character or the message is deleted. */
  text: z.string(),
  sentAt: z.iso.datetime(),
  reason: z.string(),
  createdAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
});
export type MessageReport = z.infer<typeof messageReportSchema>;

export const messageReportListSchema = z.object({ reports: z.array(messageReportSchema) });
export type MessageReportList = z.infer<typeof messageReportListSchema>;

/** Which reports a moderator lists: waiting for a decision (`open`), decided, or both. */
export const reportListQuerySchema = z.object({ status: z.enum(['open', 'resolved', 'all']).default('open') });
export type ReportListQuery = z.infer<typeof reportListQuerySchema>;

/** What moderators see of a reported conversation: removed messages keep their text. */
export const moderatedMessageSchema = privateMessageSchema.extend({
  text: z.string(),
  removedAt: z.iso.datetime().nullable(),
});
export type ModeratedMessage = z.infer<typeof moderatedMessageSchema>;
export const moderatedConversationSchema = z.object({
  report: messageReportSchema,
  messages: z.array(moderatedMessageSchema),
  nextBefore: z.uuid().nullable(),
});
export type ModeratedConversation = z.infer<typeof moderatedConversationSchema>;

export const reportIdParamSchema = z.object({ reportId: z.uuid() });

export const auditEntrySchema = z.object({
  id: z.uuid(),
  actorId: z.uuid(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  /** The moderator's reason, when the action took one. */
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditLogSchema = z.object({ entries: z.array(auditEntrySchema), nextBefore: z.uuid().nullable() });
export type AuditLog = z.infer<typeof auditLogSchema>;
