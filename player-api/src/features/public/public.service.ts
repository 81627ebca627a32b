import { DomainError, type Clock, type LeaderboardStore, type OnlineDirectory, type PrismaClient } from '@mmo/platform';
import {
  AREA_IDS,
  characterClassOf,
  ErrorCode,
  normalizeName,
  type AreaId,
  type Leaderboard,
  type PublicCharacterCard,
  type PublicLeaderboard,
  type PublicLeaderboardQuery,
  type PublicOnline,
} from '@mmo/shared';

/** What the public widget endpoints read; they write nothing. */
export interface PublicDeps {
  prisma: PrismaClient;
  online: Pick<OnlineDirectory, 'get' | 'countByArea'>;
  leaderboards: Pick<LeaderboardStore, 'page'>;
}

/**
 * The public card of a character, found by name in any letter case. A hidden character
 * answers `CHARACTER_NOT_FOUND`, exactly like one that does not exist, so that a website
 * cannot tell the two apart; so does a row whose class the game no longer has. Only the
 * columns the card shows are read.
 *
 * `lastSeen` is null while the character is online: `online: true` already says it is here
 * now, and an answer that does not change for the whole stay keeps its ETag, so widgets that
 * poll get 304s. If the online directory cannot be reached the request fails (503) rather
 * than showing the character offline by mistake.
 */
export async function getCharacterCard(deps: PublicDeps, name: string): Promise<PublicCharacterCard> {
  const row = await deps.prisma.character.findUnique({
    where: { nameKey: normalizeName(name) },
    select: {
      id: true,
      name: true,
      class: true,
      level: true,
      hidden: true,
      lastSeenAt: true,
      guildMember: { select: { guild: { select: { name: true, tag: true } } } },
    },
  });
  const characterClass = characterClassOf(row?.class);
  if (!row || row.hidden || !characterClass) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND);
  const online = (await deps.online.get([row.id])).has(row.id);
  const guild = row.guildMember?.guild;
  return {
    name: row.name,
    class: characterClass,
    level: row.level,
    guild: guild ? { name: guild.name, tag: guild.tag } : null,
    online,
    lastSeen: online ? null : (row.lastSeenAt?.toISOString() ?? null),
  };
}

/**
 * Counts of the online directory, each reused for `reuseSeconds`. Counting walks every entry
 * (see `RedisOnlineDirectory.countByArea`), so the public endpoint, which any visitor of any
 * website may call, takes one count per window per process however many requests arrive;
 * requests during a count wait for it rather than start another. A failed count is not kept.
 */
export function createOnlineCounter(
  directory: Pick<OnlineDirectory, 'countByArea'>,
  options: { reuseSeconds: number; clock: Clock },
): () => Promise<Record<AreaId, number>> {
  let last: { counts: Promise<Record<AreaId, number>>; takenAt: number } | undefined;
  return () => {
    const now = options.clock();
    if (last && now - last.takenAt < options.reuseSeconds * 1000) return last.counts;
    const counts = directory.countByArea();
    const current = { counts, takenAt: now };
    last = current;
    counts.catch(() => {
      if (last === current) last = undefined;
    });
    return counts;
  };
}

/** How many characters are in game, in all and per map area. */
export async function getOnlineCounts(countByArea: () => Promise<Record<AreaId, number>>): Promise<PublicOnline> {
  const counts = await countByArea();
  const areas = { town: counts.town, field: counts.field, dungeon: counts.dungeon };
  return { total: AREA_IDS.reduce((sum, area) => sum + areas[area], 0), areas };
}

/**
 * The top of a board for a website: rank, name, class, level and score of each entry, never
 * the character id. Hidden characters are not on the boards at all (the store leaves them out).
 */
export async function getPublicLeaderboard(deps: PublicDeps, board: Leaderboard, query: PublicLeaderboardQuery): Promise<PublicLeaderboard> {
  const page = await deps.leaderboards.page(board, { class: query.class, offset: 0, limit: query.limit });
  return {
    board,
    class: query.class ?? null,
    entries: page.entries.map((entry) => ({ rank: entry.rank, name: entry.name, class: entry.class, level: entry.level, score: entry.score })),
  };
}
