export { playerConfigSchema, playerSettingsFields, playerSettingsSchema, type PlayerSettings } from './config.js';
export { createPlayerApp, createPlayerDeps, createPlayerRouter, playerOpenApiDocument, playerRoutes, type PlayerDeps } from './player.app.js';
export { forgetCharacter, rebuildLeaderboards, rebuildLeaderboardsIfEmpty, recordCharacter } from './features/leaderboards/leaderboard.service.js';
export { giveStarterItems } from './features/inventory/inventory.service.js';
