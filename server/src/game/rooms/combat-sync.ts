import type { Client } from '@colyseus/core';
import type { CombatEventView } from '@mmo/shared';
import { assertNever } from '../assert-never.js';
import { combatEventView, dropView, entityPosition, monsterView } from '../world/combat-view.js';
import type { CombatEvent, CombatWorld } from '../world/combat-world.js';
import { haltPlayer, teleportPlayer } from '../world/input.js';
import { updateInterest, type InterestRadii } from '../world/interest.js';
import type { AreaSimulation } from '../world/simulation.js';
import { DropState, MonsterState } from './map-area.state.js';
import type { Occupant } from './occupant.js';

/** What turning combat events into state, views and `combat` messages needs of the room. */
export interface CombatSyncHost {
  readonly sim: AreaSimulation;
  readonly combat: CombatWorld;
  readonly monsters: { set(id: string, state: MonsterState): unknown; delete(id: string): unknown };
  readonly drops: { set(id: string, state: DropState): unknown; delete(id: string): unknown };
  /** Interest radii; null: everyone sees every monster and drop. */
  readonly radii: InterestRadii | null;
  occupants(): Iterable<Occupant>;
  occupant(sessionId: string): Occupant | undefined;
  sendCombat(client: Client, events: CombatEventView[]): void;
}

/**
 * The synced side of one room's combat world: a schema object per monster and drop, each
 * client's view of them by distance (the same radii and cadence as players), and one `combat`
 * message per client per tick with what it saw happen.
 */
export class CombatSync {
  private readonly monsterStates = new Map<string, MonsterState>();
  private readonly dropStates = new Map<string, DropState>();
  private ticks = 0;

  constructor(private readonly host: CombatSyncHost) {
    for (const monster of host.combat.monsters.values()) {
      const state = new MonsterState(monsterView(monster));
      this.monsterStates.set(monster.id, state);
      host.monsters.set(monster.id, state);
    }
  }

  /** Applies one tick's combat events, then refreshes views (every second tick, or at once when asked). */
  apply(events: readonly CombatEvent[], refreshViews: boolean): void {
    const outbox = new Map<Occupant, CombatEventView[]>();
    for (const event of events) {
      // Told before the state changes, while the entity is still in the views that saw it.
      this.tell(event, outbox);
      this.applyToState(event);
    }
    for (const [occupant, views] of outbox) this.host.sendCombat(occupant.client, views);
    if (refreshViews || this.ticks % 2 === 0) this.refreshViews();
    this.ticks += 1;
  }

  private tell(event: CombatEvent, outbox: Map<Occupant, CombatEventView[]>): void {
    const { wire, about, onlyTo } = combatEventView(event);
    if (!wire) return;
    const push = (occupant: Occupant) => {
      let list = outbox.get(occupant);
      if (!list) outbox.set(occupant, (list = []));
      list.push(wire);
    };
    if (onlyTo !== undefined) {
      const occupant = this.host.occupant(onlyTo);
      if (occupant && occupant.phase !== 'released') push(occupant);
      return;
    }
    for (const occupant of this.host.occupants()) {
      if (occupant.phase === 'released') continue;
      const id = occupant.client.sessionId;
      if (id === about || occupant.seen.has(about) || occupant.sim.visible.has(about)) push(occupant);
    }
  }

  /** One exhaustive switch: a combat event added and not handled here fails to compile. */
  private applyToState(event: CombatEvent): void {
    switch (event.type) {
      case 'monsterMoved':
      case 'monsterSpawned':
      case 'leash':
      case 'monsterDied':
      case 'hit':
        if (event.type === 'hit' && event.targetKind === 'player') this.playerHp(event.targetId, event.hp);
        else this.syncMonster(event.type === 'hit' ? event.targetId : event.monsterId);
        return;
      case 'aggro':
        return;
      case 'playerDied': {
        this.playerHp(event.playerId, 0);
        // A dead player stands still until it comes back.
        haltPlayer(this.host.sim, event.playerId);
        return;
      }
      case 'playerRespawned': {
        const occupant = this.host.occupant(event.playerId);
        teleportPlayer(this.host.sim, event.playerId, event.x, event.y);
        if (!occupant) return;
        occupant.view.x = occupant.character.x = event.x;
        occupant.view.y = occupant.character.y = event.y;
        occupant.view.hp = event.hp;
        occupant.dirty = true;
        return;
      }
      case 'xp': {
        const occupant = this.host.occupant(event.playerId);
        if (occupant) occupant.dirty = true;
        return;
      }
      case 'levelUp': {
        const occupant = this.host.occupant(event.playerId);
        if (!occupant) return;
        occupant.view.level = occupant.character.level = event.level;
        occupant.view.hp = event.maxHp;
        occupant.dirty = true;
        return;
      }
      case 'healed':
        this.playerHp(event.playerId, event.hp);
        return;
      case 'dropSpawned': {
        const drop = this.host.combat.drops.get(event.dropId);
        if (!drop) return;
        const state = new DropState(dropView(drop));
        this.dropStates.set(drop.id, state);
        this.host.drops.set(drop.id, state);
        return;
      }
      case 'dropTaken':
      case 'dropExpired':
        this.removeDrop(event.dropId);
        return;
      default:
        assertNever(event);
    }
  }

  private playerHp(sessionId: string, hp: number): void {
    const occupant = this.host.occupant(sessionId);
    if (!occupant) return;
    occupant.view.hp = hp;
    occupant.dirty = true;
  }

  private syncMonster(id: string): void {
    const monster = this.host.combat.monsters.get(id);
    const state = this.monsterStates.get(id);
    if (!monster || !state) return;
    const view = monsterView(monster);
    state.hp = view.hp;
    state.x = view.x;
    state.y = view.y;
  }

  private removeDrop(id: string): void {
    const state = this.dropStates.get(id);
    if (!state) return;
    for (const occupant of this.host.occupants()) {
      if (occupant.seen.delete(id)) occupant.client.view?.remove(state);
    }
    this.dropStates.delete(id);
    this.host.drops.delete(id);
  }

  private stateOf(id: string): MonsterState | DropState | undefined {
    return this.monsterStates.get(id) ?? this.dropStates.get(id);
  }

  /** Monsters and drops enter and leave each client's view by distance, as players do. */
  private refreshViews(): void {
    const { combat, radii } = this.host;
    const positionOf = (id: string) => entityPosition(combat, id);
    for (const occupant of this.host.occupants()) {
      const view = occupant.client.view;
      if (!view || occupant.phase === 'released') continue;
      const change = radii
        ? updateInterest(occupant.client.sessionId, occupant.sim, occupant.seen, combat.grid, positionOf, radii)
        : this.seeEverything(occupant.seen, positionOf);
      for (const id of change.left) {
        const state = this.stateOf(id);
        if (state) view.remove(state);
      }
      for (const id of change.entered) {
        const state = this.stateOf(id);
        if (state) view.add(state);
      }
    }
  }

  /** Interest management off: every living monster and every drop is seen. */
  private seeEverything(seen: Set<string>, positionOf: (id: string) => unknown): { entered: string[]; left: string[] } {
    const left = [...seen].filter((id) => positionOf(id) === undefined);
    for (const id of left) seen.delete(id);
    const entered: string[] = [];
    for (const id of [...this.monsterStates.keys(), ...this.dropStates.keys()]) {
      if (!seen.has(id) && positionOf(id) !== undefined) {
        seen.add(id);
        entered.push(id);
      }
    }
    return { entered, left };
  }
}
