// The bench's moving of services off the game server's core (scripts/bench/pinning.ts), on a
// process of the test's own with a name nothing else has: moved to core 0, and given back its
// affinity (and this process its own) afterwards.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServicePinning } from '../scripts/bench/pinning.js';

const affinity = (pid: number) => spawnSync('taskset', ['-pc', String(pid)], { encoding: 'utf8' }).stdout.split(':').at(-1)?.trim();
const hasTaskset = spawnSync('taskset', ['-V']).status === 0 && spawnSync('pgrep', ['-V']).status === 0;

describe('bench service pinning', () => {
  let dir: string;
  let probe: ChildProcess;
  /** Unique, and within the 15 characters a process name keeps. */
  const name = `pin${process.pid}`.slice(0, 15);

  before(function () {
    if (!hasTaskset || availableParallelism() < 2) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'pinning-'));
    copyFileSync('/bin/sleep', join(dir, name));
    probe = spawn(join(dir, name), ['60'], { stdio: 'ignore' });
  });

  after(() => {
    probe?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('moves the named processes and itself to the core, says so, and gives both their affinity back', () => {
    const [probeBefore, ownBefore] = [affinity(probe.pid!), affinity(process.pid)];
    const pinning = new ServicePinning();
    const line = pinning.pin(0, [name, 'no-such-service']);
    assert.match(line, new RegExp(`bench:game, ${name} moved to core 0 .*2 processes`));
    assert.match(line, /not running here: no-such-service/);
    assert.equal(affinity(probe.pid!), '0');
    assert.equal(affinity(process.pid), '0');
    pinning.restore();
    assert.equal(affinity(probe.pid!), probeBefore);
    assert.equal(affinity(process.pid), ownBefore);
  });
});
