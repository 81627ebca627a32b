import {
  addressKey,
  authOf,
  DomainError,
  parseInput,
  requireAuth,
  type AccessTokenVerifier,
  type RateLimiter,
} from '@mmo/platform';
import {
  ErrorCode,
  loginRequestSchema,
  normalizeName,
  refreshRequestSchema,
  registerRequestSchema,
  sessionIdParamsSchema,
  type RegisterResponse,
  type SessionList,
} from '@mmo/shared';
import { Router, type Request } from 'express';
import { isBanned, registerAccount, type AccountDeps } from './account.service.js';
import { authenticateWithPassword, createPassport } from './passport.js';
import { endOwnSession, listSessions, refreshSession, revokeSession, startSession, type SessionDeps } from './session.service.js';

export interface AuthLimits {
  /** Every login attempt from one address. */
  loginPerIp: RateLimiter;
  /** Failed logins against one account from one address. */
  loginFailuresPerAccountIp: RateLimiter;
  /** Failed logins against one account from every address: stops distributed guessing. */
  loginFailuresPerAccount: RateLimiter;
  registerPerIp: RateLimiter;
  refreshPerIp: RateLimiter;
}

export interface AuthRoutesDeps extends AccountDeps, SessionDeps {
  verifier: AccessTokenVerifier;
  limits: AuthLimits;
}

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The address as rate limits count it (IPv6 by /64). */
function limitKey(req: Request): string {
  return addressKey(clientIp(req));
}

function deviceLabel(req: Request, declared: string | undefined): string {
  return (declared ?? req.get('user-agent') ?? 'unknown device').slice(0, 100);
}

/** `/auth/...`: registration, password login (passport local), refresh, logout, sessions. */
export function createAuthRouter(deps: AuthRoutesDeps): Router {
  const router = Router();
  const passport = createPassport(deps);
  const auth = requireAuth(deps.verifier);

  router.post('/register', async (req, res) => {
    await deps.limits.registerPerIp.consume(limitKey(req));
    const body = parseInput(registerRequestSchema, req.body);
    const result: RegisterResponse = await registerAccount(deps, body);
    res.status(201).json(result);
  });

  router.post('/login', async (req, res) => {
    const body = parseInput(loginRequestSchema, req.body);
    const address = limitKey(req);
    const accountKey = normalizeName(body.username);
    const pairKey = `${accountKey}|${address}`;
    await deps.limits.loginPerIp.consume(address);
    // Failures are counted before the password is checked, so parallel guesses cannot all slip
    // through under the limit; a successful login gives its attempt back.
    await deps.limits.loginFailuresPerAccountIp.consume(pairKey);
    await deps.limits.loginFailuresPerAccount.consume(accountKey);
    const account = await authenticateWithPassword(passport, req, res);
    if (!account) throw new DomainError(ErrorCode.INVALID_CREDENTIALS);
    if (isBanned(account, deps.clock())) throw new DomainError(ErrorCode.ACCOUNT_BANNED);
    await deps.limits.loginFailuresPerAccountIp.reset(pairKey);
    await deps.limits.loginFailuresPerAccount.refund(accountKey);
    res.json(await startSession(deps, account, { deviceLabel: deviceLabel(req, body.device), ip: clientIp(req) }));
  });

  router.post('/refresh', async (req, res) => {
    const body = parseInput(refreshRequestSchema, req.body);
    await deps.limits.refreshPerIp.consume(limitKey(req));
    res.json(await refreshSession(deps, body.refreshToken, clientIp(req)));
  });

  router.post('/logout', auth, async (_req, res) => {
    await revokeSession(deps, authOf(res).sessionId, 'logout');
    res.status(204).end();
  });

  router.get('/sessions', auth, async (_req, res) => {
    const { accountId, sessionId } = authOf(res);
    const body: SessionList = { sessions: await listSessions(deps, accountId, sessionId) };
    res.json(body);
  });

  router.delete('/sessions/:id', auth, async (req, res) => {
    const { id } = parseInput(sessionIdParamsSchema, req.params);
    await endOwnSession(deps, authOf(res).accountId, id);
    res.status(204).end();
  });

  return router;
}
