import { isRecordNotFound, leaderboardCharacterOf, type LeaderboardRow, type LeaderboardStore, type Logger, type PrismaClient } from '@mmo/platform';
import { AREA_IDS, characterClassOf, type AreaId, type CharacterClass } from '@mmo/shared';

/** What a game server needs of a character, loaded once on join. */
export interface CharacterRecord {
  id: string;
  accountId: string;
  name: string;
  class: CharacterClass;
  level: number;
  area: AreaId;
  x: number;
  y: number;
}

/** The fields a game server writes back: character progress, nothing else of the row. */
export type CharacterProgress = Pick<CharacterRecord, 'area' | 'x' | 'y'>;

/** How often and how patiently a save is retried. */
export interface SaveRetry {
  attempts: number;
  firstDelayMs: number;
}

export const DEFAULT_SAVE_RETRY: SaveRetry = { attempts: 3, firstDelayMs: 100 };

/**
 * Runs one save of a character, retried with doubling delays up to `retry.attempts` in all. A
 * deleted character will not come back, so its save is not retried (`CharacterGoneError`);
 * when every attempt fails the error is logged and rethrown for the caller to keep the progress
 * dirty. The write must be idempotent (both stores' saves are).
 */
export async function saveWithRetry<T>(retry: SaveRetry, logger: Logger, characterId: string, write: () => Promise<T>): Promise<T> {
  return retrySave(retry, logger, { characterId }, write, (error) => {
    if (isRecordNotFound(error)) throw new CharacterGoneError(characterId);
  });
}

/**
 * The retry loop of a save, for one character or a batch (whose store answers deleted
 * characters itself): `fatal` may throw to stop at once; `subject` names the save in logs.
 */
export async function retrySave<T>(retry: SaveRetry, logger: Logger, subject: Record<string, unknown>, write: () => Promise<T>, fatal: (error: unknown) => void = () => {}): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      fatal(error);
      if (attempt >= retry.attempts) {
        logger.error({ err: error, ...subject, attempts: attempt }, 'could not save character progress');
        throw error;
      }
      logger.warn({ err: error, ...subject, attempt }, 'saving character progress failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, retry.firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/** A save found no character row: it was deleted while its character played. */
export class CharacterGoneError extends Error {
  constructor(readonly characterId: string) {
    super('the character no longer exists');
    this.name = 'CharacterGoneError';
  }
}

/**
 * What a game server needs of character storage: load on join, save progress while playing.
 * `saveProgress` rejects with `CharacterGoneError` when the character no longer exists; any
 * other rejection means the save may be tried again later.
 */
export interface CharacterStore {
  /** The character if it exists and belongs to `accountId`, else null. */
  load(characterId: string, accountId: string): Promise<CharacterRecord | null>;
  saveProgress(characterId: string, progress: CharacterProgress): Promise<void>;
}

/**
 * Characters in memory, for rules and rooms tested without a database. Holds copies: what a
 * caller changes after a load or save is not stored until saved.
 */
export class InMemoryCharacterStore implements CharacterStore {
  private readonly rows = new Map<string, CharacterRecord>();

  constructor(characters: CharacterRecord[] = []) {
    for (const character of characters) this.add(character);
  }

  /** Stores a character, as the player API creates one. */
  add(character: CharacterRecord): void {
    this.rows.set(character.id, { ...character });
  }

  async load(characterId: string, accountId: string): Promise<CharacterRecord | null> {
    const row = this.rows.get(characterId);
    return row && row.accountId === accountId ? { ...row } : null;
  }

  async saveProgress(characterId: string, progress: CharacterProgress): Promise<void> {
    const row = this.rows.get(characterId);
    if (!row) throw new CharacterGoneError(characterId);
    Object.assign(row, progress);
  }

  /** Deletes a character, as its owner may while it plays. */
  delete(characterId: string): void {
    this.rows.delete(characterId);
  }
}

/**
 * Characters in the database through Prisma. A failed save is retried with backoff
 * (`attempts` in all); if every attempt fails the error is logged and rethrown, and the caller
 * keeps the progress dirty to try again later. The player is never dropped for it, unless the
 * character row is gone. Each save also puts the saved row on the leaderboards.
 */
export class PrismaCharacterStore implements CharacterStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly retry: SaveRetry = DEFAULT_SAVE_RETRY,
    /** Absent only where the save alone is under test. */
    private readonly leaderboards?: LeaderboardStore,
  ) {}

  async load(characterId: string, accountId: string): Promise<CharacterRecord | null> {
    const row = await this.prisma.character.findFirst({ where: { id: characterId, accountId } });
    if (!row) return null;
    const area = AREA_IDS.find((id) => id === row.area);
    const characterClass = characterClassOf(row.class);
    if (!area || !characterClass) {
      this.logger.error({ characterId, area: row.area, class: row.class }, 'character row names an unknown area or class');
      return null;
    }
    return { id: row.id, accountId: row.accountId, name: row.name, class: characterClass, level: row.level, area, x: row.x, y: row.y };
  }

  async saveProgress(characterId: string, progress: CharacterProgress): Promise<void> {
    await saveWithRetry(this.retry, this.logger, characterId, async () => {
      // Saved while playing and at the leave: the last save is when the character was last seen.
      const row = await this.prisma.character.update({ where: { id: characterId }, data: { ...progress, lastSeenAt: new Date() } });
      await this.recordOnLeaderboards(row);
    });
  }


  /**
   * Puts the saved row on the leaderboards. Errors here are logged and never fail the save:
   * the progress is in the database, and the boards catch up on the next save or a rebuild.
   */
  private async recordOnLeaderboards(row: LeaderboardRow): Promise<void> {
    if (!this.leaderboards) return;
    try {
      const character = leaderboardCharacterOf(row);
      if (character) await this.leaderboards.record(character);
    } catch (error) {
      this.logger.warn({ err: error, characterId: row.id }, 'could not record a saved character on the leaderboards');
    }
  }
}
