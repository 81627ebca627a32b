import { AREA_IDS, type AreaId } from '@mmo/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../tokens.js';

const onlineEntrySchema = z.object({
  characterId: z.uuid(),
  name: z.string(),
  area: z.enum(AREA_IDS),
  roomId: z.string(),
  sessionId: z.string(),
  /** When this stay in game began (epoch ms); kept across portal hops. */
  since: z.number(),
});

/** Where a character is playing right now. */
export type OnlineEntry = z.infer<typeof onlineEntrySchema>;

/** The room connection that wrote an entry; only it may remove the entry. */
export interface OnlineOwner {
  roomId: string;
  sessionId: string;
}

/**
 * Which characters are in game and where: written by the game rooms, read by the social and
 * player APIs. Entries expire unless refreshed, so a game process that dies without cleaning
 * up stops showing its players as online within one time-to-live.
 */
export interface OnlineDirectory {
  /**
   * Records a character's entry (a join), keeping the `since` of the entry it replaces (a
   * portal hop continues the same stay); resolves with the replaced entry, if any.
   */
  put(entry: OnlineEntry, ttlSeconds: number): Promise<OnlineEntry | null>;
  /**
   * Keeps `owner`'s entry from expiring, or writes it again if it expired meanwhile; leaves
   * an entry another room wrote (a newer join) alone. Resolves with whether it is `owner`'s.
   */
  refresh(entry: OnlineEntry, ttlSeconds: number): Promise<boolean>;
  /**
   * `refresh` for several entries at once (a save round's slice), in one round trip where the
   * directory is remote; resolves with each entry's answer, in order.
   */
  refreshMany(entries: readonly OnlineEntry[], ttlSeconds: number): Promise<boolean[]>;
  /**
   * Removes a character's entry if `owner` wrote it. A portal hop or a takeover has already
   * replaced it with the new room's, which must stay.
   */
  remove(characterId: string, owner: OnlineOwner): Promise<boolean>;
  /** The entries of those characters that are online. */
  get(characterIds: readonly string[]): Promise<Map<string, OnlineEntry>>;
  /** How many characters are online in each map area (every area listed, 0 if empty). */
  countByArea(): Promise<Record<AreaId, number>>;
  /** Every entry (the moderators' live view); a full pass, like `countByArea`. */
  list(): Promise<OnlineEntry[]>;
}

function noPlayers(): Record<AreaId, number> {
  return Object.fromEntries(AREA_IDS.map((area) => [area, 0])) as Record<AreaId, number>;
}

function parseEntry(raw: string | null | undefined): OnlineEntry | null {
  if (!raw) return null;
  try {
    const parsed = onlineEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The directory of one process (embedded mode). */
export class MemoryOnlineDirectory implements OnlineDirectory {
  private readonly entries = new Map<string, { entry: OnlineEntry; expiresAt: number }>();

  constructor(private readonly clock: Clock = Date.now) {}

  async put(entry: OnlineEntry, ttlSeconds: number): Promise<OnlineEntry | null> {
    const previous = this.live(entry.characterId);
    const since = previous?.since ?? entry.since;
    this.entries.set(entry.characterId, { entry: { ...entry, since }, expiresAt: this.clock() + ttlSeconds * 1000 });
    return previous;
  }

  async refresh(entry: OnlineEntry, ttlSeconds: number): Promise<boolean> {
    const current = this.live(entry.characterId);
    if (current && (current.roomId !== entry.roomId || current.sessionId !== entry.sessionId)) return false;
    this.entries.set(entry.characterId, { entry: { ...(current ?? entry) }, expiresAt: this.clock() + ttlSeconds * 1000 });
    return true;
  }

  async refreshMany(entries: readonly OnlineEntry[], ttlSeconds: number): Promise<boolean[]> {
    const kept: boolean[] = [];
    for (const entry of entries) kept.push(await this.refresh(entry, ttlSeconds));
    return kept;
  }

  async remove(characterId: string, owner: OnlineOwner): Promise<boolean> {
    const current = this.live(characterId);
    if (!current || current.roomId !== owner.roomId || current.sessionId !== owner.sessionId) return false;
    this.entries.delete(characterId);
    return true;
  }

  async get(characterIds: readonly string[]): Promise<Map<string, OnlineEntry>> {
    const found = new Map<string, OnlineEntry>();
    for (const id of characterIds) {
      const entry = this.live(id);
      if (entry) found.set(id, { ...entry });
    }
    return found;
  }

  async countByArea(): Promise<Record<AreaId, number>> {
    const counts = noPlayers();
    for (const entry of await this.list()) counts[entry.area] += 1;
    return counts;
  }

  async list(): Promise<OnlineEntry[]> {
    const entries: OnlineEntry[] = [];
    for (const characterId of [...this.entries.keys()]) {
      const entry = this.live(characterId);
      if (entry) entries.push({ ...entry });
    }
    return entries;
  }

  private live(characterId: string): OnlineEntry | null {
    const stored = this.entries.get(characterId);
    if (!stored) return null;
    if (stored.expiresAt > this.clock()) return stored.entry;
    this.entries.delete(characterId);
    return null;
  }
}

const KEY_PREFIX = 'mmo:online:';

/** Deletes the key only while its JSON value still names this room and session. */
const REMOVE_IF_OWNER = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, entry = pcall(cjson.decode, raw)
if ok and entry.roomId == ARGV[1] and entry.sessionId == ARGV[2] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Writes the entry, keeping the replaced entry's `since`; returns the replaced entry. */
const PUT_KEEPING_SINCE = `
local previous = redis.call('GET', KEYS[1])
local entry = ARGV[1]
if previous then
  local ok, old = pcall(cjson.decode, previous)
  if ok and type(old.since) == 'number' then
    entry = string.gsub(entry, '"since":%-?[%d%.e%+]+', '"since":' .. string.format('%d', old.since), 1)
  end
end
redis.call('SET', KEYS[1], entry, 'EX', ARGV[2])
return previous`;

/** Extends the entry if this room and session own it, writes it if absent, else leaves it. */
const REFRESH_IF_OWNER = `
local raw = redis.call('GET', KEYS[1])
if not raw then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
local ok, entry = pcall(cjson.decode, raw)
if ok and entry.roomId == ARGV[3] and entry.sessionId == ARGV[4] then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Keys asked for per SCAN step: large enough for few round trips, small enough not to stall Redis. */
const SCAN_BATCH = 1000;

/** The directory of the cluster: one expiring Redis key per online character. */
export class RedisOnlineDirectory implements OnlineDirectory {
  constructor(private readonly redis: Redis) {}

  async put(entry: OnlineEntry, ttlSeconds: number): Promise<OnlineEntry | null> {
    // One script: two rooms writing at once each learn what they replaced.
    const previous = await this.redis.eval(PUT_KEEPING_SINCE, 1, KEY_PREFIX + entry.characterId, JSON.stringify(entry), ttlSeconds);
    return parseEntry(typeof previous === 'string' ? previous : null);
  }

  async refresh(entry: OnlineEntry, ttlSeconds: number): Promise<boolean> {
    const kept = await this.redis.eval(REFRESH_IF_OWNER, 1, KEY_PREFIX + entry.characterId, JSON.stringify(entry), ttlSeconds, entry.roomId, entry.sessionId);
    return kept === 1;
  }

  /** One pipeline of `REFRESH_IF_OWNER` scripts, each atomic for its entry. */
  async refreshMany(entries: readonly OnlineEntry[], ttlSeconds: number): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const entry of entries) pipeline.eval(REFRESH_IF_OWNER, 1, KEY_PREFIX + entry.characterId, JSON.stringify(entry), ttlSeconds, entry.roomId, entry.sessionId);
    const results = (await pipeline.exec()) ?? [];
    return entries.map((_, index) => {
      const [error, kept] = results[index] ?? [new Error('no answer'), null];
      if (error) throw error;
      return kept === 1;
    });
  }

  async remove(characterId: string, owner: OnlineOwner): Promise<boolean> {
    const removed = await this.redis.eval(REMOVE_IF_OWNER, 1, KEY_PREFIX + characterId, owner.roomId, owner.sessionId);
    return removed === 1;
  }

  async get(characterIds: readonly string[]): Promise<Map<string, OnlineEntry>> {
    const found = new Map<string, OnlineEntry>();
    if (characterIds.length === 0) return found;
    const values = await this.redis.mget(characterIds.map((id) => KEY_PREFIX + id));
    characterIds.forEach((id, index) => {
      const entry = parseEntry(values[index]);
      if (entry) found.set(id, entry);
    });
    return found;
  }

  /**
   * Walks every entry with SCAN (in batches, so Redis never blocks on one long command) and
   * reads each batch with MGET. This costs one pass over the online characters per call; it
   * was chosen over per-area counters because those would have to be kept right by every
   * write and could not follow entries that expire when a game process dies. Callers that
   * answer the public reuse a count for a few seconds. SCAN may return a key twice and an entry
   * may expire between the two commands: keys are counted once, vanished entries not at all.
   */
  async countByArea(): Promise<Record<AreaId, number>> {
    const counts = noPlayers();
    for (const entry of await this.list()) counts[entry.area] += 1;
    return counts;
  }

  async list(): Promise<OnlineEntry[]> {
    const entries: OnlineEntry[] = [];
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${KEY_PREFIX}*`, 'COUNT', SCAN_BATCH);
      cursor = next;
      const fresh = keys.filter((key) => !seen.has(key));
      fresh.forEach((key) => seen.add(key));
      if (fresh.length === 0) continue;
      const values = await this.redis.mget(fresh);
      for (const raw of values) {
        const entry = parseEntry(raw);
        if (entry) entries.push(entry);
      }
    } while (cursor !== '0');
    return entries;
  }
}
