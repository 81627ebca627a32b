import { registerResponseSchema, sessionListSchema, tokenPairSchema, type SessionView } from '@mmo/shared';
import { z } from 'zod';
import type { ApiClient } from './api.client.js';

const noBody = z.unknown();

/** The primary server's account routes: register, log in and out, sessions, enter world. */
export class AuthApi {
  constructor(private readonly api: ApiClient) {}

  async register(username: string, password: string): Promise<void> {
    await this.api.request('/auth/register', registerResponseSchema, { method: 'POST', body: { username, password }, auth: false });
  }

  async login(username: string, password: string): Promise<void> {
    const pair = await this.api.request('/auth/login', tokenPairSchema, {
      method: 'POST',
      body: { username, password, device: deviceLabel() },
      auth: false,
    });
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
