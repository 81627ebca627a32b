import type { ClientMessage } from '@mmo/shared';
import type { RoomMessageHandler } from './handler-context.js';

/** `report_chat`: a player reports an area line it received; the room keeps the lines around it. */
export const handleReportChat: RoomMessageHandler<typeof ClientMessage.reportChat> = (room, client, message) => {
  const occupant = room.occupant(client.sessionId);
  if (occupant) room.reportAreaLine(occupant, client, message.lineId, message.reason);
};
