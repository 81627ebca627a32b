import { addressKey, defineRoute, DomainError, limitByAddress, type AccessTokenVerifier, type ApiRoute, type RateLimiter } from '@mmo/platform';
import {
  ErrorCode,
  loginRequestSchema,
  normalizeName,
  refreshRequestSchema,
  registerRequestSchema,
  registerResponseSchema,
  sessionIdParamsSchema,
  sessionListSchema,
  tokenPairSchema,
} from '@mmo/shared';
import type { Request } from 'express';
import { assertNotBanned, registerAccount, type AccountDeps } from './account.service.js';
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

function deviceLabel(req: Request, declared: string | undefined): string {
  return (declared ?? req.get('user-agent') ?? 'unknown device').slice(0, 100);
}

const tag = 'auth';

/** `/auth/...`: registration, password login (passport local), refresh, logout, sessions. */
export function authRoutes(deps: AuthRoutesDeps): ApiRoute[] {
  let passport: ReturnType<typeof createPassport> | undefined;
  return [
    defineRoute({
      method: 'post', path: '/auth/register', tag, access: 'public', status: 201, summary: 'Create an account',
      // Counted before the body is read, so that malformed floods are limited too.
      before: () => [limitByAddress(deps.limits.registerPerIp)],
      body: registerRequestSchema, response: registerResponseSchema, errors: [ErrorCode.USERNAME_TAKEN],
      handle: ({ body }) => registerAccount(deps, body),
    }),
    defineRoute({
      method: 'post', path: '/auth/login', tag, access: 'public', summary: 'Log in with username and password: an access token and a refresh token',
      body: loginRequestSchema, response: tokenPairSchema, errors: [ErrorCode.INVALID_CREDENTIALS, ErrorCode.ACCOUNT_BANNED],
      handle: async ({ body, req, res }) => {
        const address = addressKey(clientIp(req));
        const accountKey = normalizeName(body.username);
        const pairKey = `${accountKey}|${address}`;
        await deps.limits.loginPerIp.consume(address);
        // Failures are counted before the password is checked, so parallel guesses cannot all
        // slip through under the limit; a successful login gives its attempt back.
        await deps.limits.loginFailuresPerAccountIp.consume(pairKey);
        await deps.limits.loginFailuresPerAccount.consume(accountKey);
        passport ??= createPassport(deps);
        const account = await authenticateWithPassword(passport, req, res);
        if (!account) throw new DomainError(ErrorCode.INVALID_CREDENTIALS);
        await assertNotBanned(deps.prisma, account.id, deps.clock());
        await deps.limits.loginFailuresPerAccountIp.reset(pairKey);
        await deps.limits.loginFailuresPerAccount.refund(accountKey);
        return startSession(deps, account, { deviceLabel: deviceLabel(req, body.device), ip: clientIp(req) });
      },
    }),
    defineRoute({
      method: 'post', path: '/auth/refresh', tag, access: 'public', summary: 'Rotate both tokens; a reused refresh token ends its session',
      body: refreshRequestSchema, response: tokenPairSchema,
      errors: [ErrorCode.INVALID_REFRESH_TOKEN, ErrorCode.SESSION_REVOKED, ErrorCode.REFRESH_TOKEN_REUSED, ErrorCode.ACCOUNT_BANNED],
      handle: async ({ body, req }) => {
        await deps.limits.refreshPerIp.consume(addressKey(clientIp(req)));
        return refreshSession(deps, body.refreshToken, clientIp(req));
      },
    }),
    defineRoute({
      method: 'post', path: '/auth/logout', tag, access: 'player', summary: 'End this session',
      handle: async ({ auth }) => {
        await revokeSession(deps, auth.sessionId, 'logout');
      },
    }),
    defineRoute({
      method: 'get', path: '/auth/sessions', tag, access: 'player', summary: 'Your live sessions', response: sessionListSchema,
      handle: async ({ auth }) => ({ sessions: await listSessions(deps, auth.accountId, auth.sessionId) }),
    }),
    defineRoute({
      method: 'delete', path: '/auth/sessions/:id', tag, access: 'player', summary: 'End one of your sessions',
      params: sessionIdParamsSchema, errors: [ErrorCode.SESSION_NOT_FOUND],
      handle: ({ auth, params }) => endOwnSession(deps, auth.accountId, params.id),
    }),
  ];
}
