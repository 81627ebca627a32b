import { ErrorCode, type ErrorBody } from '@mmo/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DomainError, httpStatusByCode } from '../errors.js';
import { CallerGoneError } from '../work-queue.js';
import { Prisma } from '../generated/prisma/client.js';

/**
 * Errors raised by Express itself and its body parser (malformed JSON, an undecodable URL or
 * body, a body too large) carry a 4xx status, with `expose: true` or as a `URIError` from
 * decoding a path parameter: the client's mistake.
 */
function clientError(error: unknown): DomainError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, type } = error as { status?: unknown; expose?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (expose !== true && !(error instanceof URIError)) return undefined;
  if (status === 413) return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE);
  if (type === 'entity.parse.failed') return new DomainError(ErrorCode.VALIDATION_FAILED, 'The body is not valid JSON.');
  return new DomainError(ErrorCode.VALIDATION_FAILED, 'The request could not be decoded.');
}

/** Prisma's codes for a database that cannot be reached or answered in time. */
const DATABASE_OUTAGE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);

/**
 * Prisma's codes for a database too busy for this request: no pooled connection in time
 * (P2024), or an interactive transaction that could not start or finish in its time (P2028,
 * Prisma's code for the errors of its transaction API; a transaction that ran out of time is
 * rolled back). The same request may well succeed a second later.
 */
const DATABASE_BUSY_CODES = new Set(['P2024', 'P2028']);

/**
 * A dependency is down (database unreachable, Redis gone past its retries) or too busy: the
 * request was fine and may succeed later, so it answers 503, not 500 (busy: with Retry-After).
 */
function outage(error: unknown): DomainError | undefined {
  const known = error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
  if (known !== undefined && DATABASE_BUSY_CODES.has(known)) {
    return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is busy; try again shortly.', { retryAfterSeconds: 1 });
  }
  const isDatabaseOutage = error instanceof Prisma.PrismaClientInitializationError || (known !== undefined && DATABASE_OUTAGE_CODES.has(known));
  const isRedisOutage = error instanceof Error && (error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.');
  if (!isDatabaseOutage && !isRedisOutage) return undefined;
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'A service this request needs is unavailable; try again shortly.');
}

/**
 * The last middleware of every app: a `DomainError` becomes its status and `{code, message}`;
 * an outage of the database or Redis is logged and answered 503 `SERVICE_UNAVAILABLE`;
 * anything else is logged with its cause and answered 500 `INTERNAL` with no internal text.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    // The caller closed the connection before its work started: nobody reads an answer, and
    // it is no error of ours (499, as proxies log it).
    if (error instanceof CallerGoneError) {
      res.status(499).end();
      return;
    }
    // A refusal or a failure must not be cached, least of all by a shared cache in front of
    // the public endpoints, which set caching headers before the handler runs.
    res.setHeader('Cache-Control', 'no-store');
    const unavailable = outage(error);
    if (unavailable) logger.error({ err: error, method: req.method, url: req.originalUrl }, 'dependency unavailable');
    const domain = error instanceof DomainError ? error : (clientError(error) ?? unavailable);
    if (domain) {
      const body: ErrorBody = { code: domain.code, message: domain.message };
      if (domain.extra.fields) body.fields = domain.extra.fields;
      if (domain.extra.sanction) body.sanction = domain.extra.sanction;
      if (domain.extra.retryAfterSeconds !== undefined) {
        res.setHeader('Retry-After', String(domain.extra.retryAfterSeconds));
      }
      res.status(httpStatusByCode[domain.code]).json(body);
      return;
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    const body: ErrorBody = { code: ErrorCode.INTERNAL, message: 'Something went wrong on our side.' };
    res.status(500).json(body);
  };
}

/** Answers every route no router claimed with 404 `NOT_FOUND`. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new DomainError(ErrorCode.NOT_FOUND, `No route for ${req.method} ${req.path}.`));
};
