import type { KeyObject } from 'node:crypto';
import {
  type ServiceHttpOptions,
  AccessTokenSigner,
  buildOpenApiDocument,
  createHttpApp,
  docsRouter,
  documentationOnly,
  FailureBackoff,
  WorkQueue,
  finishHttpApp,
  mountRoutes,
  RateLimiter,
  type ApiRoute,
  type ServiceInfra,
} from '@mmo/platform';
import type { Health } from '@mmo/shared';
import type { Express, Router } from 'express';
import type { PrimarySettings } from './config.js';
import { adminRoutes, type AdminRoutesDeps } from './features/admin/admin.routes.js';
import type { GameRoomListing } from './features/admin/live.service.js';
import { authRoutes, type AuthRoutesDeps } from './features/auth/auth.routes.js';
import { DeviceTokens } from './features/auth/device-token.js';
import { PasswordHasher } from './features/auth/password.js';
import { worldRoutes, type WorldRoutesDeps } from './features/world/world.routes.js';

export type PrimaryDeps = AuthRoutesDeps & WorldRoutesDeps & AdminRoutesDeps;

/** No game processes known: the live view lists the online directory alone. */
async function noGameRooms(): Promise<GameRoomListing[]> {
  return [];
}

/** Builds the primary server's dependencies from a process's infrastructure and settings. */
export function createPrimaryDeps(
  infra: ServiceInfra,
  settings: PrimarySettings,
  reserveSeat: WorldRoutesDeps['reserveSeat'],
  signingKey: KeyObject,
  listGameRooms: () => Promise<GameRoomListing[]> = noGameRooms,
): PrimaryDeps {
  const limit = (name: string, points: number, windowSeconds: number) =>
    new RateLimiter({ name, points, windowSeconds, ...(infra.redis ? { redis: infra.redis } : {}) });
  const backoff = (name: string, freeFailures: number) =>
    new FailureBackoff({
      name,
      freeFailures,
      baseSeconds: settings.LOGIN_BACKOFF_BASE_SECONDS,
      maxSeconds: settings.LOGIN_BACKOFF_MAX_SECONDS,
      forgetSeconds: settings.LOGIN_FAILURES_WINDOW_SECONDS,
      clock: infra.clock,
      ...(infra.redis ? { redis: infra.redis } : {}),
    });
  return {
    ...infra,
    reserveSeat,
    loginQueue: new WorkQueue({ concurrency: settings.LOGIN_HASH_CONCURRENCY, maxWaiting: settings.LOGIN_HASH_QUEUE_MAX }),
    deviceTokens: new DeviceTokens(signingKey, settings.LOGIN_KNOWN_SOURCE_DAYS * 24 * 3600, infra.clock),
    listGameRooms,
    enterWorldLimit: limit(
      'enter-world',
      settings.ENTER_WORLD_RATE_LIMIT_PER_ACCOUNT,
      settings.ENTER_WORLD_RATE_LIMIT_WINDOW_SECONDS,
    ),
    hasher: new PasswordHasher(settings.PASSWORD_HASH_COST),
    signer: new AccessTokenSigner(signingKey, settings.ACCESS_TOKEN_TTL_SECONDS, infra.clock),
    refreshTokenTtlSeconds: settings.REFRESH_TOKEN_TTL_SECONDS,
    limits: {
      loginPerIp: limit('login-ip', settings.LOGIN_RATE_LIMIT_PER_IP, settings.LOGIN_RATE_LIMIT_WINDOW_SECONDS),
      loginFailuresPerAccountIp: backoff('login-account-ip', settings.LOGIN_FAILURES_PER_ACCOUNT_IP),
      loginFailuresPerAccount: backoff('login-account', settings.LOGIN_FAILURES_PER_ACCOUNT),
      knownSourceDays: settings.LOGIN_KNOWN_SOURCE_DAYS,
      refreshPerIp: limit('refresh-ip', settings.REFRESH_RATE_LIMIT_PER_IP, settings.REFRESH_RATE_LIMIT_WINDOW_SECONDS),
      registerPerIp: limit('register-ip', settings.REGISTER_RATE_LIMIT_PER_IP, settings.REGISTER_RATE_LIMIT_WINDOW_SECONDS),
    },
  };
}

/** Every operation of the primary server, in the order the OpenAPI document lists them. */
export function primaryRoutes(deps: PrimaryDeps): ApiRoute[] {
  return [...authRoutes(deps), ...worldRoutes(deps), ...adminRoutes(deps)];
}

/** The OpenAPI document of the primary server, generated from its routes (`server/openapi.primary.json`). */
export function primaryOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    {
      title: 'Primary server',
      version: '1.0.0',
      description: 'Accounts, password login, access and refresh tokens, sessions, entering the game world, and moderation (sanctions, roles, audit log, live view).',
    },
    primaryRoutes(documentationOnly<PrimaryDeps>()),
  );
}

/** Every route of the primary server, for mounting at the root of an app. */
export function createPrimaryRouter(deps: PrimaryDeps): Router {
  return mountRoutes(primaryRoutes(deps), deps.verifier, { service: 'primary', prisma: deps.prisma });
}

/** The primary server as its own app (cluster mode and tests); `main.ts` listens. */
export function createPrimaryApp(deps: PrimaryDeps, options: ServiceHttpOptions): Express {
  const app = createHttpApp({ ...options, logger: deps.logger });
  app.get('/health', (_req, res) => {
    const body: Health = { service: 'primary', status: 'ok' };
    res.json(body);
  });
  app.use(docsRouter('Primary server API', [{ name: 'primary', document: primaryOpenApiDocument() }]));
  app.use(createPrimaryRouter(deps));
  return finishHttpApp(app, deps.logger);
}
