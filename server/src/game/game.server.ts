import type { Server as HttpServer } from 'node:http';
import { Server, type matchMaker, type Presence } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { finishHttpApp, type Logger } from '@mmo/platform';
import type { Health } from '@mmo/shared';
import type { Application } from 'express';

export interface GameServerOptions {
  /** The HTTP server to share; Colyseus adds its WebSocket upgrade and matchmaking routes. */
  http: HttpServer;
  logger: Logger;
  /** `RedisPresence` and `RedisDriver` in the cluster; Colyseus's local ones without. */
  presence?: Presence;
  driver?: matchMaker.MatchMakerDriver;
  publicAddress?: string;
  /** The name `/health` reports; embedded mode says it is every service. */
  service?: string;
  /** More routes on the same Express app (embedded mode mounts every service here). */
  routes?: (app: Application) => void;
}

/**
 * A Colyseus game process. Map-area rooms are registered here as the game arrives; Colyseus
 * itself (presence, driver) decides which process hosts which room.
 *
 * Colyseus keeps its matchmaker in module state, so there is one game server per process.
 */
export function createGameServer(options: GameServerOptions): Server {
  return new Server({
    transport: new WebSocketTransport({ server: options.http }),
    ...(options.presence ? { presence: options.presence } : {}),
    ...(options.driver ? { driver: options.driver } : {}),
    ...(options.publicAddress ? { publicAddress: options.publicAddress } : {}),
    logger: options.logger,
    greet: false,
    // The composition root owns the signals, so that it can save and close in order.
    gracefullyShutdown: false,
    express: (app) => {
      app.get('/health', (_req, res) => {
        const body: Health = { service: options.service ?? 'game', status: 'ok' };
        res.json(body);
      });
      options.routes?.(app);
      finishHttpApp(app, options.logger);
    },
  });
}
