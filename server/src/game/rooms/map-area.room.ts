import { matchMaker, Room, ServerError, type Client } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import type { EventBus, Logger } from '@mmo/platform';
import {
  AREA_IDS,
  CHAT_RULES,
  chatMessageSchema,
  ErrorCode,
  GameCloseCode,
  isWalkable,
  maxHitPoints,
  MAX_MESSAGES_PER_SECOND,
  MAX_PATH_TARGET_DISTANCE,
  MOVE_INTENTS_PER_SECOND,
  moveMessageSchema,
  MOVE_SPEED,
  usePortalMessageSchema,
  type Area,
  type AreaId,
  type ChatBroadcast,
  type Portal,
  type RoomError,
  type SeatReservation,
  type TransferMessage,
  type World,
} from '@mmo/shared';
import { z } from 'zod';
import type { CharacterRecord, CharacterStore } from '../character.store.js';
import type { GameSettings } from '../config.js';
import type { SeatHolder } from '../placement.js';
import { addPlayer, createAreaSimulation, removePlayer, tick, type AreaSimulation, type SimEvent, type SimPlayer } from '../world/simulation.js';
import { allowAction } from '../world/throttle.js';
import { MapAreaState, PlayerState } from './map-area.state.js';

/** Receives how long each simulation tick and each state patch took (milliseconds). */
export interface GameMetrics {
  recordTick(ms: number): void;
  recordPatch(ms: number): void;
}

export interface MapAreaDeps {
  world: World;
  metrics?: GameMetrics;
  characters: CharacterStore;
  bus: EventBus;
  logger: Logger;
  settings: GameSettings;
  reserveSeat(area: AreaId, holder: SeatHolder): Promise<SeatReservation>;
}

const createOptionsSchema = z.object({ area: z.enum(AREA_IDS) });
const seatHolderSchema = z.object({ accountId: z.uuid(), loginSessionId: z.uuid(), characterId: z.uuid() });

/** Where characters' connections are, across every process: characterId → `roomId:sessionId`. */
const ONLINE_CHARACTERS = 'mmo:online-characters';

/** A connected character in this instance. */
interface Occupant {
  client: Client;
  holder: SeatHolder;
  character: CharacterRecord;
  view: PlayerState;
  sim: SimPlayer;
  /** Progress changed since the last save. */
  dirty: boolean;
  /** Saved and handed on (transfer, takeover, revocation): leaving must not save again. */
  released: boolean;
  moveTimes: number[];
  chatTimes: number[];
}

/**
 * The room type of a map-area instance, bound to its dependencies. Colyseus instantiates rooms
 * itself, so dependencies reach them through this closure rather than a constructor.
 */
export function createMapAreaRoom(deps: MapAreaDeps) {
  return class MapAreaRoom extends Room<{ state: MapAreaState }> {
    private areaData!: Area;
    private sim!: AreaSimulation;
    private readonly occupants = new Map<string, Occupant>();
    private stopFollowingRevocations: (() => Promise<void>) | undefined;

    /**
     * Players never matchmake by themselves: the primary's enter world and the rooms'
     * transfers reserve their seats. Anything reaching this is refused.
     */
    static override async onAuth(): Promise<never> {
      throw new ServerError(403, 'Join the world through POST /world/enter.');
    }

    override async onCreate(options: unknown): Promise<void> {
      const { area } = createOptionsSchema.parse(options);
      this.areaData = deps.world.get(area)!;
      this.maxClients = this.areaData.capacity;
      this.maxMessagesPerSecond = MAX_MESSAGES_PER_SECOND;
      this.setState(new MapAreaState({ area }));
      const { settings } = deps;
      this.sim = createAreaSimulation(this.areaData, {
        radii: settings.AOI_ENABLED ? { enter: settings.AOI_ENTER_RADIUS, leave: settings.AOI_LEAVE_RADIUS } : null,
        maxPathDistance: MAX_PATH_TARGET_DISTANCE,
      });
      this.onMessage('move', moveMessageSchema, (client, message) => {
        const occupant = this.occupants.get(client.sessionId);
        // Intents beyond the rate are ignored: the latest allowed one stands.
        if (occupant && allowAction(occupant.moveTimes, this.clock.currentTime, MOVE_INTENTS_PER_SECOND, 1000)) {
          occupant.sim.pendingIntent = message;
        }
      });
      this.onMessage('chat', chatMessageSchema, (client, message) => this.chat(client, message.text));
      this.onMessage('use_portal', usePortalMessageSchema, (client) => {
        const occupant = this.occupants.get(client.sessionId);
        if (occupant) occupant.sim.wantsPortal = true;
      });
      const tickMs = 1000 / settings.TICK_RATE;
      this.setPatchRate(tickMs);
      this.setTimestep(() => this.step(), tickMs);
      this.clock.setInterval(() => void this.saveDirty(), settings.SAVE_INTERVAL_SECONDS * 1000);
      this.stopFollowingRevocations = await deps.bus.subscribe('auth.session_revoked', (event) => {
        for (const occupant of this.occupants.values()) {
          if (occupant.holder.loginSessionId === event.sessionId) void this.release(occupant, GameCloseCode.SESSION_REVOKED);
        }
      });
    }

    override async onJoin(client: Client): Promise<void> {
      const holder = seatHolderSchema.parse(client.auth);
      await this.takeOver(holder.characterId, client.sessionId);
      const character = await deps.characters.load(holder.characterId, holder.accountId);
      if (!character) throw new ServerError(404, ErrorCode.CHARACTER_NOT_FOUND);
      if (character.area !== this.areaData.id) throw new ServerError(409, 'The character is in another area.');
      if (!isWalkable(this.areaData, character.x, character.y)) Object.assign(character, this.areaData.spawn);
      const view = new PlayerState({
        name: character.name,
        class: character.class,
        level: character.level,
        hp: maxHitPoints(character.class, character.level),
        x: character.x,
        y: character.y,
      });
      const sim = addPlayer(this.sim, { id: client.sessionId, x: character.x, y: character.y, speed: MOVE_SPEED[character.class], now: this.clock.currentTime });
      this.occupants.set(client.sessionId, { client, holder, character, view, sim, dirty: false, released: false, moveTimes: [], chatTimes: [] });
      this.state.players.set(client.sessionId, view);
      client.view = new StateView();
      client.view.add(view);
    }

    override onDrop(client: Client): void {
      const occupant = this.occupants.get(client.sessionId);
      if (occupant) {
        occupant.sim.intent = { kind: 'idle' };
        occupant.sim.pendingIntent = null;
      }
      // Refused at once while the room closes (shutdown), or when the time runs out: Colyseus
      // then calls onLeave, which saves the character.
      Promise.resolve(this.allowReconnection(client, deps.settings.RECONNECT_SECONDS)).catch(() => undefined);
    }

    override onReconnect(client: Client): void {
      const occupant = this.occupants.get(client.sessionId);
      // Taken over or revoked while dropped: the seat came back, the character did not.
      if (!occupant) client.leave(GameCloseCode.TAKEN_OVER);
      else occupant.client = client;
    }

    override async onLeave(client: Client): Promise<void> {
      const occupant = this.occupants.get(client.sessionId);
      if (!occupant) return;
      this.remove(occupant);
      if (!occupant.released) await this.save(occupant).catch(() => undefined);
      await this.forgetOnline(occupant);
    }

    override async onDispose(): Promise<void> {
      await this.stopFollowingRevocations?.();
      // A shutdown disposes rooms with players still in them: save what is left.
      await Promise.all([...this.occupants.values()].filter((o) => !o.released).map((o) => this.save(o).catch(() => undefined)));
    }

    /**
     * Called by another room (any process) when the same character joins there: save here,
     * drop this connection, and let the newcomer load what was saved.
     */
    async releaseCharacter(sessionId: string): Promise<boolean> {
      const occupant = this.occupants.get(sessionId);
      if (!occupant) return false;
      await this.release(occupant, GameCloseCode.TAKEN_OVER);
      return true;
    }

    private step(): void {
      const started = performance.now();
      for (const event of tick(this.sim, this.clock.currentTime)) this.apply(event);
      deps.metrics?.recordTick(performance.now() - started);
    }

    /** Colyseus encodes and sends the state here, once per patch interval; timed for metrics. */
    override broadcastPatch(): boolean {
      if (!deps.metrics) return super.broadcastPatch();
      const started = performance.now();
      const sent = super.broadcastPatch();
      deps.metrics.recordPatch(performance.now() - started);
      return sent;
    }

    private apply(event: SimEvent): void {
      const occupant = this.occupants.get(event.id);
      if (!occupant) return;
      switch (event.type) {
        case 'moved':
          occupant.view.x = occupant.character.x = event.x;
          occupant.view.y = occupant.character.y = event.y;
          occupant.dirty = true;
          return;
        case 'view':
          for (const id of event.entered) {
            const other = this.occupants.get(id);
            if (other) occupant.client.view?.add(other.view);
          }
          for (const id of event.left) {
            const other = this.occupants.get(id);
            if (other) occupant.client.view?.remove(other.view);
          }
          return;
        case 'portal':
          void this.transfer(occupant, event.portal);
          return;
        case 'noPath':
          this.sendError(occupant.client, { code: ErrorCode.VALIDATION_FAILED, message: 'That tile cannot be reached from here.' });
          return;
        case 'notOnPortal':
          this.sendError(occupant.client, { code: ErrorCode.NOT_ON_PORTAL, message: 'There is no portal here.' });
          return;
      }
    }

    private chat(client: Client, raw: string): void {
      const occupant = this.occupants.get(client.sessionId);
      if (!occupant) return;
      const text = raw.trim();
      if (text.length === 0 || text.length > CHAT_RULES.maxLength) {
        this.sendError(client, { code: ErrorCode.VALIDATION_FAILED, message: `text: must be 1 to ${CHAT_RULES.maxLength} characters` });
        return;
      }
      if (!allowAction(occupant.chatTimes, this.clock.currentTime, CHAT_RULES.perWindow, CHAT_RULES.windowMs)) {
        this.sendError(client, { code: ErrorCode.RATE_LIMITED, message: 'You are sending messages too fast.' });
        return;
      }
      const line: ChatBroadcast = { from: occupant.character.name, text, channel: 'area' };
      this.broadcast('chat', line);
    }

    /**
     * Through a portal: save the character at the exit, reserve its seat in an instance of the
     * target area (on any process) and hand the reservation to the client. If the save fails
     * the player stays here; if no seat can be had, the old position is saved back.
     */
    private async transfer(occupant: Occupant, portal: Portal): Promise<void> {
      const from = { area: occupant.character.area, x: occupant.character.x, y: occupant.character.y };
      const to = portal.to;
      // From here on only the transfer writes this character: a periodic save of the old
      // position must not land after the exit was saved.
      occupant.released = true;
      occupant.dirty = false;
      try {
        await deps.characters.saveProgress(occupant.character.id, to);
      } catch {
        occupant.released = false;
        occupant.dirty = true;
        occupant.sim.leaving = false;
        this.sendError(occupant.client, { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The portal is not working; try again.' });
        return;
      }
      let reservation: SeatReservation;
      try {
        reservation = await deps.reserveSeat(to.area, occupant.holder);
      } catch (error) {
        deps.logger.error({ err: error, area: to.area }, 'no seat for a transfer');
        await deps.characters.saveProgress(occupant.character.id, from).catch(() => undefined);
        occupant.released = false;
        occupant.sim.leaving = false;
        this.sendError(occupant.client, { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The way is blocked; try again.' });
        return;
      }
      Object.assign(occupant.character, to);
      this.remove(occupant);
      const message: TransferMessage = { reservation, area: to.area };
      occupant.client.send('transfer', message);
      // The client leaves by itself once it has joined the new room; one that does not is let go.
      this.clock.setTimeout(() => occupant.client.leave(GameCloseCode.TAKEN_OVER), 10_000);
    }

    /** Saves, removes and disconnects an occupant whose character now lives elsewhere or nowhere. */
    private async release(occupant: Occupant, closeCode: number): Promise<void> {
      if (occupant.released) return;
      occupant.released = true;
      this.remove(occupant);
      await this.save(occupant).catch(() => undefined);
      occupant.client.leave(closeCode);
    }

    private remove(occupant: Occupant): void {
      const id = occupant.client.sessionId;
      if (!this.occupants.delete(id)) return;
      removePlayer(this.sim, id);
      this.state.players.delete(id);
    }

    private async save(occupant: Occupant): Promise<void> {
      const { area, x, y } = occupant.character;
      occupant.dirty = false;
      try {
        await deps.characters.saveProgress(occupant.character.id, { area, x, y });
      } catch (error) {
        occupant.dirty = true;
        throw error;
      }
    }

    private async saveDirty(): Promise<void> {
      const dirty = [...this.occupants.values()].filter((o) => o.dirty && !o.released);
      // A failure keeps the occupant dirty for the next round; the store has logged it.
      await Promise.all(dirty.map((o) => this.save(o).catch(() => undefined)));
    }

    /** Makes this connection the character's only one, asking the previous holder to let go. */
    private async takeOver(characterId: string, sessionId: string): Promise<void> {
      const mine = `${this.roomId}:${sessionId}`;
      const previous = await this.presence.hget(ONLINE_CHARACTERS, characterId);
      await this.presence.hset(ONLINE_CHARACTERS, characterId, mine);
      if (!previous || previous === mine) return;
      const [roomId = '', previousSession = ''] = previous.split(':');
      if (roomId === this.roomId) {
        await this.releaseCharacter(previousSession);
        return;
      }
      // A process that died takes its rooms with it; then there is nothing to release.
      await matchMaker.remoteRoomCall(roomId, 'releaseCharacter', [previousSession]).catch(() => undefined);
    }

    private async forgetOnline(occupant: Occupant): Promise<void> {
      const characterId = occupant.character.id;
      if ((await this.presence.hget(ONLINE_CHARACTERS, characterId)) === `${this.roomId}:${occupant.client.sessionId}`) {
        await this.presence.hdel(ONLINE_CHARACTERS, characterId);
      }
    }

    private sendError(client: Client, error: RoomError): void {
      client.send('error', error);
    }
  };
}
