import { CloseCode, Room, ServerError, type Client } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import { isRecordNotFound } from '@mmo/platform';
import {
  AREA_IDS,
  ClientMessage,
  clientMessageSchemas,
  ErrorCode,
  GameCloseCode,
  isWalkable,
  MAX_MESSAGES_PER_SECOND,
  MAX_PATH_TARGET_DISTANCE,
  maxHitPoints,
  MOVE_INTENTS_PER_SECOND,
  MOVE_SPEED,
  ServerMessage,
  type Area,
  type ChatBroadcast,
  type ChatChannel,
  type Portal,
  type RoomError,
  type SeatReservation,
  type TransferMessage,
} from '@mmo/shared';
import { z } from 'zod';
import type { CharacterProgress, CharacterRecord } from '../character.store.js';
import { beginClaim, forgetHolder, isCurrentClaim, recordHolder, type Holder } from '../character-claims.js';
import { seatHolderSchema } from '../placement.js';
import { SaveQueue } from '../save-queue.js';
import { acceptChatLine } from '../world/chat.js';
import { addPlayer, createAreaSimulation, removePlayer, tick, type AreaSimulation, type SimEvent } from '../world/simulation.js';
import { allowAction } from '../world/throttle.js';
import type { MapAreaDeps } from './map-area.deps.js';
import type { Occupant } from './occupant.js';
import { MapAreaState, PlayerState } from './map-area.state.js';
import { releaseInOtherRoom } from './release-elsewhere.js';
import { SocialLink } from './social-link.js';
// moderation (issue 13): sanction enforcement lives in sanctions.ts
import { RoomSanctions } from './sanctions.js';
import { AreaChatLog } from './chat-log.js';

const createOptionsSchema = z.object({ area: z.enum(AREA_IDS) });

/**
 * The room type of a map-area instance, bound to its dependencies. Colyseus instantiates rooms
 * itself, so dependencies reach them through this closure rather than a constructor.
 */
export function createMapAreaRoom(deps: MapAreaDeps) {
  return class MapAreaRoom extends Room<{ state: MapAreaState }> {
    private areaData!: Area;
    private sim!: AreaSimulation;
    private readonly occupants = new Map<string, Occupant>();
    /** The same occupants by character id, for social deliveries. */
    private readonly byCharacter = new Map<string, Occupant>();
    private social!: SocialLink;
    private readonly saves = new SaveQueue(deps.characters);
    private stopFollowingRevocations: (() => Promise<void>) | undefined;
    // moderation (issue 13)
    private sanctions!: RoomSanctions<Occupant>;
    private chatLog!: AreaChatLog;

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
      this.onMessage(ClientMessage.move, clientMessageSchemas[ClientMessage.move], (client, message) => {
        const occupant = this.occupants.get(client.sessionId);
        // Intents beyond the rate are ignored: the latest allowed one stands.
        if (occupant && allowAction(occupant.moveTimes, this.clock.currentTime, MOVE_INTENTS_PER_SECOND, 1000)) {
          occupant.sim.pendingIntent = message;
        }
      });
      this.onMessage(ClientMessage.chat, clientMessageSchemas[ClientMessage.chat], (client, message) => this.chat(client, message.text, message.channel ?? 'area'));
      this.onMessage(ClientMessage.usePortal, clientMessageSchemas[ClientMessage.usePortal], (client) => {
        const occupant = this.occupants.get(client.sessionId);
        if (occupant) occupant.sim.wantsPortal = true;
      });
      const tickMs = 1000 / settings.TICK_RATE;
      this.setPatchRate(tickMs);
      this.setTimestep(() => this.step(), tickMs);
      this.clock.setInterval(() => {
        this.saveRound().catch((error: unknown) => deps.logger.error({ err: error }, 'save round failed'));
      }, settings.SAVE_INTERVAL_SECONDS * 1000);
      // Entries outlive a few missed refreshes (one per save round), not a dead process.
      this.social = new SocialLink({ ...deps, onlineTtlSeconds: settings.SAVE_INTERVAL_SECONDS * 3 + 5 }, this.roomId);
      await this.social.start((characterId) => {
        const occupant = this.byCharacter.get(characterId);
        return occupant && !occupant.released ? [occupant.client] : [];
      });
      // moderation (issue 13): bans and kicks close connections, announcements reach the chat.
      this.sanctions = new RoomSanctions<Occupant>(deps, {
        area,
        occupants: () => this.occupants.values(),
        release: (occupant, closeCode) => this.release(occupant, closeCode),
        broadcast: (line) => this.broadcast(ServerMessage.chat, line),
      });
      await this.sanctions.start();
      // moderation (issue 13): area lines are kept for reports.
      this.chatLog = new AreaChatLog(deps, { roomId: this.roomId, area });
      this.onMessage(ClientMessage.reportChat, clientMessageSchemas[ClientMessage.reportChat], (client, message) => {
        const occupant = this.occupants.get(client.sessionId);
        if (!occupant) return;
        void this.chatLog.report(occupant.character, message.lineId, message.reason).then((refused) => refused && this.sendError(client, refused));
      });
      this.stopFollowingRevocations = await deps.bus.subscribe('auth.session_revoked', (event) => {
        for (const occupant of this.occupants.values()) {
          if (occupant.holder.loginSessionId === event.sessionId) void this.release(occupant, GameCloseCode.SESSION_REVOKED);
        }
      });
    }

    /**
     * Checks the seat's holder, takes the character over from any earlier connection (on any
     * process, which saves first), then loads it fresh. A newer join of the same character
     * that began meanwhile wins, and this one is refused.
     */
    override async onJoin(client: Client): Promise<void> {
      const holder = seatHolderSchema.parse(client.auth);
      if (deps.denylist.has(holder.loginSessionId)) throw new ServerError(401, ErrorCode.SESSION_REVOKED);
      this.sanctions.assertMayJoin(holder.accountId); // moderation (issue 13)
      this.checkCharacter(await deps.characters.load(holder.characterId, holder.accountId));
      const claim = await beginClaim(this.presence, holder.characterId);
      if (claim.previous) await this.releaseElsewhere(claim.previous, holder.characterId);
      const character = this.checkCharacter(await deps.characters.load(holder.characterId, holder.accountId));
      // Recorded before the final check, so that a join that begins after this point finds
      // this one to release rather than nobody.
      await recordHolder(this.presence, holder.characterId, { generation: claim.generation, roomId: this.roomId, sessionId: client.sessionId });
      if (!(await isCurrentClaim(this.presence, holder.characterId, claim.generation))) {
        await forgetHolder(this.presence, holder.characterId, claim.generation);
        throw new ServerError(409, 'A newer login of this character took over.');
      }
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
      const occupant: Occupant = {
        client,
        holder,
        generation: claim.generation,
        character,
        view,
        sim,
        dirty: false,
        transferring: false,
        released: false,
        moveTimes: [],
        chatTimes: [],
      };
      this.occupants.set(client.sessionId, occupant);
      this.byCharacter.set(character.id, occupant);
      this.state.players.set(client.sessionId, view);
      client.view = new StateView();
      client.view.add(view);
      void this.social.arrived(occupant);
    }

    /**
     * A connection lost without a goodbye: the character stands still and waits for it. Not
     * after the room closed it for an error (flood, malformed message) or released the
     * character: those must not come back through a reconnection.
     */
    override onDrop(client: Client, code?: number): void {
      const occupant = this.occupants.get(client.sessionId);
      if (!occupant || occupant.released || code === CloseCode.WITH_ERROR) return;
      occupant.sim.intent = { kind: 'idle' };
      occupant.sim.pendingIntent = null;
      // Refused at once while the room closes (shutdown), or when the time runs out: Colyseus
      // then calls onLeave, which saves the character.
      Promise.resolve(this.allowReconnection(client, deps.settings.RECONNECT_SECONDS)).catch(() => undefined);
    }

    override onReconnect(client: Client): void {
      const occupant = this.occupants.get(client.sessionId);
      // Taken over or revoked while dropped: the seat came back, the character did not.
      if (!occupant) throw new ServerError(409, 'This character is no longer here.');
      occupant.client = client;
      // What was sent while away did not arrive: announced again, the backlog pushes it.
      void this.social.arrived(occupant);
    }

    override async onLeave(client: Client): Promise<void> {
      await this.social.handedOverLeft(client.sessionId);
      const occupant = this.occupants.get(client.sessionId);
      if (!occupant) return;
      this.remove(occupant);
      if (!occupant.released && !occupant.transferring) await Promise.all([this.save(occupant), this.social.departed(occupant)]);
      // A transfer's own write may still be landing; the next join must find it done.
      await this.saves.settled(occupant.character.id);
      await forgetHolder(this.presence, occupant.character.id, occupant.generation);
    }

    override async onDispose(): Promise<void> {
      await this.stopFollowingRevocations?.();
      await this.sanctions?.stop(); // moderation (issue 13)
      await this.social.stop();
      // A shutdown disposes rooms with players still in them: save what is left.
      const staying = [...this.occupants.values()].filter((o) => !o.released && !o.transferring);
      await Promise.all(staying.flatMap((o) => [this.save(o), this.social.departed(o)]));
      await this.saves.drain();
    }

    /**
     * Called by a room (any process) where the same character is joining: save here, drop
     * this connection, and answer once every save of the character has landed, so that the
     * newcomer loads the latest progress.
     */
    async releaseCharacter(sessionId: string, characterId: string): Promise<boolean> {
      const occupant = this.occupants.get(sessionId);
      if (occupant) await this.release(occupant, GameCloseCode.TAKEN_OVER);
      await this.saves.settled(characterId);
      return occupant !== undefined;
    }

    private checkCharacter(character: CharacterRecord | null): CharacterRecord {
      if (!character) throw new ServerError(404, ErrorCode.CHARACTER_NOT_FOUND);
      if (character.area !== this.areaData.id) throw new ServerError(409, 'The character is in another area; enter the world again.');
      return character;
    }

    private async releaseElsewhere(previous: Holder, characterId: string): Promise<void> {
      if (previous.roomId === this.roomId) await this.releaseCharacter(previous.sessionId, characterId);
      else await releaseInOtherRoom(previous, characterId, deps.logger);
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
          this.sendError(occupant.client, { code: ErrorCode.TILE_UNREACHABLE, message: 'That tile cannot be reached from here.' });
          return;
        case 'notOnPortal':
          this.sendError(occupant.client, { code: ErrorCode.NOT_ON_PORTAL, message: 'There is no portal here.' });
          return;
      }
    }

    /** Area lines go to this instance; party and guild lines to the social API, which fans them out. */
    private chat(client: Client, raw: string, channel: ChatChannel): void {
      const occupant = this.occupants.get(client.sessionId);
      if (!occupant) return;
      // moderation (issue 13): a muted account's lines on every channel answer MUTED with its end.
      const muted = this.sanctions.chatRefusal(occupant.holder.accountId);
      if (muted) {
        this.sendError(client, muted);
        return;
      }
      const verdict = acceptChatLine(raw, occupant.chatTimes, this.clock.currentTime);
      if (!verdict.ok) {
        this.sendError(client, { code: verdict.code, message: verdict.message });
        return;
      }
      if (channel !== 'area') {
        void this.social.relayChat(occupant, channel, verdict.text);
        return;
      }
      const text = deps.filter.clean(verdict.text);
      // moderation (issue 13): the line's id lets a player report it.
      const id = this.chatLog.record({ characterId: occupant.character.id, from: occupant.character.name, text, sentAt: new Date().toISOString() });
      const line: ChatBroadcast = { from: occupant.character.name, text, channel: 'area', id };
      this.broadcast(ServerMessage.chat, line);
    }

    /**
     * Through a portal: save the character at the exit, reserve its seat in an instance of the
     * target area (on any process) and hand the reservation to the client. If the save fails
     * the player stays; if no seat can be had, the old position is saved back. A takeover or
     * revocation meanwhile wins: the exit stays saved and no `transfer` is sent.
     */
    private async transfer(occupant: Occupant, portal: Portal): Promise<void> {
      const from: CharacterProgress = { area: occupant.character.area, x: occupant.character.x, y: occupant.character.y };
      const to: CharacterProgress = portal.to;
      occupant.transferring = true;
      occupant.dirty = false;
      const stay = (message: string) => {
        occupant.transferring = false;
        occupant.sim.leaving = false;
        this.sendError(occupant.client, { code: ErrorCode.SERVICE_UNAVAILABLE, message });
      };
      try {
        await this.saves.enqueue(occupant.character.id, () => to);
      } catch {
        occupant.dirty = true;
        stay('The portal is not working; try again.');
        return;
      }
      if (occupant.released) return;
      let reservation: SeatReservation;
      try {
        if (deps.denylist.has(occupant.holder.loginSessionId)) throw new Error('session revoked');
        reservation = await deps.reserveSeat(to.area, occupant.holder);
      } catch (error) {
        deps.logger.error({ err: error, area: to.area }, 'no seat for a transfer');
        // Taken over or gone meanwhile: the exit stays saved; writing `from` back would undo
        // what a newer holder may already have loaded.
        if (occupant.released || !this.occupants.has(occupant.client.sessionId)) return;
        await this.saves.enqueue(occupant.character.id, () => from).catch(() => (occupant.dirty = true));
        stay('The way is blocked; try again.');
        return;
      }
      if (occupant.released) return;
      occupant.released = true;
      Object.assign(occupant.character, to);
      this.remove(occupant);
      this.social.handedOver(occupant);
      const message: TransferMessage = { reservation, area: to.area };
      occupant.client.send(ServerMessage.transfer, message);
      // The client leaves by itself once it has joined the new room; one that does not is let go.
      this.clock.setTimeout(() => occupant.client.leave(GameCloseCode.TRANSFERRED), 10_000);
    }

    /** Removes, saves and disconnects an occupant whose character now lives elsewhere or nowhere. */
    private async release(occupant: Occupant, closeCode: number, options: { save: boolean } = { save: true }): Promise<void> {
      if (occupant.released) return;
      occupant.released = true;
      this.remove(occupant);
      if (options.save && !occupant.transferring) await this.save(occupant);
      // Taken over: the character plays on elsewhere, so it is not announced offline.
      if (closeCode !== GameCloseCode.TAKEN_OVER) await this.social.departed(occupant);
      occupant.client.leave(closeCode);
    }

    private remove(occupant: Occupant): void {
      const id = occupant.client.sessionId;
      if (!this.occupants.delete(id)) return;
      if (this.byCharacter.get(occupant.character.id) === occupant) this.byCharacter.delete(occupant.character.id);
      removePlayer(this.sim, id);
      this.state.players.delete(id);
    }

    /** Saves an occupant's current progress; a failure keeps it dirty for the next round. */
    private async save(occupant: Occupant): Promise<void> {
      occupant.dirty = false;
      const { character } = occupant;
      try {
        await this.saves.enqueue(character.id, () => ({ area: character.area, x: character.x, y: character.y }));
      } catch (error) {
        if (isRecordNotFound(error)) {
          void this.release(occupant, GameCloseCode.CHARACTER_GONE);
          return;
        }
        // Logged by the store. While the player is here, the next round tries again; after a
        // leave there is no next round, and the progress since the last save is lost.
        if (!occupant.released) occupant.dirty = true;
      }
    }

    /**
     * Every save interval: write changed progress, and let go of any character a newer join
     * claimed whose release request never arrived (a lost message, a process restart).
     */
    private async saveRound(): Promise<void> {
      const occupants = [...this.occupants.values()].filter((o) => !o.released && !o.transferring);
      await Promise.all(
        occupants.map(async (occupant) => {
          try {
            if (!(await isCurrentClaim(this.presence, occupant.character.id, occupant.generation))) {
              // A newer join holds the character and has loaded it: saving here would
              // overwrite its progress with this stale copy.
              await this.release(occupant, GameCloseCode.TAKEN_OVER, { save: false });
            } else {
              await Promise.all([occupant.dirty ? this.save(occupant) : undefined, this.social.refresh(occupant)]);
            }
          } catch (error) {
            // Presence (Redis) unreachable: try again next round; the player stays.
            deps.logger.warn({ err: error, characterId: occupant.character.id }, 'could not check a character claim');
          }
        }),
      );
    }

    private sendError(client: Client, error: RoomError): void {
      client.send(ServerMessage.error, error);
    }
  };
}
