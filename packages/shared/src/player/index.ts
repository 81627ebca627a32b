export * from './items.js';
export * from './sheet.js';
export * from './inventory.js';
export * from './leaderboards.js';
export * from './public.js';
