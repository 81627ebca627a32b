import type { EventBus, Logger } from '@mmo/platform';
import { ErrorCode, type AreaId, type ReportedChatLine, type RoomError } from '@mmo/shared';

/** How many area lines a room keeps for reports, and how many around a reported one it sends. */
const KEPT_LINES = 50;
const CONTEXT_BEFORE = 10;
const CONTEXT_AFTER = 10;

/**
 * The last area chat lines of one room instance, so that a player can report a line and the
 * moderators see what was said around it. Lines get ids unique in the room (`<roomId>:<n>`),
 * sent with each broadcast line. Nothing is stored unless a line is reported.
 */
export class AreaChatLog {
  private readonly lines: ReportedChatLine[] = [];
  private next = 0;

  constructor(
    private readonly deps: { bus: EventBus; logger: Logger },
    private readonly room: { roomId: string; area: AreaId },
  ) {}

  /** Keeps a line just broadcast; answers its id. */
  record(line: Omit<ReportedChatLine, 'id'>): string {
    this.next += 1;
    const id = `${this.room.roomId}:${this.next}`;
    this.lines.push({ id, ...line });
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    return id;
  }

  /**
   * Sends a report of a kept line, with the lines around it, to the social API over the bus.
   * Answers the error to send the reporter, or null when the report went out.
   */
  async report(reporter: { id: string; name: string }, lineId: string, reason: string): Promise<RoomError | null> {
    const index = this.lines.findIndex((line) => line.id === lineId);
    if (index === -1) return { code: ErrorCode.MESSAGE_NOT_FOUND, message: 'That line is no longer kept here; report lines within a few minutes.' };
    const line = this.lines[index]!;
    if (line.characterId === reporter.id) return { code: ErrorCode.CANNOT_TARGET_SELF, message: 'You cannot report your own line.' };
    const context = this.lines.slice(Math.max(0, index - CONTEXT_BEFORE), index + CONTEXT_AFTER + 1);
    try {
      await this.deps.bus.publish('game.chat_report', { reporterId: reporter.id, reporterName: reporter.name, area: this.room.area, roomId: this.room.roomId, line, context, reason });
      return null;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not send a chat report');
      return { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'Reports are not available right now.' };
    }
  }
}
