export { embeddedConfigSchema, type EmbeddedConfig } from './config.js';
export { startEmbedded, type RunningEmbedded } from './embedded.js';
