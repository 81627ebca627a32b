import { schema, t, type SchemaType } from '@colyseus/schema';
import type { MapAreaView, PlayerView } from '@mmo/shared';

/** A player as others see it. Tiles are whole numbers; the client interpolates between them. */
export const PlayerState = schema(
  {
    name: t.string(),
    class: t.string(),
    level: t.uint16(),
    hp: t.uint16(),
    x: t.uint16(),
    y: t.uint16(),
  },
  'PlayerState',
);
export type PlayerState = SchemaType<typeof PlayerState>;

/**
 * One map-area instance. `players` is view-filtered: a client receives only the players its
 * `StateView` holds (itself and those interest management put in range).
 */
export const MapAreaState = schema(
  {
    area: t.string(),
    players: t.map(PlayerState).view(),
  },
  'MapAreaState',
);
export type MapAreaState = SchemaType<typeof MapAreaState>;

// The client's view types (packages/shared) must describe what this schema sends: a field
// renamed or retyped here fails to compile until the shared contract follows.
export type PlayerStateSatisfiesView = PlayerState extends PlayerView ? true : never;
export type MapAreaStateSatisfiesView = MapAreaState extends MapAreaView ? true : never;
const stateMatchesView: [PlayerStateSatisfiesView, MapAreaStateSatisfiesView] = [true, true];
void stateMatchesView;
