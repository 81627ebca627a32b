import { ErrorCode, STORE_ACTIONS_PER_SECOND, type ClientMessage } from '@mmo/shared';
import { allowAction } from '../../world/throttle.js';
import { lootView } from '../../world/combat-view.js';
import { checkPickup, takeDrop } from '../../world/loot.js';
import { roomError } from '../../room-errors.js';
import type { RoomMessageHandler } from './handler-context.js';

/**
 * `pickup`: checks the drop (alive, in reach, free or ours), then saves it into the inventory
 * or purse at once (`pickUp`, under the inventory lock) and only then takes it off the ground.
 * A full inventory answers `INVENTORY_FULL` and leaves the drop.
 */
export const handlePickup: RoomMessageHandler<typeof ClientMessage.pickup> = (room, client, message) => {
  const occupant = room.occupant(client.sessionId);
  if (!occupant || occupant.phase !== 'playing') return;
  const { dropId } = message;
  const checked = room.pickingUp.has(dropId)
    ? ({ ok: false, code: ErrorCode.DROP_NOT_FOUND, message: 'There is nothing to pick up there.' } as const)
    : checkPickup(room.combat, client.sessionId, dropId, room.now());
  if (!checked.ok) {
    room.sendError(client, roomError(checked.code, checked.message));
    return;
  }
  const { drop } = checked;
  if (!allowAction(occupant.storeTimes, room.now(), STORE_ACTIONS_PER_SECOND, 1000)) {
    room.sendError(client, roomError(ErrorCode.RATE_LIMITED, 'Too many actions; slow down.'));
    return;
  }
  room.pickingUp.add(dropId);
  const items = drop.itemId === null ? [] : [{ itemId: drop.itemId, quantity: drop.quantity }];
  const gold = drop.itemId === null ? drop.quantity : 0;
  const work = room.progress
    .pickUp(occupant.character.id, items, gold)
    .then((result) => {
      if (!result.ok) {
        room.sendError(client, roomError(result.code, result.message));
        return;
      }
      takeDrop(room.combat, dropId, client.sessionId);
      room.sendCombat(client, [lootView(client.sessionId, drop)]);
    })
    .catch((error: unknown) => {
      room.sendError(client, roomError(ErrorCode.SERVICE_UNAVAILABLE, 'Could not pick that up; try again.'));
      throw error;
    })
    .finally(() => room.pickingUp.delete(dropId));
  room.background(work, 'pickup');
};
