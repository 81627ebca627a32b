import { ErrorCode, STORE_ACTIONS_PER_SECOND, type ClientMessage } from '@mmo/shared';
import { drinkPotion } from '../../world/progression.js';
import { allowAction } from '../../world/throttle.js';
import { roomError } from '../../room-errors.js';
import type { RoomMessageHandler } from './handler-context.js';

/**
 * `use`: drinks the potion in an inventory slot. The slot is read and emptied under the
 * inventory lock (`useItem`); the potion's rules (alive, cooldown) are checked inside it, so a
 * refusal leaves the slot untouched. The next tick reports the heal.
 */
export const handleUse: RoomMessageHandler<typeof ClientMessage.use> = (room, client, message) => {
  const occupant = room.occupant(client.sessionId);
  if (!occupant || occupant.phase !== 'playing') return;
  if (!allowAction(occupant.storeTimes, room.now(), STORE_ACTIONS_PER_SECOND, 1000)) {
    room.sendError(client, roomError(ErrorCode.RATE_LIMITED, 'Too many actions; slow down.'));
    return;
  }
  const work = room.progress
    .useItem(occupant.character.id, message.slot, (itemId) => drinkPotion(room.combat, client.sessionId, itemId, room.now()))
    .then((result) => {
      if (!result.ok) room.sendError(client, roomError(result.code, result.message));
      else occupant.dirty = true;
    })
    .catch((error: unknown) => {
      room.sendError(client, roomError(ErrorCode.SERVICE_UNAVAILABLE, 'Could not use that; try again.'));
      throw error;
    });
  room.background(work, 'use');
};
