import { getMessageBytes, Protocol, type Client } from '@colyseus/core';
import { ServerMessage } from '@mmo/shared';
import type { CombatEventView } from '@mmo/shared';
import { assertNever } from '../assert-never.js';
import { combatEventView, dropView, monsterView } from '../world/combat-view.js';
import type { CombatEvent, CombatWorld } from '../world/combat-world.js';
import { haltPlayer, teleportPlayer } from '../world/input.js';
import type { Point } from '../world/pathfinding.js';
import type { AreaSimulation } from '../world/simulation.js';
import type { CellViews } from './cell-views.js';
import { DropState, MonsterState } from './map-area.state.js';
import type { Occupant } from './occupant.js';

/** What turning combat events into state, views and `combat` messages needs of the room. */
export interface CombatSyncHost {
  readonly sim: AreaSimulation;
  readonly combat: CombatWorld;
  readonly monsters: { set(id: string, state: MonsterState): unknown; delete(id: string): unknown };
  readonly drops: { set(id: string, state: DropState): unknown; delete(id: string): unknown };
  /** Who sees what: monsters and drops enter and leave views by cell, as players do. */
  readonly views: CellViews;
  occupant(sessionId: string): Occupant | undefined;
  /** Sends a message (protocol bytes) with this tick's patch to every client standing in a cell. */
  toCell(cell: number, bytes: Uint8Array): void;
  /** Sends a message (protocol bytes) with this tick's patch to one client. */
  toClient(client: Client, bytes: Uint8Array): void;
}

/**
 * The synced side of one room's combat world: a schema object per monster and drop, placed in
 * the cells of interest (`CellViews`) as they move, die, respawn, fall and are taken, and one
 * `combat` message per client per tick with what happened where it looks.
 */
export class CombatSync {
  private readonly monsterStates = new Map<string, MonsterState>();
  private readonly dropStates = new Map<string, DropState>();
  /**
   * This tick's `combat` entries by cell of interest: what the clients standing in the cell see
   * happen. Encoded once per cell and sent to all of them, rather than once per client.
   */
  private readonly byCell = new Map<number, CombatEventView[]>();
  /** Entries for one player alone (its experience, loot, respawn). */
  private readonly personal = new Map<Client, CombatEventView[]>();

  constructor(private readonly host: CombatSyncHost) {
    for (const monster of host.combat.monsters.values()) {
      const state = new MonsterState(monsterView(monster));
      this.monsterStates.set(monster.id, state);
      host.monsters.set(monster.id, state);
      if (monster.state !== 'dead') host.views.place(state, monster.x, monster.y);
    }
  }

  /** Applies one tick's combat events to the state and the views, and sends what each client saw. */
  apply(events: readonly CombatEvent[]): void {
    for (const event of events) {
      // Told before the state changes, while the entity still stands where it was seen.
      this.tell(event);
      this.applyToState(event);
    }
    for (const [cell, entries] of this.byCell) this.host.toCell(cell, combatMessage(entries));
    for (const [client, entries] of this.personal) this.host.toClient(client, combatMessage(entries));
    this.byCell.clear();
    this.personal.clear();
  }

  private tell(event: CombatEvent): void {
    const { wire, about, onlyTo } = combatEventView(event);
    if (!wire) return;
    if (onlyTo !== undefined) {
      const occupant = this.host.occupant(onlyTo);
      if (occupant && occupant.phase !== 'released') push(this.personal, occupant.client, wire);
      return;
    }
    const at = this.positionOf(about);
    if (at) this.host.views.forEachCellSeeing(at.x, at.y, (cell) => push(this.byCell, cell, wire));
  }

  /** Where a monster (dead or alive), drop or player stands. */
  private positionOf(id: string): Point | undefined {
    return this.host.combat.monsters.get(id) ?? this.host.combat.drops.get(id) ?? this.host.sim.players.get(id);
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
        this.host.views.placePlayer(event.playerId, occupant.view, event.x, event.y);
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
        this.host.views.place(state, drop.x, drop.y);
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
    // A dead monster stays in the state, out of every view, until it respawns.
    if (monster.state === 'dead') this.host.views.remove(state);
    else this.host.views.place(state, view.x, view.y);
  }

  private removeDrop(id: string): void {
    const state = this.dropStates.get(id);
    if (!state) return;
    this.host.views.remove(state);
    this.dropStates.delete(id);
    this.host.drops.delete(id);
  }
}

function combatMessage(events: CombatEventView[]): Uint8Array {
  return getMessageBytes.raw(Protocol.ROOM_DATA, ServerMessage.combat, { events });
}

function push<K>(lists: Map<K, CombatEventView[]>, key: K, entry: CombatEventView): void {
  const list = lists.get(key);
  if (list) list.push(entry);
  else lists.set(key, [entry]);
}
