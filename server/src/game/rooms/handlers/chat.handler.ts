import type { ClientMessage } from '@mmo/shared';
import { acceptChatLine } from '../../world/chat.js';
import { roomError } from '../../room-errors.js';
import type { RoomMessageHandler } from './handler-context.js';

/** `chat`: area lines go to this instance; party and guild lines to the social API, which fans them out. */
export const handleChat: RoomMessageHandler<typeof ClientMessage.chat> = (room, client, message) => {
  const occupant = room.occupant(client.sessionId);
  if (!occupant) return;
  const verdict = acceptChatLine(message.text, occupant.chatTimes, room.now());
  if (!verdict.ok) {
    room.sendError(client, roomError(verdict.code, verdict.message));
    return;
  }
  const channel = message.channel ?? 'area';
  if (channel !== 'area') {
    room.relayChat(occupant, channel, verdict.text);
    return;
  }
  room.broadcastChat({ from: occupant.character.name, text: room.cleanText(verdict.text), channel: 'area' });
};
