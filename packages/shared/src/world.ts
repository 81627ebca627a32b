import { z } from 'zod';
import { monsterKindSchema, type MonsterKind } from './monsters.js';
import { MONSTER_KIND_DATA } from './monsters.data.js';
import { WORLD_AREAS } from './world-areas.data.js';

/** Identifiers of the map areas, which every service may name. */
export const AREA_IDS = ['town', 'field', 'dungeon'] as const;
export type AreaId = (typeof AREA_IDS)[number];

/** Tiles that block movement. */
export const BLOCKING_TILES = new Set(['#', '~']);
/** Tiles an area may have per side: game rooms send positions as one byte each (0-255). */
export const MAX_AREA_SIDE = 256;

const pointSchema = z.object({ x: z.number().int().min(0), y: z.number().int().min(0) });

export const portalSchema = pointSchema.extend({
  to: pointSchema.extend({ area: z.enum(AREA_IDS) }),
});
export type Portal = z.infer<typeof portalSchema>;

/**
 * A rectangle of tiles where `count` monsters of one kind live: they appear on its walkable
 * tiles, wander inside it and come back to it after a chase.
 */
export const spawnZoneSchema = z.object({
  id: z.string().regex(/^[a-z_]+$/),
  kind: z.string(),
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  count: z.number().int().positive(),
});
export type SpawnZone = z.infer<typeof spawnZoneSchema>;

export const areaSchema = z.object({
  id: z.enum(AREA_IDS),
  name: z.string().min(1),
  /** Players per instance; a full instance makes the matchmaker open another (layering). */
  capacity: z.number().int().positive(),
  tiles: z.array(z.string().regex(/^[#~.,]+$/, 'uses only # ~ . ,')).min(1),
  spawn: pointSchema,
  portals: z.array(portalSchema),
  /** Where monsters live; none for a safe area. */
  spawnZones: z.array(spawnZoneSchema).default([]),
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

/** The walkable tiles of a spawn zone, row by row. */
export function walkableTilesOf(area: Pick<Area, 'tiles' | 'width' | 'height'>, zone: Pick<SpawnZone, 'x' | 'y' | 'width' | 'height'>): Array<{ x: number; y: number }> {
  const tiles: Array<{ x: number; y: number }> = [];
  for (let y = zone.y; y < zone.y + zone.height; y += 1) {
    for (let x = zone.x; x < zone.x + zone.width; x += 1) if (isWalkable(area, x, y)) tiles.push({ x, y });
  }
  return tiles;
}

/** Monster kinds by id, parsed. Throws naming every bad kind and any id used twice. */
export function validateMonsterKinds(data: unknown): ReadonlyMap<string, MonsterKind> {
  const kinds = z.array(monsterKindSchema).parse(data);
  const byId = new Map<string, MonsterKind>();
  const problems: string[] = [];
  for (const kind of kinds) {
    if (byId.has(kind.id)) problems.push(`monster ${kind.id}: defined twice`);
    byId.set(kind.id, kind);
  }
  if (problems.length > 0) throw new Error(`Invalid monster data: ${problems.join('; ')}`);
  return byId;
}

/**
 * Parses and checks area data: every row as wide as the first, every area id once, spawns and
 * portals on walkable tiles, every portal leading to a walkable tile of an existing area that
 * is not itself a portal (which would bounce the player on). Spawn zones must lie inside their
 * area, hold at least as many walkable tiles as monsters, name a kind of `kinds` and keep
 * those monsters' aggro radius off the area's spawn and portal arrivals, so that a player who
 * arrives or comes back from death is never attacked on the spot. Throws naming every problem.
 */
export function validateWorld(data: unknown, kinds: ReadonlyMap<string, Pick<MonsterKind, 'aggroRadius'>> = loadMonsterKinds()): World {
  const areas = z.array(areaSchema).parse(data);
  const world = new Map<AreaId, Area>();
  const problems: string[] = [];
  for (const raw of areas) {
    const width = raw.tiles[0]?.length ?? 0;
    raw.tiles.forEach((row, y) => {
      if (row.length !== width) problems.push(`${raw.id}: row ${y} is ${row.length} tiles wide, not ${width}`);
    });
    if (width > MAX_AREA_SIDE || raw.tiles.length > MAX_AREA_SIDE) problems.push(`${raw.id}: larger than ${MAX_AREA_SIDE} tiles a side`);
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
  for (const area of world.values()) problems.push(...spawnZoneProblems(area, world, kinds));
  if (problems.length > 0) throw new Error(`Invalid world data: ${problems.join('; ')}`);
  return world;
}

function spawnZoneProblems(area: Area, world: World, kinds: ReadonlyMap<string, Pick<MonsterKind, 'aggroRadius'>>): string[] {
  const problems: string[] = [];
  const arrivals = [area.spawn, ...[...world.values()].flatMap((from) => from.portals.filter((p) => p.to.area === area.id).map((p) => p.to))];
  const ids = new Set<string>();
  for (const zone of area.spawnZones) {
    const where = `${area.id}: spawn zone ${zone.id}`;
    if (ids.has(zone.id)) problems.push(`${where} is defined twice`);
    ids.add(zone.id);
    if (zone.x + zone.width > area.width || zone.y + zone.height > area.height) problems.push(`${where} reaches outside the area`);
    const walkable = walkableTilesOf(area, zone).length;
    if (walkable < zone.count) problems.push(`${where} has ${walkable} walkable tiles for ${zone.count} monsters`);
    const kind = kinds.get(zone.kind);
    if (!kind) {
      problems.push(`${where} names an unknown monster kind ${zone.kind}`);
      continue;
    }
    for (const point of arrivals) {
      const dx = Math.max(zone.x - point.x, 0, point.x - (zone.x + zone.width - 1));
      const dy = Math.max(zone.y - point.y, 0, point.y - (zone.y + zone.height - 1));
      if (Math.max(dx, dy) <= kind.aggroRadius) problems.push(`${where} is within aggro radius of the arrival at ${point.x},${point.y}`);
    }
  }
  return problems;
}

/** The monster kinds as shipped, validated once on first use. */
let shippedKinds: ReadonlyMap<string, MonsterKind> | undefined;
export function loadMonsterKinds(): ReadonlyMap<string, MonsterKind> {
  shippedKinds ??= validateMonsterKinds(MONSTER_KIND_DATA);
  return shippedKinds;
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
