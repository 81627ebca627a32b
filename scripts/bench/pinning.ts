// Keeping the game server's core to the game server. The bench pins the game process to core 1
// and what it starts to core 0, but the orchestrator itself, PostgreSQL and Redis are not its
// children: unpinned, the scheduler runs them on core 1 too, beside the game process (its own
// saves' queries included), where they take time from it that no figure of the game process
// shows. For the run they are moved to core 0 with `taskset` (every thread; a new PostgreSQL
// backend inherits its postmaster's), and each is given back its own affinity at the end. Where
// they cannot be moved (another user's processes, no taskset, a remote database) the bench says
// so and goes on. The same for the machine's other services and the kernel's memory monitor
// (`SERVICES_OFF_THE_SERVER_CORE`).
import { spawnSync } from 'node:child_process';

/**
 * Processes moved to core 0 for the run (pgrep patterns; `ServicePinning`): the stack's own
 * PostgreSQL and Redis, the machine's other services (MariaDB, NATS), and the kernel's DAMON
 * threads (`kdamond.N`: memory monitoring, with a pageout scheme on this machine, a few % of a
 * core under load). Left free, they woke on the server's core and took it from the game process
 * mid-tick: a sim tick that takes 2 ms ran 13 ms beside a 57 ms patch, with no collection in
 * either, and 1,000 players joining one instance saw 26 and 28 late ticks (two runs) against none
 * with these on core 0. Not RabbitMQ: its Erlang VM may bind each scheduler thread to a core of
 * its own (`+stbt db` on its command line), which giving back one affinity to every thread would undo.
 */
export const SERVICES_OFF_THE_SERVER_CORE = ['postgres', 'redis-server', 'mariadbd', 'nats-server', 'kdamond\\.[0-9]+'];

/** The pids of processes whose whole name matches `name`, a pgrep pattern (`kdamond\\.[0-9]+`); none if there is no pgrep. */
function pidsOf(name: string): number[] {
  const found = spawnSync('pgrep', [`^(${name})$`], { encoding: 'utf8' });
  if (found.status !== 0 || !found.stdout) return [];
  return found.stdout.split('\n').filter(Boolean).map(Number);
}

/** The CPU list a process may run on, or undefined if taskset cannot read it. */
function affinityOf(pid: number): string | undefined {
  const shown = spawnSync('taskset', ['-pc', String(pid)], { encoding: 'utf8' });
  if (shown.status !== 0) return undefined;
  return shown.stdout.split(':').at(-1)?.trim() || undefined;
}

function setAffinity(pid: number, cpus: string): boolean {
  return spawnSync('taskset', ['-apc', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
}

export class ServicePinning {
  /** The affinity each moved process name had (its first process's), to give back. */
  private readonly before = new Map<string, string>();

  /**
   * Moves this process and every process named in `services` to `core`; answers a line saying
   * what was moved (and what could not be).
   */
  pin(core: number, services: readonly string[]): string {
    const failed = new Set<string>();
    let count = 0;
    const own = affinityOf(process.pid);
    if (own !== undefined && setAffinity(process.pid, String(core))) {
      this.before.set('', own);
      count += 1;
    } else failed.add('bench:game');
    for (const name of services) {
      for (const pid of pidsOf(name)) {
        const cpus = affinityOf(pid);
        if (cpus === undefined || !setAffinity(pid, String(core))) {
          failed.add(name);
          continue;
        }
        if (!this.before.has(name)) this.before.set(name, cpus);
        count += 1;
      }
    }
    const shown = (names: Iterable<string>) => [...names].map((name) => name.replaceAll('\\', '') || 'bench:game').join(', ');
    const missing = services.filter((name) => !this.before.has(name) && !failed.has(name));
    let line = `${shown(this.before.keys())} moved to core ${core} for the run (${count} processes; their own affinity given back after)`;
    if (failed.size > 0) line += `; could not move: ${shown(failed)}`;
    if (missing.length > 0) line += `; not running here: ${shown(missing)}`;
    return line;
  }

  /**
   * Gives each moved name's processes, those started during the run too (a PostgreSQL backend
   * forked meanwhile inherited the pin), the affinity it had; idempotent.
   */
  restore(): void {
    for (const [name, cpus] of this.before) for (const pid of name ? pidsOf(name) : [process.pid]) setAffinity(pid, cpus);
    this.before.clear();
  }
}
