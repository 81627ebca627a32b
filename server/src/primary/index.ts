export { primaryConfigSchema, primarySettingsFields, primarySettingsSchema, type PrimarySettings } from './config.js';
export { createPrimaryApp, createPrimaryDeps, createPrimaryRouter, type PrimaryDeps } from './primary.app.js';
