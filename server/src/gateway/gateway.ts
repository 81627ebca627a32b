import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { accessLog, contentSecurityPolicy, docsRouter, policyFor, REQUEST_ID_HEADER, setSecurityHeaders, WIDGETS_DEMO_PATH, type Logger } from '@mmo/platform';
import { ErrorCode, type ErrorBody, type Health } from '@mmo/shared';
import express from 'express';
import httpProxy from 'http-proxy';

/**
 * Which service answers which path prefix (one or two segments; the longer one wins): the
 * public contract's one base URL. Moderators' social routes live with the social API.
 */
export interface GatewayRoutes {
  primary: string;
  player: string;
  social: string;
}

export function routeTable(routes: GatewayRoutes): ReadonlyMap<string, string> {
  return new Map([
    ['auth', routes.primary],
    ['world', routes.primary],
    ['admin', routes.primary],
    ['admin/social', routes.social],
    ['admin/leaderboards', routes.player],
    ['characters', routes.player],
    ['public', routes.player],
    ['leaderboards', routes.player],
    ['social', routes.social],
    ['docs/primary.json', routes.primary],
    ['docs/player.json', routes.player],
    ['docs/social.json', routes.social],
  ]);
}

function sendError(res: ServerResponse, status: number, body: ErrorBody): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * The cluster's front door: one base URL, routed by the first path segment to the service
 * that owns it, with `X-Forwarded-For` so that services rate-limit the player's address, not
 * the gateway's. A service that is down answers 503 `SERVICE_UNAVAILABLE`.
 */
export function createGateway(options: { routes: GatewayRoutes; logger: Logger; clientDist?: string }): Server {
  const table = routeTable(options.routes);
  const proxy = httpProxy.createProxyServer({ xfwd: true, proxyTimeout: 30_000 });
  proxy.on('error', (error, req, res) => {
    options.logger.warn({ err: error, url: req.url }, 'upstream unavailable');
    if ('writeHead' in res) {
      sendError(res, 503, { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The service is not available right now.' });
    }
  });

  const fallback = express();
  fallback.disable('x-powered-by');
  fallback.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The page lists every service's document; each JSON comes from its service (route table).
  fallback.use(docsRouter('MMO backend API', [{ name: 'primary' }, { name: 'player' }, { name: 'social' }]));
  fallback.get('/health', (_req, res) => {
    const body: Health = { service: 'gateway', status: 'ok' };
    res.json(body);
  });
  if (options.clientDist && existsSync(options.clientDist)) fallback.use(express.static(options.clientDist));
  fallback.use((req, res) => {
    sendError(res, 404, { code: ErrorCode.NOT_FOUND, message: `No route for ${req.method} ${req.path}.` });
  });

  const log = accessLog(options.logger);
  const policy = contentSecurityPolicy();
  const demoPolicy = policyFor(WIDGETS_DEMO_PATH);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    // One line per answer with its request id, which goes on to the service (which keeps a
    // sane incoming id) so that both log lines carry it, and back to the client.
    log(req, res);
    req.headers[REQUEST_ID_HEADER] = String((req as IncomingMessage & { id?: unknown }).id);
    // The gateway's own pages and errors get the security headers; a service's answer
    // replaces them with its own (the same ones).
    setSecurityHeaders(res, (req.url ?? '').split('?')[0] === WIDGETS_DEMO_PATH ? demoPolicy : policy);
    // Lower-cased, as Express matches routes case-insensitively behind it and in embedded mode.
    const [, first = '', second = ''] = (req.url ?? '/').toLowerCase().split(/[?#]/)[0]!.split('/');
    // `/admin` and `/admin/` are the admin panel's page (the client build); the API lies below.
    const panel = first === 'admin' && second === '';
    const target = panel ? undefined : (table.get(`${first}/${second}`) ?? table.get(first));
    if (target) proxy.web(req, res, { target });
    else fallback(req, res);
  });
}
