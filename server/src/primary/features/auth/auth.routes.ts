import {
  addressKey,
  defineRoute,
  DomainError,
  limitByAddress,
  type AccessTokenVerifier,
  type ApiRoute,
  type FailureBackoff,
  type RateLimiter,
  type WorkQueue,
} from '@mmo/platform';
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
import type { DeviceTokens } from './device-token.js';
import { authenticateWithPassword, createPassport } from './passport.js';
import { endOwnSession, listSessions, refreshSession, revokeSession, startSession, type SessionDeps } from './session.service.js';

/** The login policy's counters: see "Login throttling" in the README's security section. */
export interface AuthLimits {
  /** Every login attempt from one address (attempts refused by it are not counted). */
  loginPerIp: RateLimiter;
  /** Failed logins against one account from one address: exponential backoff. */
  loginFailuresPerAccountIp: FailureBackoff;
  /**
   * Failed logins against one account from every address: stops distributed guessing, but only
   * for addresses and browsers the account does not know, so strangers cannot lock out its owner.
   */
  loginFailuresPerAccount: FailureBackoff;
  /** How recent a login must be for its address or browser to be known to the account. */
  knownSourceDays: number;
  registerPerIp: RateLimiter;
  refreshPerIp: RateLimiter;
}

export interface AuthRoutesDeps extends AccountDeps, SessionDeps {
  verifier: AccessTokenVerifier;
  limits: AuthLimits;
  deviceTokens: DeviceTokens;
  /** Password checks of logins: bounded, shedding load (503) rather than queueing it. */
  loginQueue: WorkQueue;
}

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function deviceLabel(req: Request, declared: string | undefined): string {
  return (declared ?? req.get('user-agent') ?? 'unknown device').slice(0, 100);
}

/**
 * Whether this login comes from an address (IPv6: its /64) or a browser (device token) that
 * logged into the account within the known-source period. Asked only while the account-wide
 * budget is spent, so it costs a query only under attack.
 */
async function isKnownSource(deps: AuthRoutesDeps, accountKey: string, address: string, deviceToken: string | undefined): Promise<boolean> {
  const since = new Date(deps.clock() - deps.limits.knownSourceDays * 24 * 3600 * 1000);
  const account = await deps.prisma.account.findUnique({
    where: { usernameKey: accountKey },
    select: { id: true, sessions: { where: { createdAt: { gte: since } }, select: { ip: true }, orderBy: { createdAt: 'desc' }, take: 200 } },
  });
  if (!account) return false;
  if (deps.deviceTokens.isValidFor(deviceToken, account.id)) return true;
  return account.sessions.some((session) => addressKey(session.ip) === address);
}

function tooManyFailures(waitSeconds: number): DomainError {
  return new DomainError(ErrorCode.RATE_LIMITED, `Too many failed logins; try again in ${waitSeconds} s.`, { retryAfterSeconds: waitSeconds });
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
        const { limits } = deps;
        // An attempt refused with 429 is never counted, so hammering cannot extend a wait. An
        // allowed attempt is counted as a failure before the password is checked, so parallel
        // guesses cannot all slip through under a budget; the owner's success takes it back.
        await limits.loginPerIp.check(address);
        const pair = await limits.loginFailuresPerAccountIp.attempt(pairKey);
        if (pair.waitSeconds > 0) throw tooManyFailures(pair.waitSeconds);
        const known = await limits.loginFailuresPerAccount.attempt(accountKey).then(async (attempt) => {
          if (attempt.waitSeconds === 0) return attempt;
          // The account's budget is spent: only its known addresses and browsers go on, each
          // still on its own per-address backoff.
          if (await isKnownSource(deps, accountKey, address, body.deviceToken)) return limits.loginFailuresPerAccount.attempt(accountKey, true);
          await pair.undo();
          throw tooManyFailures(attempt.waitSeconds);
        });
        await limits.loginPerIp.consume(address);
        passport ??= createPassport(deps);
        const strategy = passport;
        // A refused or abandoned check was no guess: its counts are taken back.
        const account = await deps.loginQueue
          .run(() => authenticateWithPassword(strategy, req, res), () => req.socket.destroyed)
          .catch(async (error: unknown) => {
            await Promise.all([pair.undo(), known.undo()]);
            throw error;
          });
        if (!account) throw new DomainError(ErrorCode.INVALID_CREDENTIALS);
        await limits.loginFailuresPerAccountIp.reset(pairKey);
        await known.undo();
        await assertNotBanned(deps.prisma, account.id, deps.clock());
        const tokens = await startSession(deps, account, { deviceLabel: deviceLabel(req, body.device), ip: clientIp(req) });
        return { ...tokens, deviceToken: deps.deviceTokens.issue(account.id) };
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
