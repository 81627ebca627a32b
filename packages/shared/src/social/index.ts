export * from './common.js';
export * from './friends.js';
export * from './guilds.js';
export * from './messages.js';
export * from './notify.js';
export * from './parties.js';
export * from './groups.js';
