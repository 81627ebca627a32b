import { ClientMessage, type ClientMessageName } from '@mmo/shared';
import { handleChat } from './chat.handler.js';
import type { RoomMessageHandler } from './handler-context.js';
import { handleMove } from './move.handler.js';
import { handleReportChat } from './report-chat.handler.js';
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
};
