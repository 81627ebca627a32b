export { socialConfigSchema } from './config.js';
export { createSocialApp, createSocialDeps, createSocialRouter, type SocialDeps } from './social.app.js';
