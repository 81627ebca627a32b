import { schema, t, type SchemaType } from '@colyseus/schema';

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
