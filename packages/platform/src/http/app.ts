import express, { type Application, type Express } from 'express';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { accessLog, corsByAllowlist, securityHeaders } from './security.js';

export interface HttpAppOptions {
  /** Express's `trust proxy` setting, so that `req.ip` is the player's address behind the gateway. */
  trustProxy: string;
  /** Largest JSON body accepted; larger ones answer 413 `PAYLOAD_TOO_LARGE`. */
  bodyLimit?: string;
  /** Where the access log goes (one bounded line per answer); no access log without it. */
  logger?: Logger;
  /** Origins allowed to call credentialed routes from a browser (`CORS_ORIGINS`); none by default. */
  corsOrigins?: readonly string[];
  /** Extra `connect-src` sources of the pages' Content-Security-Policy. */
  connectSources?: readonly string[];
}

/**
 * The house defaults on an Express app: an access log with a request id on every answer,
 * security headers, CORS by allowlist, `Cache-Control: no-store` unless a route says
 * otherwise (answers carry tokens and private data), JSON bodies, no `x-powered-by`, the
 * proxy setting. Callers then mount their routers and call `finishHttpApp`.
 */
export function useHttpDefaults<A extends Application>(app: A, options: HttpAppOptions): A {
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(options.trustProxy));
  if (options.logger) app.use(accessLog(options.logger));
  app.use(securityHeaders({ connectSources: options.connectSources ?? [] }));
  app.use(corsByAllowlist(options.corsOrigins ?? []));
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: options.bodyLimit ?? '16kb' }));
  return app;
}

/** What a service's composition root tells its app: the proxy it trusts and the origins it lets in. */
export type ServiceHttpOptions = Pick<HttpAppOptions, 'trustProxy' | 'corsOrigins'>;

/** A new Express app with the house defaults. */
export function createHttpApp(options: HttpAppOptions): Express {
  return useHttpDefaults(express(), options);
}

/** Adds the 404 and error handlers; call after every router is mounted. */
export function finishHttpApp<A extends Application>(app: A, logger: Logger): A {
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

function parseTrustProxy(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
