export { gameConfigSchema, type GameConfig } from './config.js';
export { createGameServer, type GameServerOptions } from './game.server.js';
