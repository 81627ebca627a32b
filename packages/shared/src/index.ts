export * from './auth.js';
export * from './bus-events.js';
export * from './characters.js';
export * from './errors.js';
export * from './game.js';
export * from './http.js';
export * from './world.js';
export { WORLD_AREAS } from './world-areas.data.js';
export * from './social/index.js';
