import { randomBytes } from 'node:crypto';
import { CharacterClass, LEADERBOARDS, leaderboardScore, type Leaderboard } from '@mmo/shared';
import type { ChainableCommander, Redis } from 'ioredis';

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
  /** Puts the character on every board (overall and its class's) with its current scores, or removes it if hidden. */
  record(character: LeaderboardCharacter): Promise<void>;
  /** Takes the character off every board. */
  remove(characterId: string): Promise<void>;
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
}

/** The prisma `select` that reads a `LeaderboardRow`. */
export const leaderboardRowSelect = {
  id: true, name: true, class: true, level: true, xp: true, gold: true, monstersDefeated: true, hidden: true,
} as const;

const CLASSES = Object.values(CharacterClass);
const BOARDS = Object.values(LEADERBOARDS);

/** A stored character as the boards see it, or null for a row naming an unknown class. */
export function leaderboardCharacterOf(row: LeaderboardRow): LeaderboardCharacter | null {
  const characterClass = CLASSES.find((c) => c === row.class);
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
  };
}

/** The scores of a character on each board. */
function scoresOf(character: LeaderboardCharacter): Record<Leaderboard, number> {
  return Object.fromEntries(BOARDS.map((board) => [board, leaderboardScore(board, character)])) as Record<Leaderboard, number>;
}

interface Ranked {
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

type Shown = Pick<LeaderboardCharacter, 'name' | 'class' | 'level'>;

/** The boards of one process (embedded mode): sorted arrays, with the same order as Redis. */
export class MemoryLeaderboardStore implements LeaderboardStore {
  private boards = new Map<string, MemoryBoard>();
  private shown = new Map<string, Shown>();

  async record(character: LeaderboardCharacter): Promise<void> {
    this.put(character);
  }

  async remove(characterId: string): Promise<void> {
    for (const board of this.boards.values()) board.delete(characterId);
    this.shown.delete(characterId);
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
    for (const character of characters) this.put(character);
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
function boardKey(board: Leaderboard, characterClass?: CharacterClass): string {
  return characterClass ? `${board}:${characterClass}` : board;
}

/** Every board's key: each board overall and per class. */
const ALL_BOARD_KEYS = BOARDS.flatMap((board) => [boardKey(board), ...CLASSES.map((c) => boardKey(board, c))]);

const SHOWN_KEY = 'characters';

function parseShown(raw: string | null | undefined): Shown | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Shown>;
    const characterClass = CLASSES.find((c) => c === value.class);
    if (typeof value.name !== 'string' || typeof value.level !== 'number' || !characterClass) return null;
    return { name: value.name, class: characterClass, level: value.level };
  } catch {
    return null;
  }
}

/** How many commands a rebuild sends to Redis in one round trip. */
const REBUILD_BATCH = 500;

/**
 * The boards of the cluster: one Redis sorted set per board and class (member: character id,
 * score: `leaderboardScore`), and one hash of what each entry shows (name, class, level).
 * A change of one character is one MULTI, so a reader never sees it on one board and not
 * another; a rebuild fills fresh keys and renames them over the live ones in one MULTI.
 */
export class RedisLeaderboardStore implements LeaderboardStore {
  /** `prefix` keeps the keys apart from other data (tests use one each). */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'mmo:leaderboard:',
  ) {}

  async record(character: LeaderboardCharacter): Promise<void> {
    const multi = this.redis.multi();
    if (character.hidden) {
      this.removeIn(multi, character.characterId);
    } else {
      const scores = scoresOf(character);
      for (const board of BOARDS) {
        multi.zadd(this.key(boardKey(board)), scores[board], character.characterId);
        for (const other of CLASSES) {
          const key = this.key(boardKey(board, other));
          if (other === character.class) multi.zadd(key, scores[board], character.characterId);
          else multi.zrem(key, character.characterId);
        }
      }
      multi.hset(this.key(SHOWN_KEY), character.characterId, JSON.stringify(shownOf(character)));
    }
    await execOrThrow(multi);
  }

  async remove(characterId: string): Promise<void> {
    const multi = this.redis.multi();
    this.removeIn(multi, characterId);
    await execOrThrow(multi);
  }

  async page(board: Leaderboard, options: LeaderboardSelection & { offset: number; limit: number }): Promise<{ entries: LeaderboardStoreEntry[]; total: number }> {
    const key = this.key(boardKey(board, options.class));
    const [range, total] = (await execOrThrow(
      this.redis.multi().zrevrange(key, options.offset, options.offset + options.limit - 1, 'WITHSCORES').zcard(key),
    )) as [string[], number];
    const ranked: Ranked[] = [];
    for (let i = 0; i + 1 < range.length; i += 2) ranked.push({ id: range[i]!, score: Number(range[i + 1]) });
    const shown = ranked.length === 0 ? [] : await this.redis.hmget(this.key(SHOWN_KEY), ...ranked.map((r) => r.id));
    // A character removed between the two reads has no card any more: it is left out.
    const entries = ranked.flatMap(({ id, score }, index) => {
      const card = parseShown(shown[index]);
      return card ? [{ rank: options.offset + index + 1, characterId: id, ...card, score }] : [];
    });
    return { entries, total };
  }

  async rankOf(board: Leaderboard, characterId: string, options: LeaderboardSelection = {}): Promise<number | null> {
    const position = await this.redis.zrevrank(this.key(boardKey(board, options.class)), characterId);
    return position === null ? null : position + 1;
  }

  async rebuild(characters: readonly LeaderboardCharacter[]): Promise<void> {
    const staging = `${this.prefix}rebuild:${randomBytes(6).toString('hex')}:`;
    const filled = new Set<string>();
    const visible = characters.filter((c) => !c.hidden);
    try {
      for (let start = 0; start < visible.length; start += REBUILD_BATCH) {
        const pipeline = this.redis.pipeline();
        for (const character of visible.slice(start, start + REBUILD_BATCH)) {
          const scores = scoresOf(character);
          for (const board of BOARDS) {
            for (const key of [boardKey(board), boardKey(board, character.class)]) {
              pipeline.zadd(staging + key, scores[board], character.characterId);
              filled.add(key);
            }
          }
          pipeline.hset(staging + SHOWN_KEY, character.characterId, JSON.stringify(shownOf(character)));
          filled.add(SHOWN_KEY);
        }
        await execOrThrow(pipeline);
      }
      const swap = this.redis.multi();
      for (const key of [...ALL_BOARD_KEYS, SHOWN_KEY]) {
        if (filled.has(key)) swap.rename(staging + key, this.key(key));
        else swap.del(this.key(key));
      }
      await execOrThrow(swap);
    } catch (error) {
      // Staging keys of a failed rebuild would otherwise stay in Redis for good.
      await this.redis.del(...[...filled].map((key) => staging + key)).catch(() => undefined);
      throw error;
    }
  }

  private removeIn(multi: ChainableCommander, characterId: string): void {
    for (const key of ALL_BOARD_KEYS) multi.zrem(this.key(key), characterId);
    multi.hdel(this.key(SHOWN_KEY), characterId);
  }

  private key(name: string): string {
    return this.prefix + name;
  }
}

function shownOf(character: LeaderboardCharacter): Shown {
  return { name: character.name, class: character.class, level: character.level };
}

/** Runs a MULTI or pipeline; rejects with the first command's error, if any. */
async function execOrThrow(batch: ChainableCommander): Promise<unknown[]> {
  const results = await batch.exec();
  if (!results) throw new Error('leaderboard transaction was aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}
