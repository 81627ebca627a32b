// Processes of the game benchmark: each spawned in its own process group (detached), pinned to
// a core with taskset when the machine has two, answering in JSON lines on stdout. Every one is
// tracked until it exits, so that stopAll() (the orchestrator's `finally`, Ctrl-C) ends them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Pinning needs a second core; on one, everything shares it (and the bench says so). */
export const canPin = availableParallelism() >= 2;

const running = new Set<BenchProcess>();

/**
 * BENCH_LOG_DIR: every line each process prints (stdout and stderr) is also appended to
 * `<dir>/<name>.log` (e.g. the game's warnings while a crowd joins); by default only the last 30
 * are kept, for a failure's message.
 */
const logDir = process.env.BENCH_LOG_DIR;
if (logDir) mkdirSync(logDir, { recursive: true });

export class BenchProcess {
  readonly child: ChildProcess;
  private readonly pending: string[] = [];
  private readonly recent: string[] = [];
  private waiter: (() => void) | undefined;
  private readonly log: WriteStream | undefined;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    args: string[],
    options: { core: 0 | 1; env: Record<string, string | undefined>; cwd: string; nodeOptions?: string[] },
  ) {
    const node = [process.execPath, ...(options.nodeOptions ?? []), '--import', 'tsx', ...args];
    const [command, ...rest] = canPin ? ['taskset', '-c', String(options.core), ...node] : node;
    this.child = spawn(command!, rest, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    running.add(this);
    if (logDir) this.log = createWriteStream(join(logDir, `${name.replace(/[^\w-]+/g, '-')}.log`), { flags: 'a' });
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
    void this.exited.then(() => {
      running.delete(this);
      this.waiter?.();
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.keep(line);
      if (line.startsWith('{')) {
        this.pending.push(line);
        this.waiter?.();
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.keep(line));
    // A process whose stdin is gone must not take the bench down with EPIPE.
    this.child.stdin!.on('error', () => undefined);
  }

  private keep(line: string): void {
    this.log?.write(`${line}\n`);
    this.recent.push(line);
    if (this.recent.length > 30) this.recent.shift();
  }

  send(line: string | object): void {
    this.child.stdin!.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
  }

  /** The next JSON line with `key` (one of them), within `timeoutMs`; fails with the process's last output. */
  async expect<T extends Record<string, unknown>>(keys: string | string[], timeoutMs: number): Promise<T> {
    const wanted = typeof keys === 'string' ? [keys] : keys;
    const key = wanted.join('" or "');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.pending.length > 0) {
        const line = this.pending.shift()!;
        try {
          const value = JSON.parse(line) as T;
          if (wanted.some((k) => k in value)) return value;
        } catch {
          // A library's line that looked like JSON: skip.
        }
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw this.failure(`exited (${this.child.exitCode ?? this.child.signalCode}) before answering "${key}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw this.failure(`did not answer "${key}" within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, left);
        this.waiter = () => {
          clearTimeout(timer);
          done();
        };
      });
      this.waiter = undefined;
    }
  }

  private failure(what: string): Error {
    return new Error(`${this.name} ${what}; its last lines:\n  ${this.recent.join('\n  ')}`);
  }

  /** `signal` to the process's whole group (what it started too); nothing if it is gone. */
  signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.signalGroup('SIGKILL');
  }
}

/**
 * SIGKILL to every process group still running, at once and synchronously: for the orchestrator's
 * `exit`, when it ends without its `finally` (an uncaught error, a closed stdout).
 */
export function killAllNow(): void {
  for (const proc of running) proc.signalGroup('SIGKILL');
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop()));
}

/** Rejects after `ms` with `what`, so that no phase can hang the bench. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what} took over ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}
