import { normalizeName, registerResponseSchema, sessionListSchema, tokenPairSchema, type SessionView } from '@mmo/shared';
import { z } from 'zod';
import type { ApiClient } from './api.client.js';

const noBody = z.unknown();

/** The primary server's account routes: register, log in and out, sessions, enter world. */
export class AuthApi {
  constructor(private readonly api: ApiClient) {}

  async register(username: string, password: string): Promise<void> {
    await this.api.request('/auth/register', registerResponseSchema, { method: 'POST', body: { username, password }, auth: false });
  }

  /**
   * Logs in, sending this browser's device token for the account if it has one: it keeps the
   * owner's own login budget while strangers guessing the password have spent the account's.
   */
  async login(username: string, password: string): Promise<void> {
    const key = deviceTokenKey(username);
    const deviceToken = readStorage(key);
    const pair = await this.api.request('/auth/login', tokenPairSchema, {
      method: 'POST',
      body: { username, password, device: deviceLabel(), ...(deviceToken ? { deviceToken } : {}) },
      auth: false,
    });
    if (pair.deviceToken) writeStorage(key, pair.deviceToken);
    this.api.setTokens(pair);
  }

  /** Resumes the tab's session after a reload, if its refresh token is still good. */
  async resume(): Promise<boolean> {
    const stored = this.api.storedRefreshToken();
    return stored ? this.api.refresh(stored) : false;
  }

  async logout(): Promise<void> {
    try {
      await this.api.call('/auth/logout', { method: 'POST' });
    } finally {
      this.api.clearTokens();
    }
  }

  async sessions(): Promise<SessionView[]> {
    return (await this.api.request('/auth/sessions', sessionListSchema)).sessions;
  }

  async endSession(id: string): Promise<void> {
    await this.api.request(`/auth/sessions/${encodeURIComponent(id)}`, noBody, { method: 'DELETE' });
  }
}

/** What the session list shows for this browser ("Chrome on Linux"). */
function deviceLabel(): string {
  const agent = navigator.userAgent;
  const browser = /Firefox\//.test(agent) ? 'Firefox' : /Edg\//.test(agent) ? 'Edge' : /Chrom(e|ium)\//.test(agent) ? 'Chromium' : /Safari\//.test(agent) ? 'Safari' : 'Browser';
  const system = /Windows/.test(agent) ? 'Windows' : /Mac OS/.test(agent) ? 'macOS' : /Android/.test(agent) ? 'Android' : /Linux/.test(agent) ? 'Linux' : 'unknown system';
  return `${browser} on ${system}`.slice(0, 100);
}

/** Device tokens are kept per account (by its normalised username) in this browser. */
function deviceTokenKey(username: string): string {
  return `mmo.device.${normalizeName(username)}`;
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage can be disabled (private modes); the login then goes without a device token.
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // As above: without storage, the next login simply has no device token.
  }
}
