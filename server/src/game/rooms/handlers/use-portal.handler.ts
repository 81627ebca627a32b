import type { ClientMessage } from '@mmo/shared';
import { requestPortal } from '../../world/input.js';
import type { RoomMessageHandler } from './handler-context.js';

/** `use_portal`: asks to take the portal underfoot; the tick answers with a transfer or `NOT_ON_PORTAL`. */
export const handleUsePortal: RoomMessageHandler<typeof ClientMessage.usePortal> = (room, client) => {
  requestPortal(room.sim, client.sessionId);
};
