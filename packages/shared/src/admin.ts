import { z } from 'zod';
import { safeText } from './text.js';
import { Role } from './auth.js';
import { reportedChatLineSchema } from './game.js';
import { AREA_IDS } from './world.js';

/** What a moderator can do to an account, as recorded in its sanction history. */
export const SANCTION_KINDS = ['ban', 'mute', 'kick', 'session_end'] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];

/** A sanction that lasts (ban or mute): reason and end (null: permanent). */
export const activeSanctionSchema = z.object({
  id: z.uuid(),
  reason: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime().nullable(),
});
export type ActiveSanction = z.infer<typeof activeSanctionSchema>;

/** The bans and mutes in force on one account. */
export const accountSanctionsSchema = z.object({
  accountId: z.uuid(),
  ban: activeSanctionSchema.nullable(),
  mute: activeSanctionSchema.nullable(),
});
export type AccountSanctions = z.infer<typeof accountSanctionsSchema>;

/** Reasons are shown to the player and kept in the audit log. */
export const sanctionReasonSchema = safeText().trim().min(3, 'must be at least 3 characters').max(500);

/**
 * `POST /admin/accounts/:accountId/ban` and `/mute`: a reason and a duration in seconds, or
 * `null` for a permanent one. A new ban or mute replaces the one in force.
 */
export const sanctionRequestSchema = z.object({
  reason: sanctionReasonSchema,
  durationSeconds: z
    .number()
    .int()
    .min(1)
    .max(10 * 365 * 24 * 3600)
    .nullable(),
});
export type SanctionRequest = z.infer<typeof sanctionRequestSchema>;

/** A reason alone: unban, unmute, kick, ending a session. */
export const adminReasonSchema = z.object({ reason: sanctionReasonSchema });
export type AdminReason = z.infer<typeof adminReasonSchema>;

/** `PUT /admin/accounts/:accountId/role` (admins only). */
export const roleChangeRequestSchema = z.object({ role: z.enum(Role), reason: sanctionReasonSchema });
export type RoleChangeRequest = z.infer<typeof roleChangeRequestSchema>;

export const accountIdParamSchema = z.object({ accountId: z.uuid() });
export const accountSessionParamSchema = z.object({ accountId: z.uuid(), sessionId: z.uuid() });

/** How `GET /admin/accounts` matches `q`. */
export const ACCOUNT_SEARCH_FIELDS = ['username', 'character', 'address'] as const;

export const accountSearchQuerySchema = z.object({
  q: safeText().trim().min(1).max(64),
  by: z.enum(ACCOUNT_SEARCH_FIELDS).default('username'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type AccountSearchQuery = z.infer<typeof accountSearchQuerySchema>;

/** One account in search results. */
export const accountSummarySchema = z.object({
  id: z.uuid(),
  username: z.string(),
  role: z.enum(Role),
  createdAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
  characterNames: z.array(z.string()),
  banned: z.boolean(),
  muted: z.boolean(),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const accountSearchPageSchema = z.object({
  accounts: z.array(accountSummarySchema),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
});
export type AccountSearchPage = z.infer<typeof accountSearchPageSchema>;

/** One entry of an account's history: a ban, mute, kick or ended session. */
export const sanctionRecordSchema = z.object({
  id: z.uuid(),
  kind: z.enum(SANCTION_KINDS),
  reason: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime().nullable(),
  issuedBy: z.string().nullable(),
  liftedBy: z.string().nullable(),
  liftedAt: z.iso.datetime().nullable(),
  liftReason: z.string().nullable(),
  sessionId: z.uuid().nullable(),
  /** A ban or mute that is in force now. */
  active: z.boolean(),
});
export type SanctionRecord = z.infer<typeof sanctionRecordSchema>;

export const adminSessionSchema = z.object({
  id: z.uuid(),
  ip: z.string(),
  deviceLabel: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  revokedReason: z.string().nullable(),
});
export type AdminSession = z.infer<typeof adminSessionSchema>;

export const adminCharacterSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  class: z.string(),
  level: z.number().int(),
  area: z.string(),
  lastSeenAt: z.iso.datetime().nullable(),
  /** Where the character plays now, from the online directory; null when offline. */
  online: z.object({ area: z.string(), roomId: z.string() }).nullable(),
});
export type AdminCharacter = z.infer<typeof adminCharacterSchema>;

/** A report against one of the account's characters, as the social API keeps it. */
export const adminReportSchema = z.object({
  id: z.uuid(),
  /** A private message or an area chat line. */
  kind: z.enum(['message', 'area_chat']),
  reporterName: z.string(),
  reportedName: z.string(),
  text: z.string(),
  reason: z.string(),
  createdAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
});
export type AdminReport = z.infer<typeof adminReportSchema>;

/** `GET /admin/accounts/:accountId`. */
export const accountDetailSchema = accountSummarySchema.extend({
  characters: z.array(adminCharacterSchema),
  sessions: z.array(adminSessionSchema),
  sanctions: z.array(sanctionRecordSchema),
  reports: z.array(adminReportSchema),
  ban: activeSanctionSchema.nullable(),
  mute: activeSanctionSchema.nullable(),
});
export type AccountDetail = z.infer<typeof accountDetailSchema>;

/** Answer of ban, mute, unban, unmute, kick, session end: the record written. */
export const sanctionResultSchema = z.object({ sanction: sanctionRecordSchema });
export type SanctionResult = z.infer<typeof sanctionResultSchema>;

/** The services that write the audit log. */
export const AUDIT_SERVICES = ['primary', 'player', 'social', 'game'] as const;

/** One row of the unified audit log. */
export const adminAuditEntrySchema = z.object({
  id: z.uuid(),
  service: z.string(),
  actorId: z.uuid(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type AdminAuditEntry = z.infer<typeof adminAuditEntrySchema>;

/** `GET /admin/audit`: filters, newest first; `before` is the id of the last entry seen. */
export const auditQuerySchema = z.object({
  actorId: z.uuid().optional(),
  targetId: safeText().max(200).optional(),
  action: safeText().max(100).optional(),
  service: z.enum(AUDIT_SERVICES).optional(),
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const adminAuditPageSchema = z.object({ entries: z.array(adminAuditEntrySchema), nextBefore: z.uuid().nullable() });
export type AdminAuditPage = z.infer<typeof adminAuditPageSchema>;

/** A report of an area chat line, with the lines around it when it was reported. */
export const chatReportSchema = z.object({
  id: z.uuid(),
  area: z.string(),
  reporterName: z.string(),
  reportedId: z.uuid(),
  reportedName: z.string(),
  line: reportedChatLineSchema,
  context: z.array(reportedChatLineSchema),
  reason: z.string(),
  createdAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
});
export type ChatReport = z.infer<typeof chatReportSchema>;
export const chatReportListSchema = z.object({ reports: z.array(chatReportSchema) });
export type ChatReportList = z.infer<typeof chatReportListSchema>;
export const chatReportIdParamSchema = z.object({ reportId: z.uuid() });

/** `POST /admin/announcements`: a system line in the game chat, to every area or one. */
export const announcementRequestSchema = z.object({
  text: safeText().trim().min(1).max(200),
  area: z.enum(AREA_IDS).nullable().default(null),
});
export type AnnouncementRequest = z.infer<typeof announcementRequestSchema>;

/** `GET /admin/live`: who plays where, and which game process holds which rooms. */
export const liveViewSchema = z.object({
  areas: z.array(
    z.object({
      area: z.string(),
      instances: z.array(
        z.object({
          roomId: z.string(),
          processId: z.string().nullable(),
          clients: z.number().int(),
          players: z.array(z.object({ characterId: z.uuid(), accountId: z.uuid().nullable(), name: z.string() })),
        }),
      ),
    }),
  ),
  processes: z.array(z.object({ processId: z.string(), rooms: z.number().int(), clients: z.number().int() })),
});
export type LiveView = z.infer<typeof liveViewSchema>;
