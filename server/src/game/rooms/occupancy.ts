import type { Client, Presence } from '@colyseus/core';
import {
  ErrorCode,
  GameCloseCode,
  ServerMessage,
  type Area,
  type Portal,
  type RoomError,
  type TransferMessage,
} from '@mmo/shared';
import { CharacterGoneError, type CharacterProgress, type CharacterRecord } from '../character.store.js';
import { areCurrentClaims, beginClaim, forgetHolder, isSameHolder, recordAndConfirm, type Holder } from '../character-claims.js';
import { seatHolderSchema } from '../placement.js';
import { roomError, roomRefusal } from '../room-errors.js';
import type { GameProgress } from '../progress.store.js';
import { removeCombatPlayer, type CombatWorld } from '../world/combat-world.js';
import { progressOf } from '../world/combat-view.js';
import { cancelPortal } from '../world/input.js';
import { hasUnsavedGrants } from '../world/rewards.js';
import { removePlayer, type AreaSimulation } from '../world/simulation.js';
import type { MapAreaDeps } from './map-area.deps.js';
import type { PlayerState } from './map-area.state.js';
import { isReleased, placeInWorld, type LoadedProgress, type Occupant } from './occupant.js';
import { ProgressWrites } from './progress-writes.js';
import { releaseInOtherRoom } from './release-elsewhere.js';
import { SaveRotation } from './save-rotation.js';
import type { SocialLink } from './social-link.js';

/** How often the room saves one slice of its occupants (`Occupancy.saveSlice`). */
export const SAVE_SLICE_MS = 1000;

/** What occupancy needs of its room. */
export interface OccupancyHost {
  readonly roomId: string;
  readonly presence: Presence;
  readonly area: Area;
  readonly sim: AreaSimulation;
  readonly combat: CombatWorld;
  /** The synced `players` map of the room state. */
  readonly players: { set(id: string, view: PlayerState): unknown; delete(id: string): unknown };
  readonly social: SocialLink;
  now(): number;
  /** Runs `task` after `ms` on the room clock. */
  later(task: () => void, ms: number): void;
  /** Runs a promise nobody awaits, its rejection logged. */
  background(work: Promise<unknown>, what: string): void;
}

/**
 * Who is in this room and in which phase (`Occupant.phase`), and everything that moves a
 * character in or out of it: the claim on join and the takeover of an earlier connection (on
 * any process), release (takeover, revocation, deletion), the saves (each character's in order,
 * `ProgressWrites`) and the save rounds (`SaveRotation`), and transfers through portals.
 */
export class Occupancy {
  private readonly occupants = new Map<string, Occupant>();
  /** The same occupants by character id, for social deliveries. */
  private readonly byCharacter = new Map<string, Occupant>();
  /** Each character's progress writes, in order, with its reward grants. */
  private readonly saves: ProgressWrites;
  /** Which slice of the save interval saves each occupant. */
  private readonly rotation: SaveRotation<Occupant>;

  constructor(
    /** The room's dependencies but its ticks, which are the room's own business. */
    private readonly deps: Omit<MapAreaDeps, 'ticks'>,
    private readonly host: OccupancyHost,
  ) {
    this.saves = new ProgressWrites({ progress: deps.progress, logger: deps.logger, ledger: host.combat.rewards, roomId: host.roomId });
    this.rotation = new SaveRotation(Math.max(1, Math.round((deps.settings.SAVE_INTERVAL_SECONDS * 1000) / SAVE_SLICE_MS)));
  }

  get(sessionId: string): Occupant | undefined {
    return this.occupants.get(sessionId);
  }

  /** Every occupant here, in any phase. */
  all(): Iterable<Occupant> {
    return this.occupants.values();
  }

  /** The occupant playing a character here, unless released. */
  byCharacterId(characterId: string): Occupant | undefined {
    const occupant = this.byCharacter.get(characterId);
    return occupant && occupant.phase !== 'released' ? occupant : undefined;
  }

  /** The connection a character plays on here, unless released. */
  clientsOf(characterId: string): Client[] {
    const occupant = this.byCharacter.get(characterId);
    return occupant && occupant.phase !== 'released' ? [occupant.client] : [];
  }

  /**
   * Checks the seat's holder, takes the character over from any earlier connection (on any
   * process, which saves first), then loads it fresh and places it in the simulation and the
   * state. A newer join of the same character that began meanwhile wins, and this one is refused.
   *
   * A character handed over through a portal skips the takeover: the room that sent it released
   * it and saved its exit before the client got the seat, so when the claim finds that room's
   * record still standing (nobody joined in between, or their record would have replaced it),
   * there is nobody to ask to let go, and what was loaded after the client arrived is current.
   * Its progress then loads beside the first check instead of after the claim.
   */
  async admit(client: Client): Promise<Occupant> {
    const { deps, host } = this;
    const { handover, ...holder } = seatHolderSchema.parse(client.auth);
    if (deps.denylist.has(holder.loginSessionId)) throw roomRefusal(ErrorCode.SESSION_REVOKED);
    // Only used if the claim confirms the handover; otherwise loaded again after the takeover.
    const early = handover ? this.loadProgress(holder.characterId) : undefined;
    early?.catch(() => undefined);
    const checked = this.checkCharacter(await deps.characters.load(holder.characterId, holder.accountId));
    const claim = await beginClaim(host.presence, holder.characterId);
    let character: CharacterRecord;
    let loaded: LoadedProgress;
    if (early && claim.previous && handover && isSameHolder(claim.previous, handover)) {
      character = checked;
      loaded = await early;
    } else {
      if (claim.previous) await this.releaseElsewhere(claim.previous, holder.characterId);
      // After the previous holder's saves have landed, so both read its latest progress.
      [character, loaded] = await Promise.all([
        deps.characters.load(holder.characterId, holder.accountId).then((row) => this.checkCharacter(row)),
        this.loadProgress(holder.characterId),
      ]);
    }
    // Recorded before the final check, so that a join that begins after this point finds
    // this one to release rather than nobody.
    if (!(await recordAndConfirm(host.presence, holder.characterId, { generation: claim.generation, roomId: host.roomId, sessionId: client.sessionId }))) {
      await forgetHolder(host.presence, holder.characterId, claim.generation);
      throw roomRefusal(ErrorCode.CHARACTER_ELSEWHERE);
    }
    const occupant = placeInWorld(host, { client, holder, generation: claim.generation, character, loaded });
    this.occupants.set(client.sessionId, occupant);
    this.byCharacter.set(character.id, occupant);
    this.rotation.place(occupant);
    host.players.set(client.sessionId, occupant.view);
    return occupant;
  }

  /** A reconnected client takes its occupant back; refused if the character was released meanwhile. */
  reattach(client: Client): Occupant {
    const occupant = this.occupants.get(client.sessionId);
    // Taken over or revoked while dropped: the seat came back, the character did not.
    if (!occupant) throw roomRefusal(ErrorCode.CHARACTER_ELSEWHERE);
    occupant.client = client;
    return occupant;
  }

  /** A connection left: a playing character is saved and announced offline; the claim is let go. */
  async leave(sessionId: string): Promise<void> {
    const occupant = this.occupants.get(sessionId);
    if (!occupant) return;
    this.remove(occupant);
    if (occupant.phase === 'playing') await Promise.all([this.save(occupant), this.host.social.departed(occupant)]);
    // A transfer's own write may still be landing; the next join must find it done.
    await this.saves.settled(occupant.character.id);
    await forgetHolder(this.host.presence, occupant.character.id, occupant.generation);
  }

  /** A shutdown disposes rooms with players still in them: save what is left. */
  async shutdown(): Promise<void> {
    const staying = [...this.occupants.values()].filter((o) => o.phase === 'playing');
    await Promise.all(staying.flatMap((o) => [this.save(o), this.host.social.departed(o)]));
    await this.saves.drain();
  }

  /** Drops every connection of a revoked login session. */
  revoke(loginSessionId: string): void {
    for (const occupant of this.occupants.values()) {
      if (occupant.holder.loginSessionId === loginSessionId) this.host.background(this.release(occupant, GameCloseCode.SESSION_REVOKED), 'revoke');
    }
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

  /** What a join loads besides the character row: progress, worn items and party. */
  private async loadProgress(characterId: string): Promise<LoadedProgress> {
    const { progress } = this.deps;
    const [stored, equipped, partyId] = await Promise.all([progress.load(characterId), progress.equipped(characterId), progress.partyOf(characterId)]);
    if (!stored) throw roomRefusal(ErrorCode.CHARACTER_NOT_FOUND);
    return { stored, equipped, partyId };
  }

  private checkCharacter(character: CharacterRecord | null): CharacterRecord {
    if (!character) throw roomRefusal(ErrorCode.CHARACTER_NOT_FOUND);
    if (character.area !== this.host.area.id) throw roomRefusal(ErrorCode.CHARACTER_ELSEWHERE);
    return character;
  }

  private async releaseElsewhere(previous: Holder, characterId: string): Promise<void> {
    if (previous.roomId === this.host.roomId) await this.releaseCharacter(previous.sessionId, characterId);
    else await releaseInOtherRoom(previous, characterId, this.deps.logger);
  }

  /**
   * Through a portal: save the character at the exit, reserve its seat in an instance of the
   * target area (on any process) and hand the reservation to the client. If the save fails
   * the player stays; if no seat can be had, the old position is saved back. A takeover or
   * revocation meanwhile wins: the exit stays saved and no `transfer` is sent.
   *
   * The save and the reservation run at once: neither needs the other, and the client gets the
   * seat only once the exit has landed, so the destination always loads it. A seat reserved for
   * a transfer that then does not happen (failed save, takeover, revocation) is never handed to
   * anyone and expires unused.
   */
  async transfer(occupant: Occupant, portal: Portal): Promise<void> {
    const from: CharacterProgress = { area: occupant.character.area, x: occupant.character.x, y: occupant.character.y };
    const to: CharacterProgress = portal.to;
    occupant.phase = 'transferring';
    occupant.dirty = false;
    const stay = (message: string) => {
      // Released meanwhile (takeover, revocation): that stands.
      if (occupant.phase !== 'transferring') return;
      occupant.phase = 'playing';
      cancelPortal(this.host.sim, occupant.client.sessionId);
      this.sendError(occupant.client, roomError(ErrorCode.SERVICE_UNAVAILABLE, message));
    };
    const revoked = () => this.deps.denylist.has(occupant.holder.loginSessionId);
    const saving = this.saves.save(occupant, to);
    const handover = { generation: occupant.generation, roomId: this.host.roomId, sessionId: occupant.client.sessionId };
    const reserving = revoked() ? Promise.reject(new Error('session revoked')) : this.deps.reserveSeat(to.area, { ...occupant.holder, handover });
    const [saved, reserved] = await Promise.allSettled([saving, reserving]);
    if (saved.status === 'rejected') {
      occupant.dirty = true;
      stay('The portal is not working; try again.');
      return;
    }
    if (isReleased(occupant)) return;
    // Revocation checked again: it can reach the denylist alone (a catch-up) while the seat is reserved.
    if (reserved.status === 'rejected' || revoked()) {
      this.deps.logger.error({ err: reserved.status === 'rejected' ? reserved.reason : new Error('session revoked'), area: to.area }, 'no seat for a transfer');
      // Taken over or gone meanwhile: the exit stays saved; writing `from` back would undo
      // what a newer holder may already have loaded.
      if (isReleased(occupant) || !this.occupants.has(occupant.client.sessionId)) return;
      await this.saves.save(occupant, from).catch(() => (occupant.dirty = true));
      stay('The way is blocked; try again.');
      return;
    }
    const reservation = reserved.value;
    occupant.phase = 'released';
    Object.assign(occupant.character, to);
    // Out of the simulation and combat: from here its progress no longer changes.
    this.remove(occupant);
    // What it gained or lost while the exit saved (a kill's experience and loot, a blow taken)
    // would be lost: the destination loads what is saved. Queued before any await, so that a
    // takeover's release waits for it too; written before the client has the seat. Compared with
    // what the exit wrote rather than read from `dirty`, which a step taken meanwhile sets too.
    if (!sameProgress(saved.value, progressOf(occupant.fighter)) || hasUnsavedGrants(this.host.combat.rewards, occupant.character.id)) {
      await this.saves.save(occupant, to).catch((error: unknown) => this.deps.logger.error({ err: error, characterId: occupant.character.id }, 'progress made during a transfer was not saved'));
    }
    this.host.social.handedOver(occupant);
    const message: TransferMessage = { reservation, area: to.area };
    occupant.client.send(ServerMessage.transfer, message);
    // The client leaves by itself once it has joined the new room; one that does not is let go.
    this.host.later(() => occupant.client.leave(GameCloseCode.TRANSFERRED), 10_000);
  }

  /** Removes, saves and disconnects an occupant whose character now lives elsewhere or nowhere. */
  async release(occupant: Occupant, closeCode: number, options: { save: boolean } = { save: true }): Promise<void> {
    if (isReleased(occupant)) return;
    // A transfer in flight saves the character itself: its exit, or its old place back.
    const wasPlaying = occupant.phase === 'playing';
    occupant.phase = 'released';
    this.remove(occupant);
    if (options.save && wasPlaying) await this.save(occupant);
    // Taken over: the character plays on elsewhere, so it is not announced offline.
    if (closeCode !== GameCloseCode.TAKEN_OVER) await this.host.social.departed(occupant);
    occupant.client.leave(closeCode);
  }

  private remove(occupant: Occupant): void {
    const id = occupant.client.sessionId;
    if (!this.occupants.delete(id)) return;
    if (this.byCharacter.get(occupant.character.id) === occupant) this.byCharacter.delete(occupant.character.id);
    this.rotation.remove(occupant);
    removePlayer(this.host.sim, id);
    removeCombatPlayer(this.host.combat, id);
    this.host.players.delete(id);
  }

  /** Saves an occupant's current progress; a failure keeps it dirty for the next round. */
  private async save(occupant: Occupant): Promise<void> {
    occupant.dirty = false;
    const { character } = occupant;
    try {
      await this.saves.save(occupant, { area: character.area, x: character.x, y: character.y });
    } catch (error) {
      if (error instanceof CharacterGoneError) {
        this.host.background(this.release(occupant, GameCloseCode.CHARACTER_GONE), 'release');
        return;
      }
      // Logged by the store. While the player is here, the next round tries again; after a
      // leave there is no next round, and the progress since the last save is lost.
      if (occupant.phase !== 'released') occupant.dirty = true;
    }
  }

  /**
   * Every `SAVE_SLICE_MS`: the next slot of the rotation (so each occupant once per save
   * interval) has its claims checked, its online entries refreshed and its changed progress
   * written in one batch. A character a newer join claimed whose release request never arrived
   * (a lost message, a process restart) is let go. The work done here before the first await is
   * bounded by the slice, never by the room.
   */
  async saveSlice(): Promise<void> {
    await this.saveOccupants(this.rotation.takeTurn().filter((o) => o.phase === 'playing'));
  }

  private async saveOccupants(due: readonly Occupant[]): Promise<void> {
    if (due.length === 0) return;
    const claims = await areCurrentClaims(this.host.presence, due.map((o) => ({ characterId: o.character.id, generation: o.generation })));
    const current: Occupant[] = [];
    const stale: Occupant[] = [];
    let unchecked = 0;
    due.forEach((occupant, index) => {
      const claim = claims[index]!;
      if (claim.status === 'rejected') unchecked += 1;
      // Gone meanwhile (a leave, a takeover, a portal): its own save covers it, and refreshing
      // its online entry would write back the one its departure removed.
      else if (occupant.phase !== 'playing' || this.occupants.get(occupant.client.sessionId) !== occupant) return;
      else if (claim.value) current.push(occupant);
      else stale.push(occupant);
    });
    // Presence (Redis) unreachable: try again next interval; the players stay. Logged once a slice.
    if (unchecked > 0) this.deps.logger.warn({ err: claims.find((c) => c.status === 'rejected')?.reason, characters: unchecked }, 'could not check character claims');
    // A newer join holds these characters and has loaded them: saving here would overwrite
    // their progress with a stale copy.
    const releases = stale.map((occupant) => this.release(occupant, GameCloseCode.TAKEN_OVER, { save: false }));
    // A character with a write in flight (a slow earlier slice) waits for the next interval.
    const dirty = current.filter((o) => o.dirty && !this.saves.busy(o.character.id));
    await Promise.all([...releases, this.host.social.refreshMany(current), this.saveBatch(dirty)]);
  }

  /**
   * One batched save of several occupants, queued for each (so a leave or a transfer of one of
   * them waits for it). A character found deleted is released as one save would; a failed batch
   * keeps every occupant still here dirty (its grants are back in the ledger) for the next save.
   */
  private async saveBatch(occupants: readonly Occupant[]): Promise<void> {
    if (occupants.length === 0) return;
    for (const occupant of occupants) occupant.dirty = false;
    let gone: Set<string>;
    try {
      gone = await this.saves.saveMany(occupants);
    } catch {
      // Logged by the retry. The next interval tries again for those still here.
      for (const occupant of occupants) if (occupant.phase !== 'released') occupant.dirty = true;
      return;
    }
    for (const occupant of occupants) {
      if (gone.has(occupant.character.id)) this.host.background(this.release(occupant, GameCloseCode.CHARACTER_GONE, { save: false }), 'release');
    }
  }

  private sendError(client: Client, error: RoomError): void {
    client.send(ServerMessage.error, error);
  }
}

/** Whether two snapshots of one character carry the same combat progress. */
function sameProgress(a: GameProgress, b: ReturnType<typeof progressOf>): boolean {
  return a.level === b.level && a.xp === b.xp && a.monstersDefeated === b.monstersDefeated && a.hp === b.hp;
}
