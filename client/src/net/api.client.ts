import { errorBodySchema, tokenPairSchema, type ErrorBody, type FieldError, type TokenPair } from '@mmo/shared';
import type { z } from 'zod';

/** An HTTP answer that was not a success, with the server's domain code and field errors. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: FieldError[];
  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.code = body.code;
    this.status = status;
    this.fields = body.fields ?? [];
  }
}

/** Codes after which the session cannot continue: the player must log in again. */
const SESSION_ENDING_CODES = new Set(['SESSION_REVOKED', 'REFRESH_TOKEN_REUSED', 'INVALID_REFRESH_TOKEN', 'ACCOUNT_BANNED', 'UNAUTHENTICATED']);

/** Refresh this long before the access token expires, so that no request ever meets an expired one. */
const REFRESH_MARGIN_MS = 30_000;

const STORAGE_KEY = 'mmo.refreshToken';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Sent as `X-Character-Id`: social routes act as one of the account's characters. */
  characterId?: string;
  /** False for the auth routes that take no access token. */
  auth?: boolean;
}

/**
 * The one HTTP client of the page. It holds the token pair, refreshes the access token before
 * it expires (the refresh token rotates on every use, so one refresh runs at a time), retries
 * a request once after `TOKEN_EXPIRED`, and reports a session that ended (revoked, banned,
 * refresh token reused) through `onSessionEnded` so the page can return to the login.
 */
export class ApiClient {
  private tokens: TokenPair | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | undefined;
  onSessionEnded: (reason: string) => void = () => {};
  onTokensChanged: () => void = () => {};

  constructor(private readonly base = '') {}

  get accessToken(): string | undefined {
    return this.tokens?.accessToken;
  }

  get signedIn(): boolean {
    return this.tokens !== undefined;
  }

  /** The refresh token kept for this tab, so that a reload does not log the player out. */
  storedRefreshToken(): string | null {
    return sessionStorage.getItem(STORAGE_KEY);
  }

  setTokens(tokens: TokenPair): void {
    this.tokens = tokens;
    sessionStorage.setItem(STORAGE_KEY, tokens.refreshToken);
    clearTimeout(this.refreshTimer);
    const lifetime = tokens.expiresIn * 1000;
    const delay = Math.max(1_000, Math.min(lifetime * 0.8, lifetime - REFRESH_MARGIN_MS));
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
    this.onTokensChanged();
  }

  clearTokens(): void {
    this.tokens = undefined;
    sessionStorage.removeItem(STORAGE_KEY);
    clearTimeout(this.refreshTimer);
  }

  /** Exchanges the refresh token for a new pair; false (and the session ended) when refused. */
  refresh(refreshToken = this.tokens?.refreshToken): Promise<boolean> {
    if (!refreshToken) return Promise.resolve(false);
    this.refreshing ??= (async () => {
      try {
        const pair = await this.request('/auth/refresh', tokenPairSchema, { method: 'POST', body: { refreshToken }, auth: false });
        this.setTokens(pair);
        return true;
      } catch (error) {
        if (error instanceof ApiError && SESSION_ENDING_CODES.has(error.code)) this.endSession(sessionEndReason(error));
        return false;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  endSession(reason: string): void {
    if (!this.tokens && !this.storedRefreshToken()) return;
    this.clearTokens();
    this.onSessionEnded(reason);
  }

  /** Sends a request and parses a success with `schema`; throws `ApiError` otherwise. */
  async request<S extends z.ZodType>(path: string, schema: S, options: RequestOptions = {}): Promise<z.infer<S>> {
    const response = await this.send(path, options);
    if (response.status === 204) return schema.parse(undefined);
    return schema.parse(await response.json());
  }

  /** Sends a request whose success has no body worth reading. */
  async call(path: string, options: RequestOptions = {}): Promise<void> {
    await this.send(path, options);
  }

  private async send(path: string, options: RequestOptions, retried = false): Promise<Response> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.auth !== false && this.tokens) headers.authorization = `Bearer ${this.tokens.accessToken}`;
    if (options.characterId) headers['x-character-id'] = options.characterId;
    const response = await fetch(`${this.base}${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    if (response.ok) return response;
    const parsed = errorBodySchema.safeParse(await response.json().catch(() => undefined));
    const body: ErrorBody = parsed.success ? parsed.data : { code: 'INTERNAL', message: `The server answered ${response.status}.` };
    if (options.auth !== false && body.code === 'TOKEN_EXPIRED' && !retried && (await this.refresh())) {
      return this.send(path, options, true);
    }
    const error = new ApiError(response.status, body);
    if (options.auth !== false && response.status === 401 && SESSION_ENDING_CODES.has(body.code)) this.endSession(sessionEndReason(error));
    if (response.status === 403 && body.code === 'ACCOUNT_BANNED') this.endSession(body.message);
    throw error;
  }
}

/** Words for a player whose session ended, by the code that ended it. */
export function sessionEndReason(error: ApiError): string {
  switch (error.code) {
    case 'SESSION_REVOKED':
      return 'Your session was ended (logged out elsewhere or from the session list). Please log in again.';
    case 'REFRESH_TOKEN_REUSED':
      return 'Your session was ended because its refresh token was used twice. Please log in again.';
    case 'ACCOUNT_BANNED':
      return `This account is banned: ${error.message}`;
    default:
      return 'Your session has expired. Please log in again.';
  }
}
