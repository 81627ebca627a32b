export { CharacterGoneError, InMemoryCharacterStore, PrismaCharacterStore, type CharacterStore } from './character.store.js';
export { GAME_NODE_FLAGS, gameConfigSchema, gameSettingsFields, gameSettingsSchema, type GameConfig, type GameSettings } from './config.js';
export { createGameDeps } from './game.deps.js';
export { createGameServer, listenGameServer, type GameServerOptions } from './game.server.js';
export { startStandaloneMatchmaker } from './matchmaker.js';
export { listMapAreaRooms, reserveSeatInArea, type SeatHolder } from './placement.js';
export { quietPm2Agent } from './pm2-agent.js';
export type { GameMetrics, MapAreaDeps } from './rooms/map-area.deps.js';
export { createMemoryProgressData, MemoryProgressStore, type MemoryCharacter, type MemoryProgressData } from './memory-progress.store.js';
export {
  addAllToInventory,
  isUsableItem,
  PrismaProgressStore,
  type GameProgress,
  type PickedItem,
  type PickUpResult,
  type ProgressStore,
  type SaveProgressResult,
  type StoredProgress,
  type UseItemCheck,
  type UseItemResult,
} from './progress.store.js';
