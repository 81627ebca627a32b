export * from './auth.js';
export * from './bus-events.js';
export * from './characters.js';
export * from './errors.js';
export * from './http.js';
export * from './world.js';
