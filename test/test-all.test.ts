// `npm test`'s runner (scripts/test-all.ts): which suites it runs, in what order, and what it
// prints again at the end when one failed.
import assert from 'node:assert/strict';
import { failuresIn, select, suitesOf } from '../scripts/test-all.js';

describe('npm test runner', () => {
  it('runs the workspaces that have a test script in their order, then the repository suite', () => {
    const suites = suitesOf({ workspaces: ['packages/shared', 'client', 'server'] }, (workspace) => workspace !== 'client');
    assert.deepEqual(
      suites.map((suite) => suite.name),
      ['packages/shared', 'server', 'test/ (repository)'],
    );
    assert.deepEqual(suites[1]!.command, ['npm', 'run', '-s', 'test', '-w', 'server']);
  });

  it('runs the suites named by path or last part, in their own order, and names the unknown ones', () => {
    const all = suitesOf({ workspaces: ['packages/shared', 'packages/platform', 'server', 'player-api'] }, () => true);
    const names = (named: string[]) => {
      const chosen = select(all, named);
      return 'suites' in chosen ? chosen.suites.map((suite) => suite.name) : chosen;
    };
    assert.deepEqual(names([]), ['packages/shared', 'packages/platform', 'server', 'player-api', 'test/ (repository)']);
    assert.deepEqual(names(['test', 'platform', 'server']), ['packages/platform', 'server', 'test/ (repository)']);
    assert.deepEqual(names(['packages/shared']), ['packages/shared']);
    // No prefixes: `p` is not packages/* and player-api.
    assert.deepEqual(names(['p', 'server', '--grep']), { unknown: ['p', '--grep'] });
  });

  it('repeats the failures of a mocha log, without colours, and skips the passing runs around them', () => {
    const log = [
      '  \x1b[32m✔\x1b[39m walks (12ms)',
      '',
      '  3 passing (1s)',
      '  1 failing',
      '',
      '  1) movement',
      '       walks no faster than its speed:',
      '     AssertionError: 4 steps in 500 ms',
      '',
      '  5 passing (2s)',
    ].join('\n');
    assert.equal(failuresIn(log), ['  1 failing', '', '  1) movement', '       walks no faster than its speed:', '     AssertionError: 4 steps in 500 ms', ''].join('\n'));
  });

  it('falls back on the last lines when a suite ended without a mocha summary', () => {
    const log = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n');
    const repeated = failuresIn(log).split('\n');
    assert.equal(repeated.length, 40);
    assert.equal(repeated.at(-1), 'line 59');
  });

  it('cuts a long list of failures and says how much it left out', () => {
    const log = ['  2 failing', ...Array.from({ length: 30 }, (_, i) => `detail ${i}`)].join('\n');
    const repeated = failuresIn(log, 10).split('\n');
    assert.equal(repeated.length, 11);
    assert.equal(repeated.at(-1), '… 21 more lines');
  });
});
