import { leaderboardCharacterOf, leaderboardRowSelect, type LeaderboardCharacter, type LeaderboardStore, type Logger, type PrismaClient } from '@mmo/platform';
import type { Leaderboard, LeaderboardPage, LeaderboardQuery, LeaderboardRebuild } from '@mmo/shared';

export interface LeaderboardDeps {
  prisma: PrismaClient;
  leaderboards: LeaderboardStore;
  logger: Logger;
}

/** How many character rows a rebuild reads from the database at a time. */
const REBUILD_READ_BATCH = 1_000;

/** One page of a board (overall, or one class's), best first, with ranks. */
export async function getLeaderboardPage(deps: Pick<LeaderboardDeps, 'leaderboards'>, board: Leaderboard, query: LeaderboardQuery): Promise<LeaderboardPage> {
  const { entries, total } = await deps.leaderboards.page(board, { class: query.class, offset: query.offset, limit: query.limit });
  return { board, class: query.class ?? null, offset: query.offset, limit: query.limit, total, entries };
}

/**
 * Replaces the boards with what the characters table holds now; resolves with how many
 * characters the boards hold (hidden ones are left out). The table is read in batches by id,
 * so a large one does not come back in a single query. A save that lands while the rebuild
 * runs may be overwritten by the older row read here; that character's next save puts it right.
 */
export async function rebuildLeaderboards(deps: LeaderboardDeps): Promise<LeaderboardRebuild> {
  const characters: LeaderboardCharacter[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await deps.prisma.character.findMany({
      select: leaderboardRowSelect,
      orderBy: { id: 'asc' },
      take: REBUILD_READ_BATCH,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
    for (const row of rows) {
      const character = leaderboardCharacterOf(row);
      if (!character) deps.logger.error({ characterId: row.id, class: row.class }, 'character row names an unknown class; left off the leaderboards');
      else if (!character.hidden) characters.push(character);
    }
    if (rows.length < REBUILD_READ_BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  await deps.leaderboards.rebuild(characters);
  deps.logger.info({ characters: characters.length }, 'rebuilt the leaderboards');
  return { characters: characters.length };
}

/**
 * Rebuilds the boards if they are empty: at the start of a player API process, after Redis
 * lost its data or on a fresh embedded process (whose boards live in memory). Resolves with
 * whether it rebuilt. A failure is logged, not thrown: the API can serve without boards, and a
 * moderator can rebuild them later.
 */
export async function rebuildLeaderboardsIfEmpty(deps: LeaderboardDeps): Promise<boolean> {
  try {
    const { total } = await deps.leaderboards.page('level', { offset: 0, limit: 1 });
    if (total > 0) return false;
    await rebuildLeaderboards(deps);
    return true;
  } catch (error) {
    deps.logger.error({ err: error }, 'could not rebuild the leaderboards at start');
    return false;
  }
}

/**
 * Puts a character on the boards as the database has it now (its creation, a change of its
 * visibility), or takes it off if it is hidden or gone. Errors here are logged and never fail
 * the operation that called it: the boards are an index that a rebuild restores.
 */
export async function recordCharacter(deps: LeaderboardDeps, characterId: string): Promise<void> {
  try {
    const row = await deps.prisma.character.findUnique({ where: { id: characterId }, select: leaderboardRowSelect });
    const character = row ? leaderboardCharacterOf(row) : null;
    if (character) await deps.leaderboards.record(character);
    else await deps.leaderboards.remove(characterId);
  } catch (error) {
    deps.logger.warn({ err: error, characterId }, 'could not record a character on the leaderboards');
  }
}

/**
 * Takes a character off the boards (its deletion). Errors are logged and never fail the
 * deletion; the next rebuild drops the character for good.
 */
export async function forgetCharacter(deps: Pick<LeaderboardDeps, 'leaderboards' | 'logger'>, characterId: string): Promise<void> {
  try {
    await deps.leaderboards.remove(characterId);
  } catch (error) {
    deps.logger.warn({ err: error, characterId }, 'could not remove a character from the leaderboards');
  }
}
