// `npm run db:seed`: a moderator account and two player accounts with a few characters, for
// trying the game, the admin panel and the website widgets (leaderboards, character cards). Runs against DATABASE_URL when set, else the embedded PGlite
// database under DATA_DIR (stop `npm start` first: PGlite allows one process at a time).
// Idempotent: existing accounts keep their passwords, existing characters are left alone.
// Passwords come from SEED_MODERATOR_PASSWORD / SEED_DEMO_PASSWORD, or are generated and
// printed once; none is stored in the repository.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, createRedis, createSilentLogger, openDatabase, parseConfig, RedisLeaderboardStore, type PrismaClient } from '@mmo/platform';
import { giveStarterItems, rebuildLeaderboards } from '@mmo/player-api';
import { PasswordHasher, primarySettingsSchema } from '@mmo/server/primary';
import { normalizeName, passwordSchema, type AreaId, type CharacterClass, type Role } from '@mmo/shared';

interface SeedAccount {
  username: string;
  role: Role;
  passwordEnv: string;
  characters: Array<{
    name: string;
    class: CharacterClass;
    level: number;
    xp: number;
    gold: number;
    monstersDefeated: number;
    area: AreaId;
    x: number;
    y: number;
  }>;
}

const accounts: SeedAccount[] = [
  { username: 'moderator', role: 'moderator', passwordEnv: 'SEED_MODERATOR_PASSWORD', characters: [] },
  {
    username: 'demo',
    role: 'player',
    passwordEnv: 'SEED_DEMO_PASSWORD',
    characters: [
      { name: 'Aria', class: 'mage', level: 7, xp: 1_200, gold: 310, monstersDefeated: 54, area: 'town', x: 10, y: 10 },
      { name: 'Borin', class: 'warrior', level: 12, xp: 2_450, gold: 1_240, monstersDefeated: 187, area: 'field', x: 5, y: 8 },
      { name: 'Cyra', class: 'ranger', level: 3, xp: 310, gold: 45, monstersDefeated: 12, area: 'dungeon', x: 4, y: 4 },
    ],
  },
  {
    username: 'rival',
    role: 'player',
    passwordEnv: 'SEED_RIVAL_PASSWORD',
    characters: [
      { name: 'Dagny', class: 'cleric', level: 9, xp: 1_500, gold: 760, monstersDefeated: 98, area: 'town', x: 12, y: 9 },
      { name: 'Eldric', class: 'warrior', level: 15, xp: 4_100, gold: 2_050, monstersDefeated: 260, area: 'field', x: 7, y: 6 },
      { name: 'Fenna', class: 'ranger', level: 5, xp: 900, gold: 120, monstersDefeated: 31, area: 'town', x: 9, y: 12 },
    ],
  },
];

/** A mistake in the seed's input, reported in one line. */
class SeedError extends Error {}

async function seedAccount(prisma: PrismaClient, hasher: PasswordHasher, seed: SeedAccount): Promise<string> {
  const usernameKey = normalizeName(seed.username);
  let account = await prisma.account.findUnique({ where: { usernameKey } });
  let note = 'exists, password unchanged';
  if (!account) {
    const given = process.env[seed.passwordEnv];
    const checked = given === undefined ? undefined : passwordSchema.safeParse(given);
    if (checked && !checked.success) throw new SeedError(`${seed.passwordEnv} ${checked.error.issues[0]?.message ?? 'is invalid'}`);
    const password = given ?? randomBytes(9).toString('base64url');
    account = await prisma.account.create({
      data: { username: seed.username, usernameKey, role: seed.role, passwordHash: await hasher.hash(password) },
    });
    note = given ? `password from ${seed.passwordEnv}` : `password ${password}`;
  }
  let created = 0;
  for (const character of seed.characters) {
    const nameKey = normalizeName(character.name);
    if (await prisma.character.findUnique({ where: { nameKey } })) continue;
    // As the player API creates characters: with their class weapon worn and some potions.
    await prisma.$transaction(async (tx) => {
      const row = await tx.character.create({ data: { ...character, xp: BigInt(character.xp), gold: BigInt(character.gold), nameKey, accountId: account.id } });
      await giveStarterItems(tx, row.id, character.class);
    });
    created += 1;
  }
  return `${seed.role} ${seed.username}: ${note}; ${created} of ${seed.characters.length} characters created`;
}

const databaseUrl = process.env.DATABASE_URL;
const db = await openDatabase(
  databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dataDir: join(process.env.DATA_DIR ?? '.data', 'pglite') },
  { migrate: true },
).catch((error: unknown) => {
  process.stderr.write(`db:seed: cannot open the database: ${(error as Error).message}\n`);
  process.exit(1);
});
try {
  const hasher = new PasswordHasher(parseConfig(primarySettingsSchema, process.env).PASSWORD_HASH_COST);
  for (const seed of accounts) process.stdout.write(`db:seed: ${await seedAccount(db.prisma, hasher, seed)}\n`);
  // Redis boards outlive the player API, so they are refilled here; embedded mode fills its
  // in-process boards from the database when it starts.
  if (process.env.REDIS_URL) {
    const redis = createRedis(process.env.REDIS_URL, 'seed', createSilentLogger());
    try {
      const rebuilt = await rebuildLeaderboards({ prisma: db.prisma, leaderboards: new RedisLeaderboardStore(redis), logger: createSilentLogger() });
      process.stdout.write(`db:seed: leaderboards rebuilt with ${rebuilt.characters} characters\n`);
    } finally {
      await redis.quit();
    }
  }
} catch (error) {
  if (!(error instanceof SeedError || error instanceof ConfigError)) throw error;
  process.stderr.write(`db:seed: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
