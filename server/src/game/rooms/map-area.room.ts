import { CloseCode, Room, type Client, type RoomException, type RoomMethodName } from '@colyseus/core';
import {
  AREA_IDS,
  ClientMessage,
  ErrorCode,
  MAX_MESSAGES_PER_SECOND,
  MAX_PATH_TARGET_DISTANCE,
  ServerMessage,
  type Area,
  type ClientMessageName,
  type RoomError,
} from '@mmo/shared';
import { z } from 'zod';
import { roomRefusal } from '../room-errors.js';
import { createCombatWorld, setPlayerEquipment, setPlayerParty, stepCombatWorld, type CombatWorld } from '../world/combat-world.js';
import { haltPlayer } from '../world/input.js';
import { beatOffsetFor } from '../world/movement.js';
import { createRng, type Rng } from '../world/rng.js';
import { createAreaSimulation, tick, type AreaSimulation } from '../world/simulation.js';
import { CellViews } from './cell-views.js';
import { CombatSync } from './combat-sync.js';
import { CellPatchSerializer } from './cell-patches.js';
import { messageHandlers, type HandlerContext } from './handlers/index.js';
import type { MapAreaDeps } from './map-area.deps.js';
import type { Occupant } from './occupant.js';
import { MapAreaState } from './map-area.state.js';
import { Occupancy, SAVE_SLICE_MS } from './occupancy.js';
import { RoomBoundary } from './room-boundary.js';
import { AreaChatLog } from './chat-log.js';
import { seatHolderSchema } from '../placement.js';
import { RoomSanctions } from './sanctions.js';
import { SocialLink } from './social-link.js';
import { applySimEvent, type SyncTarget } from './state-sync.js';

const createOptionsSchema = z.object({ area: z.enum(AREA_IDS) });

/**
 * The room type of a map-area instance, bound to its dependencies. Colyseus instantiates rooms
 * itself, so dependencies reach them through this closure rather than a constructor.
 */
export function createMapAreaRoom(deps: MapAreaDeps) {
  return class MapAreaRoom extends Room<{ state: MapAreaState }> {
    private areaData!: Area;
    private sim!: AreaSimulation;
    private combat!: CombatWorld;
    private rng!: Rng;
    private combatSync!: CombatSync;
    private patches!: CellPatchSerializer;
    /** Who sees what: views shared by cell of interest. */
    private views!: CellViews;
    private syncTarget!: SyncTarget;
    private occupancy!: Occupancy;
    private social!: SocialLink;
    /** Moderators' bans, kicks, mutes and announcements, as this room enforces them. */
    private sanctions!: RoomSanctions<Occupant>;
    /** The last area lines, kept so that a player's report carries the lines around it. */
    private chatLog!: AreaChatLog;
    /** This room's turn in the process's ticks. */
    private ticks: { stop(): void } | undefined;
    private stopFollowingRevocations: (() => Promise<void>) | undefined;
    private stopFollowingEquipment: (() => Promise<void>) | undefined;
    private readonly boundary = new RoomBoundary(this, deps.logger, (sessionId) => this.occupancy?.get(sessionId)?.character.id);

    /**
     * Players never matchmake by themselves: the primary's enter world and the rooms'
     * transfers reserve their seats. Anything reaching this is refused.
     */
    static override async onAuth(): Promise<never> {
      throw roomRefusal(ErrorCode.FORBIDDEN);
    }

    override async onCreate(options: unknown): Promise<void> {
      const { area } = createOptionsSchema.parse(options);
      this.areaData = deps.world.get(area)!;
      this.maxClients = this.areaData.capacity;
      this.maxMessagesPerSecond = MAX_MESSAGES_PER_SECOND;
      // Patches go out by cell with the tick's combat messages (see setSerializer).
      this.patches = new CellPatchSerializer(
        (client) => this.views.standingCell(client.sessionId),
        () => this.views,
      );
      this.setState(new MapAreaState({ area }));
      const { settings } = deps;
      // The patch goes out at the end of each tick (`step`), not on a timer of its own, so that
      // a tick's messages and its patch leave in one write per client.
      this.setPatchRate(null);
      // Not `setTimestep`: its interval drifts into step with the other rooms' (see TickScheduler).
      const turns = deps.ticks.every(
        () => {
          this.clock.tick();
          this.step();
        },
        (error) => this.boundary.contain(error, 'tick'),
      );
      this.ticks = turns;
      // What Colyseus's `setTimestep` leaves set: without it, `broadcastPatch` ticks the clock a
      // second time, running the room's clock timers between the views' `beforePatch` and the
      // encode. Only its truthiness is read (and `clearInterval` on dispose, a no-op for this).
      (this as unknown as { _simulationInterval: unknown })._simulationInterval = this.ticks;
      // The movement beat on the turns that open this room's cycles, which the scheduler spreads
      // over the beat across the process's rooms (STEP_BEAT_MS). The room clock reads Date.now().
      const beatOffsetMs = beatOffsetFor(Date.now() + turns.cycleOpensInMs, deps.ticks.periodMs);
      this.sim = createAreaSimulation(this.areaData, { maxPathDistance: MAX_PATH_TARGET_DISTANCE, beatOffsetMs });
      this.views = new CellViews(this.areaData.width, this.areaData.height, settings.AOI_ENABLED ? settings.AOI_CELL_SIZE : null);
      this.syncTarget = this.syncTargetOf(this.views);
      // One combat world per instance, its rolls from its own seeded generator.
      this.rng = createRng(seedOf(this.roomId));
      this.combat = createCombatWorld(this.areaData, { instanceId: this.roomId, now: this.clock.currentTime, rng: this.rng, options: { beatOffsetMs } });
      this.combatSync = new CombatSync({
        sim: this.sim,
        combat: this.combat,
        monsters: this.state.monsters,
        drops: this.state.drops,
        views: this.views,
        occupant: (sessionId) => this.occupancy.get(sessionId),
        toCell: (cell, bytes) => this.patches.toCell(cell, bytes),
        toClient: (client, bytes) => this.patches.toClient(client, bytes),
      });
      // One handler per name of the shared table (`handlers/`), each behind its schema; any
      // other name closes the sender without quoting it.
      const context = this.handlerContext();
      for (const name of Object.values(ClientMessage)) this.registerHandler(name, context);
      // The boundary reads every client frame, Colyseus only the pings, leaves and join acknowledgements it passes on.
      this.boundary.interceptFrames();
      // Entries outlive a few missed refreshes (one per save round), not a dead process.
      this.social = new SocialLink({ ...deps, onlineTtlSeconds: settings.SAVE_INTERVAL_SECONDS * 3 + 5 }, this.roomId);
      this.occupancy = new Occupancy(deps, {
        roomId: this.roomId,
        presence: this.presence,
        area: this.areaData,
        sim: this.sim,
        combat: this.combat,
        players: {
          set: (sessionId, player) => {
            this.state.players.set(sessionId, player);
            this.views.place(player, player.x, player.y);
          },
          delete: (sessionId) => {
            const player = this.state.players.get(sessionId);
            if (player) this.views.remove(player);
            this.state.players.delete(sessionId);
          },
        },
        social: this.social,
        now: () => this.clock.currentTime,
        later: (task, ms) => void this.clock.setTimeout(task, ms),
        background: (work, what) => this.boundary.background(work, what),
      });
      // A slice of the occupants each second, so that each is saved once per interval and no tick waits on a whole round.
      this.clock.setInterval(() => this.boundary.background(this.occupancy.saveSlice(), 'saveSlice'), SAVE_SLICE_MS);
      await this.social.start(
        (characterId) => this.occupancy.clientsOf(characterId),
        (characterId, notification) => {
          // Party members share experience and loot: combat follows every party change.
          if (notification.type !== 'party.updated') return;
          const occupant = this.occupancy.byCharacterId(characterId);
          if (occupant) setPlayerParty(this.combat, occupant.client.sessionId, notification.party?.id ?? null);
        },
      );
      this.sanctions = new RoomSanctions<Occupant>(deps, {
        area,
        occupants: () => this.occupancy.all(),
        release: (occupant, closeCode) => this.occupancy.release(occupant, closeCode),
        broadcast: (line) => this.broadcast(ServerMessage.chat, line),
      });
      await this.sanctions.start();
      this.chatLog = new AreaChatLog(deps, { roomId: this.roomId, area });
      this.stopFollowingRevocations = await deps.bus.subscribe('auth.session_revoked', (event) => this.occupancy.revoke(event.sessionId));
      // Gear changed through the player API while playing counts from the next swing.
      this.stopFollowingEquipment = await deps.bus.subscribe('character.equipment_changed', (event) => {
        const occupant = this.occupancy.byCharacterId(event.characterId);
        if (occupant) setPlayerEquipment(this.combat, occupant.client.sessionId, event.equipped);
      });
      // Ready for players: transfers from rooms of this process may reserve here directly.
      deps.localInstances?.add(area, this);
    }

    /** Colyseus picks its own schema serializer when the state is set: this room keeps its own. */
    override setSerializer(serializer: Parameters<Room['setSerializer']>[0]): void {
      super.setSerializer(this.patches ?? serializer);
    }

    override async onJoin(client: Client): Promise<void> {
      // A seat reserved just before a ban is refused here; the process's sanction list is current.
      this.sanctions.assertMayJoin(seatHolderSchema.parse(client.auth).accountId);
      const occupant = await this.occupancy.admit(client);
      this.views.watch(client, occupant.view.x, occupant.view.y);
      this.boundary.background(this.social.arrived(occupant), 'arrived');
      this.boundary.guard(client);
    }

    /**
     * A connection lost without a goodbye: the character stands still and waits for it. Not
     * after the room closed it for an error (flood, malformed message) or released the
     * character: those must not come back through a reconnection.
     */
    override onDrop(client: Client, code?: number): void {
      const occupant = this.occupancy.get(client.sessionId);
      if (!occupant || occupant.phase === 'released' || code === CloseCode.WITH_ERROR) return;
      haltPlayer(this.sim, client.sessionId);
      // Refused at once while the room closes (shutdown), or when the time runs out: Colyseus
      // then calls onLeave, which saves the character.
      Promise.resolve(this.allowReconnection(client, deps.settings.RECONNECT_SECONDS)).catch(() => undefined);
    }

    override onReconnect(client: Client): void {
      const occupant = this.occupancy.reattach(client);
      // It receives the whole state again: a view of its own, as on a join.
      this.views.watch(client, occupant.view.x, occupant.view.y);
      // What was sent while away did not arrive: announced again, the backlog pushes it.
      this.boundary.background(this.social.arrived(occupant), 'arrived');
      this.boundary.guard(client);
    }

    /** Whatever a hook, handler or timer of this room throws ends here, contained. */
    override onUncaughtException(error: RoomException, method: RoomMethodName): void {
      this.boundary.onException(error, method);
    }

    override async onLeave(client: Client): Promise<void> {
      this.boundary.forget(client.sessionId);
      this.views.unwatch(client.sessionId);
      await this.social.handedOverLeft(client.sessionId);
      await this.occupancy.leave(client.sessionId);
    }

    override async onDispose(): Promise<void> {
      this.ticks?.stop();
      if (this.areaData) deps.localInstances?.delete(this.areaData.id, this);
      await this.stopFollowingRevocations?.();
      await this.stopFollowingEquipment?.();
      await this.sanctions?.stop();
      await this.social.stop();
      await this.occupancy.shutdown();
    }

    /**
     * Called by a room (any process) where the same character is joining: save here, drop
     * this connection, and answer once every save of the character has landed, so that the
     * newcomer loads the latest progress.
     */
    async releaseCharacter(sessionId: string, characterId: string): Promise<boolean> {
      return this.occupancy.releaseCharacter(sessionId, characterId);
    }

    /**
     * One tick: the movement phases (`tick`), then combat's (`stepCombatWorld`) over the
     * positions they left, then the patch, which goes out even if the simulation failed (the
     * failure reaches `onUncaughtException`). The tick's `combat` messages wait for the patch
     * (`CellPatchSerializer`): each client's leave with it in one write.
     */
    private step(): void {
      try {
        const started = performance.now();
        const now = this.clock.currentTime;
        for (const event of tick(this.sim, now)) applySimEvent(this.syncTarget, event);
        this.combatSync.apply(stepCombatWorld(this.combat, now, this.rng));
        deps.metrics?.recordTick(this.roomId, started, performance.now() - started);
      } finally {
        this.broadcastPatch();
      }
    }

    /**
     * The patch (`CellPatchSerializer`: each distinct view encoded once, its bytes and the cell's
     * messages written to every client holding it), between the cell views' own bookkeeping;
     * timed for metrics. A failure (an encoder overflow, a metrics sink) is contained here: the
     * room and the process go on, and the next patch carries the state's changes again. What the
     * failed patch had to send of entities entering and leaving views (and what carries a client
     * that crossed into another cell to its new view) is not sent again: clients it did not reach
     * may keep or miss entities until they join again. The fault is logged once.
     */
    override broadcastPatch(): boolean {
      const started = performance.now();
      let sent = false;
      try {
        this.views.beforePatch();
        sent = super.broadcastPatch();
      } catch (error) {
        this.boundary.contain(error, 'broadcastPatch');
      }
      try {
        this.views.afterPatch();
        deps.metrics?.recordPatch(this.roomId, started, performance.now() - started);
      } catch (error) {
        this.boundary.contain(error, 'broadcastPatch');
      }
      return sent;
    }

    private sendError(client: Client, error: RoomError): void {
      client.send(ServerMessage.error, error);
    }

    private registerHandler<K extends ClientMessageName>(name: K, context: HandlerContext): void {
      const handler = messageHandlers[name];
      this.boundary.handle(name, (client, message) => handler(context, client, message));
    }

    /** What message handlers may use of this room (once the simulation exists). */
    private handlerContext(): HandlerContext {
      return {
        sim: this.sim,
        combat: this.combat,
        progress: deps.progress,
        pickingUp: new Set(),
        now: () => this.clock.currentTime,
        occupant: (sessionId) => this.occupancy.get(sessionId),
        applySimEvents: (events) => {
          for (const event of events) applySimEvent(this.syncTarget, event);
        },
        sendError: (client, error) => this.sendError(client, error),
        sendCombat: (client, events) => client.send(ServerMessage.combat, { events }),
        background: (work, what) => this.boundary.background(work, what),
        broadcastChat: (line) => this.broadcast(ServerMessage.chat, line),
        relayChat: (occupant, channel, text) => this.boundary.background(this.social.relayChat(occupant, channel, text), 'relayChat'),
        cleanText: (text) => deps.filter.clean(text),
        chatRefusal: (accountId) => this.sanctions.chatRefusal(accountId),
        recordAreaLine: (occupant, text) =>
          this.chatLog.record({ characterId: occupant.character.id, from: occupant.character.name, text, sentAt: new Date().toISOString() }),
        reportAreaLine: (occupant, client, lineId, reason) =>
          this.boundary.background(
            this.chatLog.report(occupant.character, lineId, reason).then((refused) => refused && this.sendError(client, refused)),
            'reportChat',
          ),
      };
    }

    /** What turning simulation events into state and messages may use of this room (once its views exist). */
    private syncTargetOf(views: CellViews): SyncTarget {
      return {
        views,
        occupant: (sessionId) => this.occupancy.get(sessionId),
        sendError: (occupant, error) => this.sendError(occupant.client, error),
        transfer: (occupant, portal) => this.boundary.background(this.occupancy.transfer(occupant, portal), 'transfer'),
      };
    }
  };
}

/** A 32-bit seed from a room id, so each instance rolls its own sequence. */
function seedOf(roomId: string): number {
  let hash = 2_166_136_261;
  for (let i = 0; i < roomId.length; i += 1) hash = Math.imul(hash ^ roomId.charCodeAt(i), 16_777_619);
  return hash >>> 0;
}
