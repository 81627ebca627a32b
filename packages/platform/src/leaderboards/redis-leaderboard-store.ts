import { randomBytes } from 'node:crypto';
import { characterClassOf, type Leaderboard } from '@mmo/shared';
import type { ChainableCommander, Redis } from 'ioredis';
import {
  ALL_BOARD_KEYS,
  BOARDS,
  boardKey,
  CLASSES,
  scoresOf,
  shownOf,
  type LeaderboardCharacter,
  type LeaderboardSelection,
  type LeaderboardStore,
  type LeaderboardStoreEntry,
  type Ranked,
  type Shown,
} from './leaderboard-store.js';

const SHOWN_KEY = 'characters';

function parseShown(raw: string | null | undefined): Shown | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Shown>;
    const characterClass = characterClassOf(value.class);
    if (typeof value.name !== 'string' || typeof value.level !== 'number' || !characterClass) return null;
    return { name: value.name, class: characterClass, level: value.level };
  } catch {
    return null;
  }
}

const VERSIONS_KEY = 'versions';

/**
 * One character's change, atomically and only if not older than the last one taken: checks
 * and stores the version, then puts the character on its boards (or takes it off them).
 * KEYS: versions hash, shown hash, then per board its overall key and one key per class.
 * ARGV: id, version, 'record' or 'remove', class index (1-based), shown JSON, board count,
 * class count, then each board's score.
 */
const WRITE_IF_NEWER = `
local id, version = ARGV[1], tonumber(ARGV[2])
local current = tonumber(redis.call('HGET', KEYS[1], id) or '-1')
if current > version then return 0 end
redis.call('HSET', KEYS[1], id, ARGV[2])
local keep = ARGV[3] == 'record'
local class, boards, classes = tonumber(ARGV[4]), tonumber(ARGV[6]), tonumber(ARGV[7])
for b = 0, boards - 1 do
  local base = 3 + b * (classes + 1)
  local score = ARGV[8 + b]
  if keep then redis.call('ZADD', KEYS[base], score, id) else redis.call('ZREM', KEYS[base], id) end
  for c = 1, classes do
    if keep and c == class then redis.call('ZADD', KEYS[base + c], score, id) else redis.call('ZREM', KEYS[base + c], id) end
  end
end
if keep then redis.call('HSET', KEYS[2], id, ARGV[5]) else redis.call('HDEL', KEYS[2], id) end
return 1`;

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
    const scores = scoresOf(character);
    await this.write(character.characterId, character.version ?? Date.now(), character.hidden ? null : character, BOARDS.map((board) => scores[board]));
  }

  /** One pipeline of `WRITE_IF_NEWER` scripts: each stays atomic for its character. */
  async recordMany(characters: readonly LeaderboardCharacter[]): Promise<void> {
    if (characters.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const character of characters) {
      const scores = scoresOf(character);
      pipeline.eval(...this.writeArgs(character.characterId, character.version ?? Date.now(), character.hidden ? null : character, BOARDS.map((board) => scores[board])));
    }
    await execOrThrow(pipeline);
  }

  async remove(characterId: string, version = Date.now()): Promise<void> {
    await this.write(characterId, version, null, BOARDS.map(() => 0));
  }

  /** Runs `WRITE_IF_NEWER` for one character: `character` null takes it off every board. */
  private async write(characterId: string, version: number, character: LeaderboardCharacter | null, scores: number[]): Promise<void> {
    await this.redis.eval(...this.writeArgs(characterId, version, character, scores));
  }

  private writeArgs(characterId: string, version: number, character: LeaderboardCharacter | null, scores: number[]): [string, number, ...(string | number)[]] {
    const keys = [this.key(VERSIONS_KEY), this.key(SHOWN_KEY), ...ALL_BOARD_KEYS.map((key) => this.key(key))];
    return [
      WRITE_IF_NEWER,
      keys.length,
      ...keys,
      characterId,
      version,
      character ? 'record' : 'remove',
      character ? CLASSES.indexOf(character.class) + 1 : 0,
      character ? JSON.stringify(shownOf(character)) : '',
      BOARDS.length,
      CLASSES.length,
      ...scores,
    ];
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

  private key(name: string): string {
    return this.prefix + name;
  }
}


/** Runs a MULTI or pipeline; rejects with the first command's error, if any. */
async function execOrThrow(batch: ChainableCommander): Promise<unknown[]> {
  const results = await batch.exec();
  if (!results) throw new Error('leaderboard transaction was aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}
