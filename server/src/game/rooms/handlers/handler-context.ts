import type { Client } from '@colyseus/core';
import type { ChatBroadcast, ChatChannel, ClientMessageName, ClientMessages, CombatEventView, RoomError } from '@mmo/shared';
import type { ProgressStore } from '../../progress.store.js';
import type { CombatWorld } from '../../world/combat-world.js';
import type { AreaSimulation, SimEvent } from '../../world/simulation.js';
import type { Occupant } from '../occupant.js';

/** What a message handler may use of its room: no Colyseus room, no simulation fields. */
export interface HandlerContext {
  readonly sim: AreaSimulation;
  readonly combat: CombatWorld;
  readonly progress: ProgressStore;
  /** Drops whose pickup is being saved: a second pickup of one meanwhile finds nothing. */
  readonly pickingUp: Set<string>;
  /** The room clock's current time (ms). */
  now(): number;
  occupant(sessionId: string): Occupant | undefined;
  /** Applies simulation events produced between ticks (a portal step) as the tick's are applied. */
  applySimEvents(events: readonly SimEvent[]): void;
  sendError(client: Client, error: RoomError): void;
  /** Sends combat entries (a pickup's loot) to one client. */
  sendCombat(client: Client, events: CombatEventView[]): void;
  /** Runs a promise nobody awaits, its rejection logged. */
  background(work: Promise<unknown>, what: string): void;
  broadcastChat(line: ChatBroadcast): void;
  /** Hands a party or guild line to the social API, which fans it out; not awaited. */
  relayChat(occupant: Occupant, channel: Exclude<ChatChannel, 'area'>, text: string): void;
  /** Masks profanity in area chat. */
  cleanText(text: string): string;
  /** The `MUTED` refusal for a muted account's chat line, or null when it may speak (moderation). */
  chatRefusal(accountId: string): RoomError | null;
  /** Keeps an area line for reports; answers the id the line carries. */
  recordAreaLine(occupant: Occupant, text: string): string;
  /** Files a player's report of an area line it received; not awaited, refusals sent as `error`. */
  reportAreaLine(occupant: Occupant, client: Client, lineId: string, reason: string): void;
}

/** The handler of one client message, given its payload once it has passed its schema. */
export type RoomMessageHandler<K extends ClientMessageName> = (room: HandlerContext, client: Client, message: ClientMessages[K]) => void;
