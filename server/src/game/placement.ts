import { matchMaker } from '@colyseus/core';
import { DomainError } from '@mmo/platform';
import { ErrorCode, MAP_AREA_ROOM, seatReservationSchema, type AreaId, type SeatReservation } from '@mmo/shared';

/** Who a seat is for; becomes `client.auth` in the room. */
export interface SeatHolder {
  accountId: string;
  /**
   * The login session, so that its revocation can end the connection. Not `sessionId`:
   * Colyseus would take that as the connection's own session id.
   */
  loginSessionId: string;
  characterId: string;
}

/**
 * Reserves a seat in an instance of `area` with room to spare, creating an instance when every
 * one is full (layering). Colyseus's driver finds the instance, on any process; a new one is
 * created on the process that `selectLeastLoadedProcess` picks. The holder was authorised by
 * the caller (the primary's enter world, a room's transfer), so the room's `onAuth`, which
 * refuses clients that try to matchmake by themselves, is not consulted.
 */
export async function reserveSeatInArea(area: AreaId, holder: SeatHolder): Promise<SeatReservation> {
  let lastError: unknown;
  // A seat can be taken between finding an instance and reserving in it; try again then.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const room = (await matchMaker.findOneRoomAvailable(MAP_AREA_ROOM, { area })) ?? (await matchMaker.createRoom(MAP_AREA_ROOM, { area }));
      const reservation = await matchMaker.reserveSeatFor(room, { characterId: holder.characterId }, holder);
      return seatReservationSchema.parse(reservation);
    } catch (error) {
      lastError = error;
    }
  }
  throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'No game server could take the character right now.', { cause: lastError });
}

/**
 * Colyseus's hook for where a new room goes: the game process with the fewest players, then
 * the fewest rooms. A process that only matchmakes (the primary) never registers its stats,
 * so it is never chosen; with no game process at all, creation fails.
 */
export async function selectLeastLoadedProcess(): Promise<string> {
  const processes = await matchMaker.stats.fetchAll();
  const [best] = processes.sort((a, b) => a.ccu - b.ccu || a.roomCount - b.roomCount);
  if (!best) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'No game server is running.');
  return best.processId;
}
