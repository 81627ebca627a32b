import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** The header that carries a request's id, in answers and (from the gateway) to services. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming id is kept only when it is short and plain, so that it cannot forge log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The request headers a credentialed cross-origin call may send (preflight answer). */
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Character-Id, X-Request-Id';
const EXPOSED_HEADERS = 'Retry-After, X-Request-Id';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/** The longest URL an access log line repeats; the rest is cut. */
const MAX_LOGGED_URL = 300;

/** The request's id: a sane incoming `X-Request-Id` (the gateway's), else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * An access log of every answer, one bounded line each: id, method, path (cut at 300
 * characters), status, time and address. No bodies, no headers (tokens live there). The id is
 * sent back as `X-Request-Id`, so that a player's report can be matched with the line.
 */
export function accessLog(logger: Logger): (req: IncomingMessage, res: ServerResponse, next?: () => void) => void {
  return pinoHttp({
    logger: logger.child({ component: 'http' }),
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Health checks every few seconds would drown the rest.
    autoLogging: { ignore: (req) => req.url === '/health' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: (req.url ?? '').slice(0, MAX_LOGGED_URL),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: (error: Error) => ({ type: error.name, message: String(error.message).slice(0, MAX_LOGGED_URL) }),
    },
  });
}

/** What the pages of this backend may load and connect to (the game page, the admin panel, /docs). */
export interface ContentPolicyOptions {
  /**
   * Extra `connect-src` sources, e.g. game processes' `http(s)://host:port` when matchmaking
   * goes to them directly; WebSockets to any host are allowed already (`ws:` `wss:`).
   */
  connectSources?: readonly string[];
  /** Hashes (`'sha256-...'`) of inline scripts a page of ours carries. */
  scriptHashes?: readonly string[];
}

/**
 * The Content-Security-Policy of every answer. Scripts only from this origin (a Phaser game
 * page with WebGL needs no eval), images also as `data:` and `blob:`, workers from `blob:`,
 * connections to this origin and to game processes over `ws:`/`wss:` (their public address
 * may be another host and port), and no framing by other sites (`frame-ancestors`). Inline
 * styles are allowed: the widgets and pages set them, and styles cannot run code.
 */
export function contentSecurityPolicy(options: ContentPolicyOptions = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self'${(options.scriptHashes ?? []).map((hash) => ` ${hash}`).join('')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src 'self' ws: wss:${(options.connectSources ?? []).map((source) => ` ${source}`).join('')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP hash source of an inline script's text. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** Sets the security headers of every answer, pages and API alike. */
export function setSecurityHeaders(res: ServerResponse | Response, policy: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', policy);
}

/**
 * The widgets' demo page shows that a widget reads any server named by its `api` attribute:
 * its connections may go to any http(s) origin (public data only). Every other page keeps
 * the strict `connect-src`.
 */
export const WIDGETS_DEMO_PATH = '/widgets-demo.html';

/** The policy of a path: the widgets' demo page may connect anywhere over http(s). */
export function policyFor(path: string, options: ContentPolicyOptions = {}): string {
  if (path !== WIDGETS_DEMO_PATH) return contentSecurityPolicy(options);
  return contentSecurityPolicy({ ...options, connectSources: [...(options.connectSources ?? []), 'http:', 'https:'] });
}

/** Middleware form of `setSecurityHeaders`. */
export function securityHeaders(options: ContentPolicyOptions = {}): RequestHandler {
  const policy = contentSecurityPolicy(options);
  const demoPolicy = policyFor(WIDGETS_DEMO_PATH, options);
  return (req, res, next) => {
    setSecurityHeaders(res, req.path === WIDGETS_DEMO_PATH ? demoPolicy : policy);
    next();
  };
}

/** An origin as browsers send it: scheme, host and port, no path. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * The CORS headers of a credentialed route for a request from `origin`: full ones for an
 * allowed origin, none otherwise (the browser then refuses to hand the answer to the page).
 * A preflight also learns the methods and headers (`X-Character-Id` for the social API).
 */
export function credentialedCorsHeaders(origin: string | undefined | null, allowed: ReadonlySet<string>, preflight: boolean): Record<string, string> {
  if (!origin || !allowed.has(normalizeOrigin(origin))) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    ...(preflight ? { 'Access-Control-Allow-Methods': ALLOWED_METHODS, 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': '600' } : {}),
  };
}

/**
 * CORS by allowlist (`CORS_ORIGINS`) on every credentialed route, `Vary: Origin` on every
 * answer; `/public/...` stays open to any origin without credentials (its routes set that).
 * Preflights are answered here, 204, with or without permission.
 */
export function corsByAllowlist(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins.map(normalizeOrigin));
  return (req, res, next) => {
    res.vary('Origin');
    // Whatever a framework set before us (Colyseus reflects any origin) is replaced.
    for (const name of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Max-Age', 'Access-Control-Expose-Headers']) {
      res.removeHeader(name);
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (req.path.toLowerCase().startsWith('/public/')) {
      if (preflight) {
        res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Content-Type, If-None-Match', 'Access-Control-Max-Age': '600' });
        res.status(204).end();
        return;
      }
      next();
      return;
    }
    res.set(credentialedCorsHeaders(req.headers.origin, allowed, preflight));
    if (preflight) {
      res.status(204).end();
      return;
    }
    next();
  };
}
