import { DomainError, isUniqueViolation, lockKey, type Character as CharacterRow, type EventBus, type LeaderboardStore, type Logger, type PrismaClient } from '@mmo/platform';
import {
  characterSchema,
  ErrorCode,
  normalizeName,
  STARTING_POSITION,
  type Character,
  type CharacterVisibility,
  type CreateCharacterRequest,
} from '@mmo/shared';
import { giveStarterItems } from '../inventory/inventory.service.js';
import { forgetCharacter, recordCharacter } from '../leaderboards/leaderboard.service.js';

/** The gold a new character starts with. */
export const STARTER_GOLD = 10;

export interface CharacterDeps {
  prisma: PrismaClient;
  bus: EventBus;
  logger: Logger;
  leaderboards: LeaderboardStore;
  maxCharactersPerAccount: number;
}

/** The public shape of a stored character, checked against the contract. */
function toCharacter(row: CharacterRow): Character {
  return characterSchema.parse({
    id: row.id,
    name: row.name,
    class: row.class,
    level: row.level,
    xp: Number(row.xp),
    area: row.area,
    x: row.x,
    y: row.y,
    createdAt: row.createdAt.toISOString(),
  });
}

export async function listCharacters(deps: CharacterDeps, accountId: string): Promise<Character[]> {
  const rows = await deps.prisma.character.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } });
  return rows.map(toCharacter);
}

/**
 * Creates a character at the starting position, with its starter items and gold. The
 * per-account limit is checked under a transaction-scoped advisory lock on the account, so
 * parallel requests cannot together exceed it; a taken name (in any letter case) is
 * `CHARACTER_NAME_TAKEN`. The items are given in the same transaction: a character never
 * exists without them, and a refused creation leaves none behind.
 */
export async function createCharacter(
  deps: CharacterDeps,
  accountId: string,
  input: CreateCharacterRequest,
): Promise<Character> {
  try {
    const row = await deps.prisma.$transaction(async (tx) => {
      await lockKey(tx, `characters:${accountId}`);
      const owned = await tx.character.count({ where: { accountId } });
      if (owned >= deps.maxCharactersPerAccount) {
        throw new DomainError(
          ErrorCode.CHARACTER_LIMIT_REACHED,
          `An account may have at most ${deps.maxCharactersPerAccount} characters.`,
        );
      }
      const created = await tx.character.create({
        data: {
          accountId,
          name: input.name,
          nameKey: normalizeName(input.name),
          class: input.class,
          area: STARTING_POSITION.area,
          x: STARTING_POSITION.x,
          y: STARTING_POSITION.y,
          gold: STARTER_GOLD,
        },
      });
      await giveStarterItems(tx, created.id, input.class);
      return created;
    });
    await recordCharacter(deps, row.id);
    return toCharacter(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.CHARACTER_NAME_TAKEN);
    throw error;
  }
}


/**
 * Deletes one of the account's characters; its memberships, friendships and messages go with
 * it (database cascades). The deletion is announced so that the social API finds its party
 * and guild a new leader; if the announcement is lost, the social API's start-up repair does.
 */
export async function deleteCharacter(deps: CharacterDeps, accountId: string, characterId: string): Promise<void> {
  const row = await deps.prisma.character.findFirst({ where: { id: characterId, accountId }, select: { name: true } });
  const deleted = await deps.prisma.character.deleteMany({ where: { id: characterId, accountId } });
  if (!row || deleted.count === 0) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND);
  await forgetCharacter(deps, characterId);
  await deps.bus
    .publish('character.deleted', { characterId, name: row.name })
    .catch((error: unknown) => deps.logger.warn({ err: error, characterId }, 'could not announce a character deletion'));
}

/**
 * Hides one of the account's characters from public pages (widgets answer 404 for it), or
 * shows it again. Another account's character is `CHARACTER_NOT_FOUND`.
 */
export async function setHidden(deps: CharacterDeps, accountId: string, characterId: string, hidden: boolean): Promise<CharacterVisibility> {
  const updated = await deps.prisma.character.updateMany({ where: { id: characterId, accountId }, data: { hidden } });
  if (updated.count === 0) throw new DomainError(ErrorCode.CHARACTER_NOT_FOUND);
  // A hidden character leaves the leaderboards; shown again, it comes back.
  await recordCharacter(deps, characterId);
  return { id: characterId, hidden };
}
