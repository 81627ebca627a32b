import { bannedError, isUniqueViolation, DomainError, loadActiveSanctions, type Account, type PrismaClient } from '@mmo/platform';
import { ErrorCode, normalizeName, type RegisterRequest } from '@mmo/shared';
import type { PasswordHasher } from './password.js';

export interface AccountDeps {
  prisma: PrismaClient;
  hasher: PasswordHasher;
}

/** Creates an account; throws `USERNAME_TAKEN` when the name is taken in any letter case. */
export async function registerAccount(deps: AccountDeps, input: RegisterRequest): Promise<{ accountId: string }> {
  const passwordHash = await deps.hasher.hash(input.password);
  try {
    const account = await deps.prisma.account.create({
      data: { username: input.username, usernameKey: normalizeName(input.username), passwordHash },
      select: { id: true },
    });
    return { accountId: account.id };
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.USERNAME_TAKEN);
    throw error;
  }
}

/**
 * The account whose password this is, or null. An unknown username costs the same hashing
 * work as a wrong password, and both come back as the same null.
 */
export async function findAccountByCredentials(
  deps: AccountDeps,
  username: string,
  password: string,
): Promise<Account | null> {
  const account = await deps.prisma.account.findUnique({ where: { usernameKey: normalizeName(username) } });
  if (!account) return deps.hasher.verifyDecoy(password).then(() => null);
  return (await deps.hasher.verify(password, account.passwordHash)) ? account : null;
}

/**
 * Throws `ACCOUNT_BANNED` with the ban's reason and end when a ban is in force at `now`. Read
 * from the database (the primary owns sanctions), so login and refresh never rely on a bus
 * message having arrived.
 */
export async function assertNotBanned(prisma: PrismaClient, accountId: string, now: number): Promise<void> {
  const [sanctions] = await loadActiveSanctions(prisma, now, accountId);
  if (sanctions?.ban) throw bannedError(sanctions.ban);
}
