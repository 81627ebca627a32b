import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { generateTokenKeyPair } from './keys.js';

const secretsSchema = z.object({ tokenPrivateKey: z.string().min(1), tokenPublicKey: z.string().min(1) });
export type EmbeddedSecrets = z.infer<typeof secretsSchema>;

/**
 * Secrets for embedded mode (and the one-machine cluster launcher) only: generated on first
 * start and kept in `<dataDir>/secrets.json` (mode 0600), so tokens survive a restart while
 * nothing secret is ever committed. The real stack takes its keys from the environment and has
 * no defaults. A file from an older version (a shared HS256 secret) is replaced.
 */
export async function loadOrCreateEmbeddedSecrets(dataDir: string): Promise<EmbeddedSecrets> {
  const file = join(dataDir, 'secrets.json');
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file} is unreadable or malformed; delete it to generate new secrets`, { cause: error });
    }
  }
  const parsed = secretsSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const pair = generateTokenKeyPair();
  const secrets: EmbeddedSecrets = { tokenPrivateKey: pair.privateKeyPem, tokenPublicKey: pair.publicKeyPem };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/**
 * The token key pair of a development process (embedded mode, the cluster launcher): both
 * keys as given, or, when neither is, the pair kept under `dataDir`. Half a pair is a mistake
 * and throws.
 */
export async function resolveTokenKeys(
  given: { privateKey?: string | undefined; publicKey?: string | undefined },
  dataDir: string,
): Promise<EmbeddedSecrets> {
  if (given.privateKey && given.publicKey) return { tokenPrivateKey: given.privateKey, tokenPublicKey: given.publicKey };
  if (given.privateKey || given.publicKey) {
    throw new Error('Set both TOKEN_PRIVATE_KEY and TOKEN_PUBLIC_KEY, or neither (then the pair under DATA_DIR is used)');
  }
  return loadOrCreateEmbeddedSecrets(dataDir);
}
