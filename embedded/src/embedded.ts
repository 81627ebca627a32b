import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import {
  isMatchingKeyPair,
  openInfra,
  parsePrivateKey,
  parsePublicKey,
  resolveTokenKeys,
  docsRouter,
  type DatabaseTarget,
  type Logger,
  type ServiceInfra,
} from '@mmo/platform';
import type { World } from '@mmo/shared';
import { createPlayerDeps, createPlayerRouter, playerOpenApiDocument, rebuildLeaderboardsIfEmpty } from '@mmo/player-api';
import { createGameDeps, createGameServer, listenGameServer, listMapAreaRooms, quietPm2Agent, reserveSeatInArea, type GameMetrics } from '@mmo/server/game';
import { createPrimaryDeps, createPrimaryRouter, primaryOpenApiDocument, schedulePruning } from '@mmo/server/primary';
import { createSocialDeps, createSocialRouter, socialOpenApiDocument, startSocialListeners } from '@mmo/social-api';
import express from 'express';
import type { EmbeddedConfig } from './config.js';

/** The browser client's build, served at `/`. */
export const clientDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../client/dist');

export interface RunningEmbedded {
  http: Server;
  port: number;
  /** The process's infrastructure, for tests that look into the database. */
  infra: ServiceInfra;
  close(): Promise<void>;
}

/**
 * Runs every service in this process on one port: the primary, player and social routers on
 * one Express app, which is also the game server's, so the one base URL of the public
 * contract holds here as it does behind the cluster's gateway. This is the one place that
 * imports several apps; each still receives only its own dependencies.
 */
export async function startEmbedded(
  config: EmbeddedConfig,
  logger: Logger,
  options: { world?: World; metrics?: GameMetrics } = {},
): Promise<RunningEmbedded> {
  const keys = await resolveTokenKeys({ privateKey: config.TOKEN_PRIVATE_KEY, publicKey: config.TOKEN_PUBLIC_KEY }, config.DATA_DIR);
  const signingKey = parsePrivateKey(keys.tokenPrivateKey);
  const tokenPublicKey = parsePublicKey(keys.tokenPublicKey);
  if (!isMatchingKeyPair(signingKey, tokenPublicKey)) throw new Error('TOKEN_PRIVATE_KEY and TOKEN_PUBLIC_KEY are not one key pair');
  const database: DatabaseTarget = config.DATABASE_URL
    ? { kind: 'postgres', url: config.DATABASE_URL }
    : { kind: 'pglite', dataDir: join(config.DATA_DIR, 'pglite') };
  const { infra, close: closeInfra } = await openInfra({
    service: 'embedded',
    logger,
    tokenPublicKey,
    database,
    migrate: true,
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
  });

  const primary = createPrimaryDeps(infra, config, reserveSeatInArea, signingKey, listMapAreaRooms);
  const stopPruning = schedulePruning(infra, config.ENDED_SESSION_RETENTION_DAYS);
  const player = createPlayerDeps(infra, config);
  // In-process boards start empty at every start: filled from the database.
  await rebuildLeaderboardsIfEmpty(player);
  const social = createSocialDeps(infra, config);
  const stopSocialListeners = await startSocialListeners(social);
  await quietPm2Agent();
  const http = createServer();
  const game = createGameServer({
    http,
    logger,
    service: 'embedded',
    mapArea: createGameDeps(infra, config, options),
    ...(config.REDIS_URL
      ? { presence: new RedisPresence(config.REDIS_URL), driver: new RedisDriver(config.REDIS_URL) }
      : {}),
    httpOptions: { trustProxy: config.TRUST_PROXY, corsOrigins: config.CORS_ORIGINS },
    routes: (app) => {
      app.use(
        docsRouter('MMO backend API', [
          { name: 'primary', document: primaryOpenApiDocument() },
          { name: 'player', document: playerOpenApiDocument() },
          { name: 'social', document: socialOpenApiDocument() },
        ]),
      );
      app.use(createPrimaryRouter(primary));
      app.use(createPlayerRouter(player));
      app.use(createSocialRouter(social));
      const staticDir = config.CLIENT_DIST ?? clientDist;
      if (existsSync(staticDir)) app.use(express.static(staticDir));
    },
  });
  await listenGameServer(game, config.PORT);
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  return {
    http,
    port,
    infra,
    async close() {
      stopPruning();
      await game.gracefullyShutdown(false);
      await stopSocialListeners();
      await closeInfra();
    },
  };
}
