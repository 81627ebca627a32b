import type { ClientMessage } from '@mmo/shared';
import { isPlayerDead } from '../../world/combat-world.js';
import { requestPortal } from '../../world/input.js';
import type { RoomMessageHandler } from './handler-context.js';

/** `use_portal`: asks to take the portal underfoot; the tick answers with a transfer or `NOT_ON_PORTAL`. */
export const handleUsePortal: RoomMessageHandler<typeof ClientMessage.usePortal> = (room, client) => {
  // The dead take no portal (and a body left on one does not take it either).
  const occupant = room.occupant(client.sessionId);
  if (!occupant || isPlayerDead(occupant.fighter)) return;
  requestPortal(room.sim, client.sessionId);
};
