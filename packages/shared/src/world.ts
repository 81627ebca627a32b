/**
 * Identifiers of the map areas. The area data (tiles, portals, spawns) is loaded by the game
 * servers; this list is what every service may name.
 */
export const AREA_IDS = ['town', 'field', 'dungeon'] as const;
export type AreaId = (typeof AREA_IDS)[number];

/** Where a new character appears. */
export const STARTING_POSITION = { area: 'town', x: 10, y: 10 } as const satisfies {
  area: AreaId;
  x: number;
  y: number;
};
