import { loadWorld, validateWorld, WORLD_AREAS, type World } from '@mmo/shared';

/**
 * The shipped world with the town replaced by an open arena of `size` × `size` tiles that
 * seats every bot: one crowded area, wider than the interest radius, so that interest
 * management has something to cut. New characters start in the town, so bots land here.
 */
export function arenaWorld(size: number, capacity: number): World {
  const shipped = loadWorld();
  const wall = '#'.repeat(size);
  const floor = `#${'.'.repeat(size - 2)}#`;
  const areas = WORLD_AREAS.map((area) =>
    area.id === 'town'
      ? { ...area, capacity, tiles: [wall, ...Array<string>(size - 2).fill(floor), wall], spawn: shipped.get('town')!.spawn, portals: [] }
      : area,
  );
  return validateWorld(areas);
}
