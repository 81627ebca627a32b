import type { EventBus, OnlineDirectory, PrismaClient } from '@mmo/platform';
import { AREA_IDS, type AnnouncementRequest, type LiveView } from '@mmo/shared';

/** A map-area room as Colyseus's presence lists it. */
export interface GameRoomListing {
  roomId: string;
  processId: string | null;
  area: string;
  clients: number;
}

export interface LiveDeps {
  prisma: PrismaClient;
  online: OnlineDirectory;
  bus: EventBus;
  /** The map-area rooms of every game process (Colyseus's driver: Redis in the cluster). */
  listGameRooms(): Promise<GameRoomListing[]>;
}

/**
 * Who plays where: the rooms Colyseus lists, by area, each with the characters the online
 * directory places in it (with their accounts, to kick from there), and the game processes with their room and client counts. A
 * character whose room is not listed (a room just closing) is shown under an instance with its
 * room id and no process.
 */
export async function liveView(deps: LiveDeps): Promise<LiveView> {
  const [rooms, entries] = await Promise.all([deps.listGameRooms(), deps.online.list()]);
  // The account of each character, so that the view can kick it.
  const owners = new Map(
    (await deps.prisma.character.findMany({ where: { id: { in: entries.map((e) => e.characterId) } }, select: { id: true, accountId: true } })).map((c) => [c.id, c.accountId]),
  );
  const instances = new Map<string, LiveView['areas'][number]['instances'][number] & { area: string }>();
  for (const room of rooms) instances.set(room.roomId, { roomId: room.roomId, processId: room.processId, clients: room.clients, players: [], area: room.area });
  for (const entry of entries) {
    const instance = instances.get(entry.roomId) ?? { roomId: entry.roomId, processId: null, clients: 0, players: [], area: entry.area };
    instance.players.push({ characterId: entry.characterId, accountId: owners.get(entry.characterId) ?? null, name: entry.name });
    instances.set(entry.roomId, instance);
  }
  const areas = AREA_IDS.map((area) => ({
    area,
    instances: [...instances.values()]
      .filter((instance) => instance.area === area)
      .map(({ area: _area, ...instance }) => ({ ...instance, players: instance.players.sort((a, b) => a.name.localeCompare(b.name)) })),
  }));
  const processes = new Map<string, { processId: string; rooms: number; clients: number }>();
  for (const room of rooms) {
    if (!room.processId) continue;
    const process = processes.get(room.processId) ?? { processId: room.processId, rooms: 0, clients: 0 };
    process.rooms += 1;
    process.clients += room.clients;
    processes.set(room.processId, process);
  }
  return { areas, processes: [...processes.values()] };
}

/** A system line in the game chat of one area or every area, through the bus into the rooms. */
export async function announce(deps: Pick<LiveDeps, 'bus'>, request: AnnouncementRequest): Promise<void> {
  await deps.bus.publish('game.announcement', { area: request.area, text: request.text });
}
