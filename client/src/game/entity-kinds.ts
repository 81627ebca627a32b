import { characterClassOf, maxHitPoints, MOVE_SPEED, type MapAreaView, type PlayerView, type SyncedMap } from '@mmo/shared';

/** What the scene needs to draw one entity of a state collection. */
export interface EntityLook {
  x: number;
  y: number;
  texture: string;
  label: string;
  /** Hit points now and at most; no bar when absent. */
  hp?: { now: number; max: number };
  /** Tiles per second the entity walks at: remote sprites glide between tiles at this pace. */
  speed: number;
  /** The name a click on it selects (players: for invites and messages). */
  selectable?: string;
}

/**
 * One collection of the room state the scene draws (`players` today; `monsters` and `drops`
 * when the room adds them: one more entry here, no new drawing code).
 */
export interface EntityKind<E> {
  collection: string;
  entities(state: MapAreaView): SyncedMap<E> | undefined;
  look(entity: E): EntityLook;
}

const playerKind: EntityKind<PlayerView> = {
  collection: 'players',
  entities: (state) => state.players,
  look: (player) => {
    const characterClass = characterClassOf(player.class) ?? 'warrior';
    return {
      x: player.x,
      y: player.y,
      texture: `player-${characterClass}`,
      label: `${player.name} · ${player.level}`,
      hp: { now: player.hp, max: maxHitPoints(characterClass, player.level) },
      speed: MOVE_SPEED[characterClass],
      selectable: player.name,
    };
  },
};

/** Every kind of entity the scene draws, in drawing order (later ones on top). */
export const ENTITY_KINDS: readonly EntityKind<never>[] = [playerKind as EntityKind<never>];
