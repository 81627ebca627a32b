import { characterClassOf, ITEMS, loadMonsterKinds, maxHitPoints, MOVE_SPEED, type DropView, type MapAreaView, type MonsterView, type PlayerView, type SyncedMap } from '@mmo/shared';

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

/** What a click on an entity of a kind does: hit it (monsters) or pick it up (drops). */
export type EntityAction = 'attack' | 'pickup';

/**
 * One collection of the room state the scene draws (`players` today; `monsters` and `drops`
 * when the room adds them: one more entry here, no new drawing code).
 */
export interface EntityKind<E> {
  collection: string;
  entities(state: MapAreaView): SyncedMap<E> | undefined;
  look(entity: E): EntityLook;
  action?: EntityAction;
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

const MONSTER_KINDS = loadMonsterKinds();

const monsterKind: EntityKind<MonsterView> = {
  collection: 'monsters',
  entities: (state) => state.monsters,
  action: 'attack',
  look: (monster) => {
    const kind = MONSTER_KINDS.get(monster.kind);
    return {
      x: monster.x,
      y: monster.y,
      texture: `monster-${monster.kind}`,
      label: `${kind?.name ?? monster.kind} · ${kind?.level ?? '?'}`,
      hp: { now: monster.hp, max: monster.maxHp },
      speed: kind?.speed ?? 3,
    };
  },
};

const dropKind: EntityKind<DropView> = {
  collection: 'drops',
  entities: (state) => state.drops,
  action: 'pickup',
  look: (drop) => ({
    x: drop.x,
    y: drop.y,
    texture: drop.itemId === '' ? 'drop-gold' : 'drop-item',
    label: drop.itemId === '' ? `${drop.quantity} gold` : `${ITEMS.get(drop.itemId)?.name ?? drop.itemId}${drop.quantity > 1 ? ` ×${drop.quantity}` : ''}`,
    speed: 1,
  }),
};

/** Every kind of entity the scene draws, in drawing order (later ones on top). */
export const ENTITY_KINDS: readonly EntityKind<never>[] = [dropKind as EntityKind<never>, monsterKind as EntityKind<never>, playerKind as EntityKind<never>];
