import { loadWorld, validateWorld, WORLD_AREAS, type SpawnZone, type World } from '@mmo/shared';

/** Side of the benchmark's arena, in tiles. */
export const ARENA_SIZE = 96;

/** The arena's portal to the field and where the field's portal back lands (the shipped town's pair). */
export const ARENA_PORTAL = { x: 22, y: 8 } as const;
export const ARENA_ARRIVAL = { x: 21, y: 8 } as const;
/** The field's portal back to the town (arena) and where the arena's portal lands in the field. */
export const FIELD_PORTAL = { x: 1, y: 10 } as const;
export const FIELD_ARRIVAL = { x: 2, y: 10 } as const;

/** Cell size of the grid of spawn zones laid over the arena, in tiles. */
const ZONE_CELL = 8;

/**
 * The shipped world with the town replaced by an open arena of `size` × `size` tiles that
 * seats every bot: one crowded area, wider than the interest radius, so that interest
 * management has something to cut. New characters start in the town, so bots land here.
 * `monsters` field rats and wolves are spread over spawn zones covering the arena, none within
 * a few tiles of the spawn or a portal's arrival (as `validateWorld` requires). With `portals`,
 * the arena keeps the shipped town's portal to the field (whose portal leads back), for the
 * zone transfer scenario.
 */
export function arenaWorld(size: number, capacity: number, monsters = 0, portals = false): World {
  const shipped = loadWorld();
  const spawn = shipped.get('town')!.spawn;
  const wall = '#'.repeat(size);
  const floor = `#${'.'.repeat(size - 2)}#`;
  // Where players appear: the spawn and the arrivals of portals from elsewhere.
  const arrivals = [spawn, ...(portals ? [ARENA_PORTAL] : []), ...[...shipped.values()].flatMap((area) => area.portals.filter((portal) => portal.to.area === 'town').map((portal) => portal.to))];
  const cells: Array<{ x: number; y: number }> = [];
  for (let y = 2; y + ZONE_CELL < size - 1; y += ZONE_CELL) {
    for (let x = 2; x + ZONE_CELL < size - 1; x += ZONE_CELL) {
      const nearArrival = arrivals.some((at) => at.x >= x - 8 && at.x < x + ZONE_CELL + 8 && at.y >= y - 8 && at.y < y + ZONE_CELL + 8);
      if (!nearArrival) cells.push({ x, y });
    }
  }
  const zones: SpawnZone[] = [];
  if (monsters > 0) {
    cells.forEach((cell, index) => {
      const count = Math.floor(monsters / cells.length) + (index < monsters % cells.length ? 1 : 0);
      if (count > 0) zones.push({ id: `zone_${String.fromCharCode(97 + (index % 26))}_${String.fromCharCode(97 + Math.floor(index / 26))}`, kind: index % 3 === 0 ? 'wolf' : 'field_rat', ...cell, width: ZONE_CELL, height: ZONE_CELL, count });
    });
  }
  const areas = WORLD_AREAS.map((area) =>
    area.id === 'town'
      ? { ...area, capacity, tiles: [wall, ...Array<string>(size - 2).fill(floor), wall], spawn, portals: portals ? area.portals : [], spawnZones: zones }
      : area,
  );
  return validateWorld(areas);
}
