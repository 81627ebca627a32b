export { socialConfigSchema, socialSettingsFields, socialSettingsSchema, type SocialSettings } from './config.js';
export { createSocialApp, createSocialRouter, socialOpenApiDocument, socialRoutes } from './social.app.js';
export { createSocialDeps, type SocialDeps } from './social.deps.js';
export { startSocialListeners } from './social.listeners.js';
