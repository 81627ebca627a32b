import { ErrorCode } from '@mmo/shared';
import type { RequestHandler, Response } from 'express';
import { DomainError } from '../errors.js';
import type { AccessTokenVerifier, AuthContext } from '../tokens.js';

/**
 * Requires a valid, unrevoked access token (`Authorization: Bearer ...`) and keeps its claims
 * for the route (`authOf(res)`). No call to the primary server: the signature and the
 * denylist are enough.
 */
export function requireAuth(verifier: AccessTokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer (\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new DomainError(ErrorCode.UNAUTHENTICATED);
    res.locals.auth = await verifier.verify(match[1]);
    next();
  };
}

/** The claims `requireAuth` verified for this request. */
export function authOf(res: Response): AuthContext {
  const auth = res.locals.auth as AuthContext | undefined;
  if (!auth) throw new Error('authOf called on a route without requireAuth');
  return auth;
}
