import { AREA_IDS } from '@mmo/shared';
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
  /** Records or refreshes a character's entry; resolves with the entry it replaced, if any. */
  put(entry: OnlineEntry, ttlSeconds: number): Promise<OnlineEntry | null>;
  /**
   * Removes a character's entry if `owner` wrote it. A portal hop or a takeover has already
   * replaced it with the new room's, which must stay.
   */
  remove(characterId: string, owner: OnlineOwner): Promise<boolean>;
  /** The entries of those characters that are online. */
  get(characterIds: readonly string[]): Promise<Map<string, OnlineEntry>>;
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
    this.entries.set(entry.characterId, { entry: { ...entry }, expiresAt: this.clock() + ttlSeconds * 1000 });
    return previous;
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

/** The directory of the cluster: one expiring Redis key per online character. */
export class RedisOnlineDirectory implements OnlineDirectory {
  constructor(private readonly redis: Redis) {}

  async put(entry: OnlineEntry, ttlSeconds: number): Promise<OnlineEntry | null> {
    // SET ... GET swaps atomically, so two rooms writing at once each learn what they replaced.
    const previous = await this.redis.set(KEY_PREFIX + entry.characterId, JSON.stringify(entry), 'EX', ttlSeconds, 'GET');
    return parseEntry(previous);
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
}
