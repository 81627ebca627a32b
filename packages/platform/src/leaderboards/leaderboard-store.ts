import { CharacterClass, characterClassOf, LEADERBOARDS, leaderboardScore, type Leaderboard } from '@mmo/shared';

/** What the boards know of a character: enough to rank it and to show it. */
export interface LeaderboardCharacter {
  characterId: string;
  name: string;
  class: CharacterClass;
  level: number;
  xp: number;
  gold: number;
  monstersDefeated: number;
  /** A hidden character is on no board. */
  hidden: boolean;
  /**
   * When this state of the character was written (ms; the row's `updatedAt`). A write older
   * than the last one the boards took for this character is ignored, so a save that read the
   * row before a hide or a deletion cannot put the character back. Now, when absent.
   */
  version?: number;
}

/** One line of a board; `rank` starts at 1. */
export interface LeaderboardStoreEntry {
  rank: number;
  characterId: string;
  name: string;
  class: CharacterClass;
  level: number;
  score: number;
}

/** Which board to read: the overall one, or one class's. */
export interface LeaderboardSelection {
  class?: CharacterClass | undefined;
}

/**
 * The leaderboards of every character: written by the player API (creation, deletion, hiding,
 * rebuilds) and the game servers (each progress save), read by the player API. The database
 * is the truth; the boards are a derived index that `rebuild` can restore at any time.
 *
 * Ties: characters with equal scores are ordered by character id, greatest first (the order
 * Redis gives equal scores in a reverse range: by member bytes, reversed). It is arbitrary
 * but stable, so pages never overlap or skip a character while nobody's score changes.
 */
export interface LeaderboardStore {
  /**
   * Puts the character on every board (overall and its class's) with its current scores, or
   * removes it if hidden; ignored when the boards already took a newer version of it.
   */
  record(character: LeaderboardCharacter): Promise<void>;
  /**
   * `record` for several characters at once (a save round's slice), in one round trip where
   * the store is remote. Each character is recorded on its own terms: one ignored as older
   * does not hold back the others.
   */
  recordMany(characters: readonly LeaderboardCharacter[]): Promise<void>;
  /** Takes the character off every board, as of `version` (now by default): older records are then ignored. */
  remove(characterId: string, version?: number): Promise<void>;
  /** `limit` entries from `offset` (0-based) of a board, best first, and how many the board holds. */
  page(board: Leaderboard, options: LeaderboardSelection & { offset: number; limit: number }): Promise<{ entries: LeaderboardStoreEntry[]; total: number }>;
  /** The character's rank (1 = top) on a board, or null if it is not on it. */
  rankOf(board: Leaderboard, characterId: string, options?: LeaderboardSelection): Promise<number | null>;
  /** Replaces every board with these characters (hidden ones left out). */
  rebuild(characters: readonly LeaderboardCharacter[]): Promise<void>;
}

/** The stored row fields of a character that the boards read (Prisma's `Character` has them all). */
export interface LeaderboardRow {
  id: string;
  name: string;
  class: string;
  level: number;
  xp: bigint | number;
  gold: bigint | number;
  monstersDefeated: number;
  hidden: boolean;
  updatedAt: Date;
}

/** The prisma `select` that reads a `LeaderboardRow`. */
export const leaderboardRowSelect = {
  id: true, name: true, class: true, level: true, xp: true, gold: true, monstersDefeated: true, hidden: true, updatedAt: true,
} as const;

export const CLASSES = Object.values(CharacterClass);
export const BOARDS = Object.values(LEADERBOARDS);

/** A stored character as the boards see it, or null for a row naming an unknown class. */
export function leaderboardCharacterOf(row: LeaderboardRow): LeaderboardCharacter | null {
  const characterClass = characterClassOf(row.class);
  if (!characterClass) return null;
  // BigInt columns: a value past 2^53 loses precision, which ranking can live with.
  return {
    characterId: row.id,
    name: row.name,
    class: characterClass,
    level: row.level,
    xp: Number(row.xp),
    gold: Number(row.gold),
    monstersDefeated: row.monstersDefeated,
    hidden: row.hidden,
    version: row.updatedAt.getTime(),
  };
}

/** The scores of a character on each board. */
export function scoresOf(character: LeaderboardCharacter): Record<Leaderboard, number> {
  return Object.fromEntries(BOARDS.map((board) => [board, leaderboardScore(board, character)])) as Record<Leaderboard, number>;
}

export interface Ranked {
  id: string;
  score: number;
}

/** Best first: higher score, then (on a tie) the greater id, as Redis orders a reverse range. */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** One sorted board of the embedded implementation. */
class MemoryBoard {
  private readonly sorted: Ranked[] = [];
  private readonly scores = new Map<string, number>();

  get size(): number {
    return this.sorted.length;
  }

  set(id: string, score: number): void {
    this.delete(id);
    const entry = { id, score };
    this.sorted.splice(this.indexFor(entry), 0, entry);
    this.scores.set(id, score);
  }

  delete(id: string): void {
    const score = this.scores.get(id);
    if (score === undefined) return;
    this.sorted.splice(this.indexFor({ id, score }), 1);
    this.scores.delete(id);
  }

  /** 0-based position, or -1. */
  rankOf(id: string): number {
    const score = this.scores.get(id);
    return score === undefined ? -1 : this.indexFor({ id, score });
  }

  slice(offset: number, limit: number): Ranked[] {
    return this.sorted.slice(offset, offset + limit);
  }

  /** Where `entry` is or would go: the first position not ranked before it (binary search). */
  private indexFor(entry: Ranked): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareRanked(this.sorted[middle]!, entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

export type Shown = Pick<LeaderboardCharacter, 'name' | 'class' | 'level'>;

/** The boards of one process (embedded mode): sorted arrays, with the same order as Redis. */
export class MemoryLeaderboardStore implements LeaderboardStore {
  private boards = new Map<string, MemoryBoard>();
  private shown = new Map<string, Shown>();
  /** The newest version taken per character, tombstones of removals included. */
  private readonly versions = new Map<string, number>();

  async record(character: LeaderboardCharacter): Promise<void> {
    if (!this.takeVersion(character.characterId, character.version ?? Date.now())) return;
    this.put(character);
  }

  async recordMany(characters: readonly LeaderboardCharacter[]): Promise<void> {
    for (const character of characters) await this.record(character);
  }

  async remove(characterId: string, version = Date.now()): Promise<void> {
    if (!this.takeVersion(characterId, version)) return;
    for (const board of this.boards.values()) board.delete(characterId);
    this.shown.delete(characterId);
  }

  /** Whether a write of `version` is not older than what the boards hold; if so, it is taken. */
  private takeVersion(characterId: string, version: number): boolean {
    if ((this.versions.get(characterId) ?? -Infinity) > version) return false;
    this.versions.set(characterId, version);
    return true;
  }

  async page(board: Leaderboard, options: LeaderboardSelection & { offset: number; limit: number }): Promise<{ entries: LeaderboardStoreEntry[]; total: number }> {
    const sorted = this.boards.get(boardKey(board, options.class));
    if (!sorted) return { entries: [], total: 0 };
    const entries = sorted.slice(options.offset, options.limit).flatMap(({ id, score }, index) => {
      const shown = this.shown.get(id);
      return shown ? [{ rank: options.offset + index + 1, characterId: id, ...shown, score }] : [];
    });
    return { entries, total: sorted.size };
  }

  async rankOf(board: Leaderboard, characterId: string, options: LeaderboardSelection = {}): Promise<number | null> {
    const position = this.boards.get(boardKey(board, options.class))?.rankOf(characterId) ?? -1;
    return position < 0 ? null : position + 1;
  }

  async rebuild(characters: readonly LeaderboardCharacter[]): Promise<void> {
    this.boards = new Map();
    this.shown = new Map();
    for (const character of characters) {
      if ((this.versions.get(character.characterId) ?? -Infinity) <= (character.version ?? Date.now())) this.put(character);
    }
  }

  private put(character: LeaderboardCharacter): void {
    // Removing first also clears the boards of another class, should the class ever change.
    for (const board of this.boards.values()) board.delete(character.characterId);
    this.shown.delete(character.characterId);
    if (character.hidden) return;
    const scores = scoresOf(character);
    for (const board of BOARDS) {
      for (const key of [boardKey(board), boardKey(board, character.class)]) {
        let sorted = this.boards.get(key);
        if (!sorted) this.boards.set(key, (sorted = new MemoryBoard()));
        sorted.set(character.characterId, scores[board]);
      }
    }
    this.shown.set(character.characterId, { name: character.name, class: character.class, level: character.level });
  }
}

/** `level`, or `level:mage` for one class's board. */
export function boardKey(board: Leaderboard, characterClass?: CharacterClass): string {
  return characterClass ? `${board}:${characterClass}` : board;
}

/** Every board's key: each board overall and per class. */
export const ALL_BOARD_KEYS = BOARDS.flatMap((board) => [boardKey(board), ...CLASSES.map((c) => boardKey(board, c))]);


export function shownOf(character: LeaderboardCharacter): Shown {
  return { name: character.name, class: character.class, level: character.level };
}
