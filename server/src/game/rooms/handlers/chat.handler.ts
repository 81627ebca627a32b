import type { ClientMessage } from '@mmo/shared';
import { acceptChatLine } from '../../world/chat.js';
import { roomError } from '../../room-errors.js';
import type { RoomMessageHandler } from './handler-context.js';

/** `chat`: area lines go to this instance; party and guild lines to the social API, which fans them out. */
export const handleChat: RoomMessageHandler<typeof ClientMessage.chat> = (room, client, message) => {
  const occupant = room.occupant(client.sessionId);
  if (!occupant) return;
  // A muted account's lines on every channel answer MUTED with the mute's end.
  const muted = room.chatRefusal(occupant.holder.accountId);
  if (muted) {
    room.sendError(client, muted);
    return;
  }
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
  const text = room.cleanText(verdict.text);
  // The line's id lets a player report it (`report_chat`).
  room.broadcastChat({ from: occupant.character.name, text, channel: 'area', id: room.recordAreaLine(occupant, text) });
};
