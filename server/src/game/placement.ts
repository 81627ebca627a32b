import { initializeRoomCache, matchMaker, type Room } from '@colyseus/core';
import { DomainError } from '@mmo/platform';
import { z } from 'zod';
import { ErrorCode, MAP_AREA_ROOM, seatReservationSchema, type AreaId, type SeatReservation } from '@mmo/shared';

/**
 * Who a seat is for; becomes `client.auth` in the room, which parses it with this schema.
 * `loginSessionId` lets a revocation end the connection; it is not called `sessionId` because
 * Colyseus would take that as the connection's own session id.
 */
export const seatHolderSchema = z.object({
  accountId: z.uuid(),
  loginSessionId: z.uuid(),
  characterId: z.uuid(),
  /**
   * Set by a room that sends the character on through a portal: its own holder record of the
   * character (`character-claims.ts`), which it released, with the exit saved, before the
   * client got this seat. The joining room then skips asking it to let go and loading again
   * (`Occupancy.admit`). Seat auth data is written by servers only; a client cannot set it.
   */
  handover: z.object({ generation: z.number().int(), roomId: z.string().min(1), sessionId: z.string().min(1) }).optional(),
});
export type SeatHolder = z.infer<typeof seatHolderSchema>;

/**
 * The map-area instances this process hosts, by area. A transfer into an area that has one here
 * with a seat free reserves it directly (`reserveSeatInArea`): the seat is then one call on the
 * room and one write of its listing, without first reading every listing of the cluster from
 * the driver (on Redis, a round trip on the path of every portal hop).
 */
export class LocalInstances {
  private readonly byArea = new Map<AreaId, Set<Room>>();

  /** Called by a room once it is created. */
  add(area: AreaId, room: Room): void {
    const rooms = this.byArea.get(area) ?? new Set<Room>();
    rooms.add(room);
    this.byArea.set(area, rooms);
  }

  /** Called by a room as it is disposed. */
  delete(area: AreaId, room: Room): void {
    this.byArea.get(area)?.delete(room);
  }

  /**
   * An instance of `area` here that takes players now: unlocked, with a seat free, and someone in
   * it. An empty one may be disposing already (Colyseus disposes a room as its last client
   * leaves, before it runs `onDispose`); those are left to the driver, as before.
   */
  withFreeSeat(area: AreaId): Room | undefined {
    for (const room of this.byArea.get(area) ?? []) if (!room.locked && room.clients.length > 0 && !room.hasReachedMaxClients()) return room;
    return undefined;
  }
}

/**
 * Reserves a seat in an instance of `area` with room to spare, creating an instance when every
 * one is full (layering). An instance on this process (`local`, given by game processes) is
 * tried first; otherwise Colyseus's driver finds one, on any process, and a new one is created on
 * the process that `selectLeastLoadedProcess` picks. The holder was authorised by the caller (the
 * primary's enter world, a room's transfer), so the room's `onAuth`, which refuses clients that
 * try to matchmake by themselves, is not consulted.
 */
export async function reserveSeatInArea(area: AreaId, holder: SeatHolder, local?: LocalInstances): Promise<SeatReservation> {
  const here = local?.withFreeSeat(area);
  if (here) {
    // Colyseus reserves in a room of its own process with a direct call; a room that filled
    // meanwhile refuses, and the driver is asked as usual.
    // The seat names what a listing from the driver would: the room, its process and address.
    const listing = initializeRoomCache({ name: here.roomName, roomId: here.roomId, processId: matchMaker.processId, publicAddress: matchMaker.publicAddress });
    const reservation = await matchMaker.reserveSeatFor(listing, { characterId: holder.characterId }, holder).catch(() => null);
    if (reservation) return seatReservationSchema.parse(reservation);
  }
  let lastError: unknown;
  // A seat can be taken between finding an instance and reserving in it; try again then.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const room = await findOrCreateInstance(area);
      const reservation = await matchMaker.reserveSeatFor(room, { characterId: holder.characterId }, holder);
      return seatReservationSchema.parse(reservation);
    } catch (error) {
      lastError = error;
    }
  }
  throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'No game server could take the character right now.', { cause: lastError });
}

/**
 * The listing, unless it names a room of this process that is gone. Colyseus disposes a room by
 * removing its listing from the driver (not awaited) and then dropping the room, so a query may
 * still return the listing of a room this process no longer has (the last player left the
 * instance a moment ago). A seat request sent there goes out over presence to nobody and fails
 * only when Colyseus's 2 s timeout runs out: a transfer took 2,019 ms that way in the benchmark.
 * Such a listing counts as no instance. (A gone room on another process cannot be told apart
 * here; that request still waits for the timeout.)
 */
function answering<T extends { processId: string; roomId: string }>(listing: T | undefined): T | undefined {
  if (!listing || listing.processId !== matchMaker.processId) return listing;
  return matchMaker.getLocalRoomById(listing.roomId) ? listing : undefined;
}

/** How long a creation lock lives if its holder dies before releasing it. */
const CREATION_LOCK_SECONDS = 5;

/**
 * An instance of `area` with a free seat, created if there is none. Creation takes a lock per
 * area in presence (on Redis, across processes), so that many players arriving at once into
 * an area whose instances are full open one new instance, not one each; the others wait for it.
 */
async function findOrCreateInstance(area: AreaId) {
  const lock = `mmo:create-lock:${area}`;
  const started = Date.now();
  for (;;) {
    const available = answering(await matchMaker.findOneRoomAvailable(MAP_AREA_ROOM, { area }));
    if (available) return available;
    // Waiters only look, so that their polling does not keep a dead holder's lock alive.
    const held = (await matchMaker.presence.hget(lock, 'holders')) !== null;
    if (!held && (await matchMaker.presence.hincrbyex(lock, 'holders', 1, CREATION_LOCK_SECONDS)) === 1) {
      try {
        // Another holder may have created one between our look and our lock.
        return answering(await matchMaker.findOneRoomAvailable(MAP_AREA_ROOM, { area })) ?? (await matchMaker.createRoom(MAP_AREA_ROOM, { area }));
      } finally {
        await matchMaker.presence.hdel(lock, 'holders');
      }
    }
    // A holder that died leaves the lock to expire; do not wait for it forever.
    if (Date.now() - started > CREATION_LOCK_SECONDS * 1000) return matchMaker.createRoom(MAP_AREA_ROOM, { area });
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
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

/**
 * The map-area rooms of every game process, as Colyseus's driver lists them (Redis in the
 * cluster): for the moderators' live view. `area` is the room's filter option, which
 * Colyseus keeps in the listing's metadata.
 */
export async function listMapAreaRooms(): Promise<{ roomId: string; processId: string | null; area: string; clients: number }[]> {
  const rooms = await matchMaker.query({ name: MAP_AREA_ROOM });
  return rooms.map((room) => {
    const area = (room.metadata as { area?: unknown } | undefined)?.area;
    return { roomId: room.roomId, processId: room.processId ?? null, area: typeof area === 'string' ? area : 'unknown', clients: room.clients };
  });
}
