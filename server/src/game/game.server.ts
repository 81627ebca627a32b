import type { Server as HttpServer } from 'node:http';
import { matchMaker, Server, type Presence } from '@colyseus/core';
import { Encoder } from '@colyseus/schema';
import { credentialedCorsHeaders, finishHttpApp, normalizeOrigin, useHttpDefaults, type Logger, type ServiceHttpOptions } from '@mmo/platform';
import { MAP_AREA_ROOM, type Health, type World } from '@mmo/shared';
import type { Application } from 'express';
import { WebSocket as NodeWebSocket } from 'ws';
import { SlicedHeartbeatTransport } from './heartbeat.js';
import { selectLeastLoadedProcess } from './placement.js';
import type { MapAreaDeps } from './rooms/map-area.deps.js';
import { createMapAreaRoom } from './rooms/map-area.room.js';

export interface GameServerOptions {
  /** The HTTP server to share; Colyseus adds its WebSocket upgrade and matchmaking routes. */
  http: HttpServer;
  logger: Logger;
  /** `RedisPresence` and `RedisDriver` in the cluster; Colyseus's local ones without. */
  presence?: Presence;
  driver?: matchMaker.MatchMakerDriver;
  publicAddress?: string;
  /** What the map-area rooms need. */
  mapArea: MapAreaDeps;
  /** The name `/health` reports; embedded mode says it is every service. */
  service?: string;
  /** The proxy the process trusts and the origins it lets in (`CORS_ORIGINS`). */
  httpOptions?: ServiceHttpOptions;
  /** More routes on the same Express app (embedded mode mounts every service here). */
  routes?: (app: Application) => void;
}

/**
 * Colyseus 0.18 reads `WebSocket.OPEN` from the global scope when a dropped client
 * reconnects. Node has that global from version 22 (which Colyseus 0.18 declares); on Node 20
 * every reconnection would fail with "WebSocket is not defined". The `ws` class that Colyseus's
 * transport already uses has the same constants.
 */
function provideWebSocketGlobal(): void {
  const scope = globalThis as { WebSocket?: unknown };
  scope.WebSocket ??= NodeWebSocket;
}

/**
 * Colyseus answers every request of the process before Express does, with CORS headers that
 * reflect any origin with credentials, and answers every preflight (`OPTIONS`) itself. Its
 * hook is replaced by the allowlist, so that `/matchmake` and every route of the shared app
 * (embedded mode) follow `CORS_ORIGINS`; Express's CORS middleware then sets the final ones.
 * Colyseus keeps this in module state, as it does the matchmaker: one policy per process.
 */
function restrictColyseusCors(origins: readonly string[]): void {
  const allowed = new Set(origins.map(normalizeOrigin));
  (matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string> }).DEFAULT_CORS_HEADERS = { Vary: 'Origin' };
  matchMaker.controller.getCorsHeaders = (headers: Headers) =>
    credentialedCorsHeaders(headers.get('origin'), allowed, headers.has('access-control-request-method'));
}

/** Bytes of a player and of a monster or drop in a full encode, generously (names of 16 characters, every field set). */
const FULL_PLAYER_BYTES = 64;
const FULL_THING_BYTES = 40;

/**
 * Sizes the schema encoder's buffer (one per room, module state of `@colyseus/schema`) for the
 * fullest instance of the world: every seat taken, every monster alive and as many drops. The
 * encoder grows a buffer that overflows, but only after a failed first try and with a notice;
 * sized ahead, the first full encode of a crowded room just fits.
 */
function sizeEncoderBuffer(world: World): void {
  let largest = 0;
  for (const area of world.values()) {
    const monsters = area.spawnZones.reduce((sum, zone) => sum + zone.count, 0);
    largest = Math.max(largest, area.capacity * FULL_PLAYER_BYTES + monsters * 2 * FULL_THING_BYTES);
  }
  const size = Math.ceil((largest + 1024) / 1024) * 1024;
  if (size > Encoder.BUFFER_SIZE) Encoder.BUFFER_SIZE = size;
}

/**
 * A Colyseus game process hosting map-area rooms. Colyseus (presence, driver) records which
 * process hosts which room; new rooms go to the least loaded process.
 *
 * Colyseus keeps its matchmaker in module state, so there is one game server per process.
 */
export function createGameServer(options: GameServerOptions): Server {
  provideWebSocketGlobal();
  sizeEncoderBuffer(options.mapArea.world);
  const httpOptions: ServiceHttpOptions = options.httpOptions ?? { trustProxy: 'loopback' };
  restrictColyseusCors(httpOptions.corsOrigins ?? []);
  const server = new Server({
    // Colyseus's transport, its heartbeat's pings spread over the interval (see heartbeat.ts).
    transport: new SlicedHeartbeatTransport({ server: options.http }),
    ...(options.presence ? { presence: options.presence } : {}),
    ...(options.driver ? { driver: options.driver } : {}),
    ...(options.publicAddress ? { publicAddress: options.publicAddress } : {}),
    selectProcessIdToCreateRoom: selectLeastLoadedProcess,
    logger: options.logger,
    greet: false,
    // The composition root owns the signals, so that it can save and close in order.
    gracefullyShutdown: false,
    express: (app) => {
      useHttpDefaults(app, { ...httpOptions, logger: options.logger });
      app.get('/health', (_req, res) => {
        const body: Health = { service: options.service ?? 'game', status: 'ok' };
        res.json(body);
      });
      options.routes?.(app);
      finishHttpApp(app, options.logger);
    },
  });
  server.define(MAP_AREA_ROOM, createMapAreaRoom(options.mapArea)).filterBy(['area']);
  return server;
}

/**
 * Starts the game server and lists its process for room creation at once. Colyseus lists a
 * process (its `roomcount` entry, which `selectLeastLoadedProcess` reads) as it starts
 * accepting, but writes that entry at most once a second per module: a game server started
 * again in the same Node process within a second of the last one's activity (the game test
 * suites do; so would a process restarting its server in place) stayed unlisted until the
 * deferred write a second later, and every enter world meanwhile answered 503.
 */
export async function listenGameServer(server: Server, port: number): Promise<void> {
  await server.listen(port);
  await matchMaker.stats.persist(true);
}
