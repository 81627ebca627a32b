import type { ClientMessage } from '@mmo/shared';
import { queueAttack } from '../../world/combat.js';
import { roomError } from '../../room-errors.js';
import type { RoomMessageHandler } from './handler-context.js';

/** `attack`: checks the swing (alive, target, range, cooldown) and queues it for the next tick. */
export const handleAttack: RoomMessageHandler<typeof ClientMessage.attack> = (room, client, message) => {
  const occupant = room.occupant(client.sessionId);
  if (!occupant || occupant.phase !== 'playing') return;
  const result = queueAttack(room.combat, client.sessionId, message.targetId, room.now());
  if (!result.ok) room.sendError(client, roomError(result.code, result.message));
};
