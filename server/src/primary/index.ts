export { primaryConfigSchema, primarySettingsFields, primarySettingsSchema, type PrimarySettings } from './config.js';
export { createPrimaryApp, createPrimaryDeps, createPrimaryRouter, primaryOpenApiDocument, primaryRoutes, type PrimaryDeps } from './primary.app.js';
export { PasswordHasher } from './features/auth/password.js';
export { schedulePruning } from './features/auth/session.service.js';
