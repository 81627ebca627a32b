import express, { type Application, type Express } from 'express';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from './error-handler.js';

export interface HttpAppOptions {
  /** Express's `trust proxy` setting, so that `req.ip` is the player's address behind the gateway. */
  trustProxy: string;
  /** Largest JSON body accepted; larger ones answer 413 `PAYLOAD_TOO_LARGE`. */
  bodyLimit?: string;
}

/**
 * The house defaults on an Express app: JSON bodies, no `x-powered-by`, the proxy setting.
 * Callers then mount their routers and call `finishHttpApp`.
 */
export function useHttpDefaults<A extends Application>(app: A, options: HttpAppOptions): A {
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(options.trustProxy));
  app.use(express.json({ limit: options.bodyLimit ?? '16kb' }));
  return app;
}

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
