import { ServerError, type Client } from '@colyseus/core';
import { bannedError, mutedError, type EventBus, type Logger, type SanctionList } from '@mmo/platform';
import { ErrorCode, GameCloseCode, ServerMessage, type AreaId, type BusEvent, type ChatBroadcast, type RoomError } from '@mmo/shared';

/** What the enforcement needs of a room's connected character. */
export interface SanctionedOccupant {
  client: Client;
  holder: { accountId: string };
  phase: 'playing' | 'transferring' | 'released';
}

/** The room's side, as the enforcement sees it. */
export interface SanctionedRoom<O extends SanctionedOccupant> {
  area: AreaId;
  /** This room's live occupants. */
  occupants(): Iterable<O>;
  /** Saves, removes and disconnects an occupant with a close code (the room's own release). */
  release(occupant: O, closeCode: number): Promise<void>;
  /** Sends a chat line to every client of the room. */
  broadcast(line: ChatBroadcast): void;
}

export interface RoomSanctionDeps {
  bus: EventBus;
  sanctions: SanctionList;
  logger: Logger;
}

/** The `error` a refused client receives before the room closes it or refuses its line. */
function roomErrorOf(error: { code: RoomError['code']; message: string; extra: { sanction?: RoomError['sanction'] } }): RoomError {
  return { code: error.code, message: error.message, ...(error.extra.sanction ? { sanction: error.extra.sanction } : {}) };
}

/**
 * A map-area room's enforcement of moderators' sanctions: it closes a banned or kicked
 * account's connections (an `error` telling why first, then close code `BANNED` or `KICKED`, so
 * the SDK does not reconnect), refuses a banned account's join, answers `MUTED` with its end to
 * a muted account's chat, and shows moderators' announcements as `system` chat lines. The
 * process's `SanctionList` is kept current by the platform (bus and database), so a ban issued
 * while this process was down is enforced at join from its start.
 */
export class RoomSanctions<O extends SanctionedOccupant> {
  private readonly stops: (() => Promise<void>)[] = [];

  constructor(
    private readonly deps: RoomSanctionDeps,
    private readonly room: SanctionedRoom<O>,
  ) {}

  async start(): Promise<void> {
    this.stops.push(
      await this.deps.bus.subscribe('account.sanctions', (event) => this.onSanctions(event)),
      await this.deps.bus.subscribe('account.kick', (event) => this.onKick(event)),
      await this.deps.bus.subscribe('game.announcement', (event) => this.onAnnouncement(event)),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.stops.splice(0).map((stop) => stop()));
  }

  /** Refuses the join of a banned account (a seat reserved just before the ban). */
  assertMayJoin(accountId: string): void {
    const ban = this.deps.sanctions.banOf(accountId);
    if (ban) throw new ServerError(403, bannedError(ban).message);
  }

  /** The `MUTED` error for a muted account's chat line, or null when it may speak. */
  chatRefusal(accountId: string): RoomError | null {
    const mute = this.deps.sanctions.muteOf(accountId);
    return mute ? roomErrorOf(mutedError(mute)) : null;
  }

  private onSanctions(event: BusEvent<'account.sanctions'>): void {
    // The platform's own subscription applies it too; applying it here as well (idempotent)
    // does not depend on which handler the bus calls first.
    this.deps.sanctions.apply(event);
    const ban = this.deps.sanctions.banOf(event.accountId);
    if (!ban) return;
    this.closeAccount(event.accountId, roomErrorOf(bannedError(ban)), GameCloseCode.BANNED);
  }

  private onKick(event: BusEvent<'account.kick'>): void {
    this.closeAccount(event.accountId, { code: ErrorCode.KICKED, message: `A moderator ended this connection: ${event.reason}` }, GameCloseCode.KICKED);
  }

  private onAnnouncement(event: BusEvent<'game.announcement'>): void {
    if (event.area !== null && event.area !== this.room.area) return;
    this.room.broadcast({ from: 'System', text: event.text, channel: 'system' });
  }

  private closeAccount(accountId: string, notice: RoomError, closeCode: number): void {
    for (const occupant of this.room.occupants()) {
      if (occupant.phase === 'released' || occupant.holder.accountId !== accountId) continue;
      occupant.client.send(ServerMessage.error, notice);
      this.room.release(occupant, closeCode).catch((error: unknown) => this.deps.logger.error({ err: error, accountId }, 'could not close a sanctioned connection'));
    }
  }
}
