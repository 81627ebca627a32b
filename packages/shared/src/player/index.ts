export * from './items.js';
export * from './sheet.js';
