import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({ jwtSecret: z.string().min(32) });
export type EmbeddedSecrets = z.infer<typeof secretsSchema>;

/**
 * Secrets for embedded mode only: generated on first start and kept in `<dataDir>/secrets.json`
 * (mode 0600), so tokens survive a restart while nothing secret is ever committed. The real
 * stack takes its secrets from the environment and has no defaults.
 */
export async function loadOrCreateEmbeddedSecrets(dataDir: string): Promise<EmbeddedSecrets> {
  const file = join(dataDir, 'secrets.json');
  try {
    return secretsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file} is unreadable or malformed; delete it to generate new secrets`, { cause: error });
    }
  }
  const secrets: EmbeddedSecrets = { jwtSecret: randomBytes(48).toString('base64url') };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return secrets;
}
