import type { RequestHandler } from 'express';
import { addressKey, type RateLimiter } from '../rate-limit.js';

/**
 * Headers of a public, read-only endpoint that any website may embed: CORS open to every
 * origin (no credentials: these answers carry nothing private), and caching for `maxAgeSeconds`
 * then served stale for up to `staleSeconds` while a fresh copy is fetched. Express adds the
 * `ETag` and answers 304 to a matching `If-None-Match` on its own.
 */
export function publicReadHeaders(options: { maxAgeSeconds: number; staleSeconds: number }): RequestHandler {
  const cacheControl = `public, max-age=${options.maxAgeSeconds}, stale-while-revalidate=${options.staleSeconds}`;
  // Simple GETs need no preflight: a widget's fetch sends no custom header.
  return (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After');
    res.setHeader('Cache-Control', cacheControl);
    next();
  };
}

/** Counts each request against the caller's address (IPv6 by /64); over the limit, 429 `RATE_LIMITED`. */
export function limitByAddress(limiter: RateLimiter): RequestHandler {
  return async (req, _res, next) => {
    await limiter.consume(addressKey(req.ip ?? 'unknown'));
    next();
  };
}
