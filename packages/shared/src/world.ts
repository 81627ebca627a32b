import { z } from 'zod';
import { WORLD_AREAS } from './world-areas.data.js';

/** Identifiers of the map areas, which every service may name. */
export const AREA_IDS = ['town', 'field', 'dungeon'] as const;
export type AreaId = (typeof AREA_IDS)[number];

/** Tiles that block movement. */
export const BLOCKING_TILES = new Set(['#', '~']);

const pointSchema = z.object({ x: z.number().int().min(0), y: z.number().int().min(0) });

export const portalSchema = pointSchema.extend({
  to: pointSchema.extend({ area: z.enum(AREA_IDS) }),
});
export type Portal = z.infer<typeof portalSchema>;

export const areaSchema = z.object({
  id: z.enum(AREA_IDS),
  name: z.string().min(1),
  /** Players per instance; a full instance makes the matchmaker open another (layering). */
  capacity: z.number().int().positive(),
  tiles: z.array(z.string().regex(/^[#~.,]+$/, 'uses only # ~ . ,')).min(1),
  spawn: pointSchema,
  portals: z.array(portalSchema),
});
export type AreaData = z.infer<typeof areaSchema>;

/** One area, parsed and indexed for fast tile lookups. */
export interface Area extends AreaData {
  width: number;
  height: number;
}

/** The whole world: every area by id. */
export type World = ReadonlyMap<AreaId, Area>;

/** Whether a tile can be stood on: inside the area and not blocking. */
export function isWalkable(area: Pick<Area, 'tiles' | 'width' | 'height'>, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= area.width || y >= area.height) return false;
  const tile = area.tiles[y]?.[x];
  return tile !== undefined && !BLOCKING_TILES.has(tile);
}

/** The portal on a tile, if any. */
export function portalAt(area: Pick<Area, 'portals'>, x: number, y: number): Portal | undefined {
  return area.portals.find((portal) => portal.x === x && portal.y === y);
}

/**
 * Parses and checks area data: every row as wide as the first, every area id once, spawns and
 * portals on walkable tiles, every portal leading to a walkable tile of an existing area that
 * is not itself a portal (which would bounce the player on). Throws naming every problem.
 */
export function validateWorld(data: unknown): World {
  const areas = z.array(areaSchema).parse(data);
  const world = new Map<AreaId, Area>();
  const problems: string[] = [];
  for (const raw of areas) {
    const width = raw.tiles[0]?.length ?? 0;
    raw.tiles.forEach((row, y) => {
      if (row.length !== width) problems.push(`${raw.id}: row ${y} is ${row.length} tiles wide, not ${width}`);
    });
    if (world.has(raw.id)) problems.push(`${raw.id}: defined twice`);
    world.set(raw.id, { ...raw, width, height: raw.tiles.length });
  }
  for (const id of AREA_IDS) if (!world.has(id)) problems.push(`${id}: missing`);
  for (const area of world.values()) {
    if (!isWalkable(area, area.spawn.x, area.spawn.y)) problems.push(`${area.id}: spawn is not walkable`);
    for (const portal of area.portals) {
      const where = `${area.id}: portal at ${portal.x},${portal.y}`;
      if (!isWalkable(area, portal.x, portal.y)) problems.push(`${where} is not walkable`);
      const target = world.get(portal.to.area);
      if (!target) continue;
      if (!isWalkable(target, portal.to.x, portal.to.y)) problems.push(`${where} leads to a tile that is not walkable`);
      if (portalAt(target, portal.to.x, portal.to.y)) problems.push(`${where} leads onto another portal`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid world data: ${problems.join('; ')}`);
  return world;
}

/** The world as shipped, validated once on first use. */
let shipped: World | undefined;
export function loadWorld(): World {
  shipped ??= validateWorld(WORLD_AREAS);
  return shipped;
}

/** Where a new character appears: the town's spawn. */
export const STARTING_POSITION = { area: 'town', x: 10, y: 10 } as const satisfies {
  area: AreaId;
  x: number;
  y: number;
};
