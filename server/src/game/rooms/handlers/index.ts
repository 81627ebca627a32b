import { ClientMessage, type ClientMessageName } from '@mmo/shared';
import { handleAttack } from './attack.handler.js';
import { handleChat } from './chat.handler.js';
import type { RoomMessageHandler } from './handler-context.js';
import { handleMove } from './move.handler.js';
import { handleReportChat } from './report-chat.handler.js';
import { handlePickup } from './pickup.handler.js';
import { handleUse } from './use.handler.js';
import { handleUsePortal } from './use-portal.handler.js';

export type { HandlerContext, RoomMessageHandler } from './handler-context.js';

/**
 * One handler per client message of the shared table. Typed over every name, so a message added
 * to `ClientMessage` without a handler here fails to compile.
 */
export const messageHandlers: { [K in ClientMessageName]: RoomMessageHandler<K> } = {
  [ClientMessage.move]: handleMove,
  [ClientMessage.chat]: handleChat,
  [ClientMessage.usePortal]: handleUsePortal,
  [ClientMessage.reportChat]: handleReportChat,
  [ClientMessage.attack]: handleAttack,
  [ClientMessage.pickup]: handlePickup,
  [ClientMessage.use]: handleUse,
};
