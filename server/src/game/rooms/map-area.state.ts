import { schema, t, type SchemaType } from '@colyseus/schema';
import type { DropView, MapAreaView, MonsterView, PlayerView } from '@mmo/shared';

/**
 * A player as others see it. Tiles are whole numbers (one byte each: areas are at most
 * `MAX_AREA_SIDE` tiles a side, which `validateWorld` checks); the client interpolates between
 * them. A step changes one byte and a level fits one (`MAX_LEVEL`).
 */
export const PlayerState = schema(
  {
    name: t.string(),
    class: t.string(),
    level: t.uint8(),
    hp: t.uint16(),
    x: t.uint8(),
    y: t.uint8(),
  },
  'PlayerState',
);
export type PlayerState = SchemaType<typeof PlayerState>;

/** A monster as clients see it; a dead one stays in the map, out of every view, until it respawns. */
export const MonsterState = schema(
  {
    kind: t.string(),
    hp: t.uint16(),
    maxHp: t.uint16(),
    x: t.uint8(),
    y: t.uint8(),
  },
  'MonsterState',
);
export type MonsterState = SchemaType<typeof MonsterState>;

/** Something on the ground: an item stack, or gold when `itemId` is empty. */
export const DropState = schema(
  {
    itemId: t.string(),
    quantity: t.uint32(),
    x: t.uint8(),
    y: t.uint8(),
  },
  'DropState',
);
export type DropState = SchemaType<typeof DropState>;

/**
 * One map-area instance. `players` is view-filtered: a client receives only the players its
 * `StateView` holds (itself and those interest management put in range).
 */
export const MapAreaState = schema(
  {
    area: t.string(),
    players: t.map(PlayerState).view(),
    /** View-filtered like `players`: monsters and drops enter and leave views by distance. */
    monsters: t.map(MonsterState).view(),
    drops: t.map(DropState).view(),
  },
  'MapAreaState',
);
export type MapAreaState = SchemaType<typeof MapAreaState>;

// The client's view types (packages/shared) must describe what this schema sends: a field
// renamed or retyped here fails to compile until the shared contract follows.
export type PlayerStateSatisfiesView = PlayerState extends PlayerView ? true : never;
export type MonsterStateSatisfiesView = MonsterState extends MonsterView ? true : never;
export type DropStateSatisfiesView = DropState extends DropView ? true : never;
export type MapAreaStateSatisfiesView = MapAreaState extends MapAreaView ? true : never;
const stateMatchesView: [PlayerStateSatisfiesView, MonsterStateSatisfiesView, DropStateSatisfiesView, MapAreaStateSatisfiesView] = [true, true, true, true];
void stateMatchesView;
