import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function optionsFor(costLog2: number, r: number, p: number): ScryptOptions {
  // scrypt needs 128 * N * r bytes; leave headroom over Node's 32 MiB default.
  return { N: 2 ** costLog2, r, p, maxmem: 256 * 2 ** costLog2 * r + 1024 * 1024 };
}

/**
 * Password hashing with scrypt (memory-hard, in Node's crypto, no native addon). The stored
 * form carries its parameters, `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, so raising the cost
 * later leaves existing hashes verifiable. Work runs on libuv's pool, off the event loop.
 */
export class PasswordHasher {
  /** A hash of a random password, verified against when the username is unknown. */
  private readonly decoy: Promise<string>;

  constructor(private readonly costLog2: number) {
    this.decoy = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, optionsFor(this.costLog2, 8, 1));
    return ['scrypt', this.costLog2, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [, cost, r, p, salt, key] = parts as [string, string, string, string, string, string];
    const expected = Buffer.from(key, 'base64');
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), optionsFor(Number(cost), Number(r), Number(p)));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /**
   * Spends the same work as a real verification and fails, so that an unknown username
   * cannot be told from a wrong password by the time the answer takes.
   */
  async verifyDecoy(password: string): Promise<false> {
    await this.verify(password, await this.decoy);
    return false;
  }
}
