import { MOVE_INTENTS_PER_SECOND, type ClientMessage } from '@mmo/shared';
import { isPlayerDead } from '../../world/combat-world.js';
import { submitIntent } from '../../world/input.js';
import { allowAction } from '../../world/throttle.js';
import type { RoomMessageHandler } from './handler-context.js';

/**
 * `move`: queues the intent for the next tick, except a step onto a portal already earned, which
 * is taken at once so that the transfer starts without waiting for the tick (`submitIntent`).
 * Intents beyond the rate are ignored: the latest allowed one stands. A dead player stays where
 * it fell until it respawns.
 */
export const handleMove: RoomMessageHandler<typeof ClientMessage.move> = (room, client, message) => {
  const occupant = room.occupant(client.sessionId);
  if (occupant && !isPlayerDead(occupant.fighter) && allowAction(occupant.moveTimes, room.now(), MOVE_INTENTS_PER_SECOND, 1000)) {
    room.applySimEvents(submitIntent(room.sim, client.sessionId, message, room.now()));
  }
};
