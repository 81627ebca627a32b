import {
  accountDetailSchema,
  accountSearchPageSchema,
  adminAuditPageSchema,
  chatReportListSchema,
  errorBodySchema,
  liveViewSchema,
  messageReportListSchema,
  moderatedConversationSchema,
  sanctionResultSchema,
  tokenPairSchema,
  type AccountDetail,
  type AccountSearchPage,
  type AccountSearchQuery,
  type AdminAuditPage,
  type AnnouncementRequest,
  type ChatReportList,
  type ErrorBody,
  type LiveView,
  type MessageReportList,
  type ModeratedConversation,
  type Role,
  type SanctionRecord,
  type SanctionRequest,
} from '@mmo/shared';
import type { z } from 'zod';

/** A refusal from the server, with its code (and the sanction behind it, if any). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.body.code;
  }
}

interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  username: string;
  role: Role;
}

const STORAGE_KEY = 'mmo-admin-tokens';

/** The role an access token carries (its payload is readable; the server verifies it). */
function roleOf(accessToken: string): Role | null {
  try {
    const payload = JSON.parse(atob(accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { role?: Role };
    return payload.role ?? null;
  } catch {
    return null;
  }
}

/**
 * Every HTTP call of the admin panel: login, token refresh (once, on `TOKEN_EXPIRED`), and
 * the moderator routes of the primary, player and social APIs, each answer parsed with its
 * schema from `@mmo/shared`. Tokens live in `sessionStorage`: closing the tab logs out.
 */
export class AdminApi {
  private tokens: StoredTokens | null;

  constructor(private readonly base = '') {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    this.tokens = raw ? (JSON.parse(raw) as StoredTokens) : null;
  }

  get user(): { username: string; role: Role } | null {
    return this.tokens ? { username: this.tokens.username, role: this.tokens.role } : null;
  }

  /** Logs in; refuses an account that is neither moderator nor admin. */
  async login(username: string, password: string): Promise<void> {
    const pair = await this.request('POST', '/auth/login', tokenPairSchema, { username, password, device: 'Admin panel' }, false);
    const role = roleOf(pair.accessToken);
    if (role !== 'moderator' && role !== 'admin') {
      throw new ApiError(403, { code: 'FORBIDDEN', message: 'This account is not a moderator.' });
    }
    this.store({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, username, role });
  }

  async logout(): Promise<void> {
    const had = this.tokens;
    this.store(null);
    if (had) await fetch(`${this.base}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${had.accessToken}` } }).catch(() => undefined);
  }

  searchAccounts(query: AccountSearchQuery): Promise<AccountSearchPage> {
    const params = new URLSearchParams({ q: query.q, by: query.by, page: String(query.page), limit: String(query.limit) });
    return this.request('GET', `/admin/accounts?${params}`, accountSearchPageSchema);
  }

  account(accountId: string): Promise<AccountDetail> {
    return this.request('GET', `/admin/accounts/${accountId}`, accountDetailSchema);
  }

  async sanction(accountId: string, kind: 'ban' | 'mute', request: SanctionRequest): Promise<SanctionRecord> {
    return (await this.request('POST', `/admin/accounts/${accountId}/${kind}`, sanctionResultSchema, request)).sanction;
  }

  async lift(accountId: string, kind: 'ban' | 'mute', reason: string): Promise<SanctionRecord> {
    return (await this.request('POST', `/admin/accounts/${accountId}/un${kind}`, sanctionResultSchema, { reason })).sanction;
  }

  async kick(accountId: string, reason: string): Promise<SanctionRecord> {
    return (await this.request('POST', `/admin/accounts/${accountId}/kick`, sanctionResultSchema, { reason })).sanction;
  }

  async endSession(accountId: string, sessionId: string, reason: string): Promise<SanctionRecord> {
    return (await this.request('POST', `/admin/accounts/${accountId}/sessions/${sessionId}/end`, sanctionResultSchema, { reason })).sanction;
  }

  async changeRole(accountId: string, role: Role, reason: string): Promise<void> {
    await this.request('PUT', `/admin/accounts/${accountId}/role`, null, { role, reason });
  }

  audit(filters: { action?: string; service?: string; targetId?: string; before?: string }): Promise<AdminAuditPage> {
    const params = new URLSearchParams({ limit: '25' });
    for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
    return this.request('GET', `/admin/audit?${params}`, adminAuditPageSchema);
  }

  live(): Promise<LiveView> {
    return this.request('GET', '/admin/live', liveViewSchema);
  }

  async announce(request: AnnouncementRequest): Promise<void> {
    await this.request('POST', '/admin/announcements', null, request);
  }

  reports(status: 'open' | 'resolved' | 'all'): Promise<MessageReportList> {
    return this.request('GET', `/admin/social/reports?status=${status}`, messageReportListSchema);
  }

  chatReports(status: 'open' | 'resolved' | 'all'): Promise<ChatReportList> {
    return this.request('GET', `/admin/social/chat-reports?status=${status}`, chatReportListSchema);
  }

  async resolveChatReport(reportId: string, reason: string): Promise<void> {
    await this.request('POST', `/admin/social/chat-reports/${reportId}/resolve`, null, { reason });
  }

  conversation(reportId: string): Promise<ModeratedConversation> {
    return this.request('GET', `/admin/social/reports/${reportId}/conversation?limit=20`, moderatedConversationSchema);
  }

  async resolveReport(reportId: string, reason: string): Promise<void> {
    await this.request('POST', `/admin/social/reports/${reportId}/resolve`, null, { reason });
  }

  private store(tokens: StoredTokens | null): void {
    this.tokens = tokens;
    if (tokens) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(STORAGE_KEY);
  }

  private async refresh(): Promise<boolean> {
    if (!this.tokens) return false;
    const res = await fetch(`${this.base}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: this.tokens.refreshToken }),
    });
    if (!res.ok) {
      this.store(null);
      return false;
    }
    const pair = tokenPairSchema.parse(await res.json());
    this.store({ ...this.tokens, accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return true;
  }

  private async request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, authorised?: boolean): Promise<z.infer<S>>;
  private async request(method: string, path: string, schema: null, body?: unknown): Promise<void>;
  private async request(method: string, path: string, schema: z.ZodType | null, body?: unknown, authorised = true): Promise<unknown> {
    const send = () =>
      fetch(`${this.base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(authorised && this.tokens ? { authorization: `Bearer ${this.tokens.accessToken}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let res = await send();
    if (authorised && res.status === 401) {
      const code = (await res.clone().json().catch(() => ({}))) as { code?: string };
      if (code.code === 'TOKEN_EXPIRED' && (await this.refresh())) res = await send();
    }
    if (!res.ok) {
      const parsed = errorBodySchema.safeParse(await res.json().catch(() => null));
      if (authorised && res.status === 401) this.store(null);
      throw new ApiError(res.status, parsed.success ? parsed.data : { code: 'INTERNAL', message: `The server answered ${res.status}.` });
    }
    if (!schema) return undefined;
    return schema.parse(await res.json());
  }
}
