// `npm test`: every workspace's suite in the order of package.json, then the repository's own
// (test/: cluster, benchmark smoke), each to the end even when an earlier one failed. The output
// streams as it comes; when a suite failed, its failures are printed again at the very end, so
// that the tail of a long log (all a CI summary may keep) names what failed and why.
//
//   npm test                                  (embedded stack)
//   DATABASE_URL=… REDIS_URL=… npm test       (both stacks)
//   npm test -- server platform test          (only the suites named: a workspace's path or its
//                                             last part; `test` is the repository's own)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Suite {
  name: string;
  /** What `npm test -- <name>` may call it: its path and the path's last part. */
  aliases: string[];
  command: string[];
}

interface Outcome {
  suite: Suite;
  code: number;
  seconds: number;
  /** How it ended, for the summary: `exit 1`, `killed by SIGKILL`. */
  ending: string;
  /** The output of a failed suite (stdout and stderr, interleaved as written); a passing one's is not kept. */
  output: string;
}

/** The workspaces that have a test script, in package.json's order, then the root's mocha. */
export function suitesOf(packageJson: { workspaces: string[] }, hasTest: (workspace: string) => boolean): Suite[] {
  const suites = packageJson.workspaces
    .filter(hasTest)
    .map((workspace) => ({ name: workspace, aliases: [workspace, workspace.split('/').at(-1)!], command: ['npm', 'run', '-s', 'test', '-w', workspace] }));
  return [...suites, { name: 'test/ (repository)', aliases: ['test', 'test/'], command: ['npx', 'mocha'] }];
}

/** The suites named on the command line (all of them when none is), or the names that match none. */
export function select(all: Suite[], named: string[]): { suites: Suite[] } | { unknown: string[] } {
  const unknown = named.filter((name) => !all.some((suite) => suite.aliases.includes(name)));
  if (unknown.length > 0) return { unknown };
  return { suites: named.length === 0 ? all : all.filter((suite) => suite.aliases.some((alias) => named.includes(alias))) };
}

/** The part of a mocha log worth repeating: from each "N failing" on, with colours removed. */
export function failuresIn(output: string, maxLines = 200): string {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = plain.split('\n');
  const picked: string[] = [];
  let inFailures = false;
  for (const line of lines) {
    if (/^\s*\d+ failing\b/.test(line)) inFailures = true;
    else if (/^\s*\d+ passing\b/.test(line)) inFailures = false;
    if (inFailures) picked.push(line);
  }
  // No mocha summary (a crash before it, an npm error): the suite's last lines say what happened.
  const chosen = picked.length > 0 ? picked : lines.slice(-40);
  return chosen.length > maxLines ? [...chosen.slice(0, maxLines), `… ${chosen.length - maxLines} more lines`].join('\n') : chosen.join('\n');
}

function run(suite: Suite): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const [command, ...args] = suite.command;
    // Piped, mocha would drop its colours in a terminal.
    const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
    const child = spawn(command!, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      process.stderr.write(chunk);
    });
    const finish = (code: number, ending: string) =>
      resolve({ suite, code, ending, seconds: Math.round((Date.now() - started) / 1000), output: code === 0 ? '' : Buffer.concat(chunks).toString('utf8') });
    child.on('error', (error) => {
      const line = `could not start ${suite.command.join(' ')}: ${error.message}\n`;
      chunks.push(Buffer.from(line));
      process.stderr.write(line);
      finish(127, 'not started');
    });
    child.on('close', (code, signal) => {
      if (signal) finish(128 + (constants.signals[signal] ?? 0), `killed by ${signal}`);
      else finish(code ?? 1, `exit ${code ?? 1}`);
    });
  });
}

async function main(): Promise<void> {
  const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { workspaces: string[] };
  const hasTest = (workspace: string) => {
    const manifest = JSON.parse(readFileSync(`${root}${workspace}/package.json`, 'utf8')) as { scripts?: Record<string, string> };
    return Boolean(manifest.scripts?.test);
  };
  const all = suitesOf(packageJson, hasTest);
  const chosen = select(all, process.argv.slice(2));
  if ('unknown' in chosen) {
    console.error(`no test suite named ${chosen.unknown.join(', ')}; the suites: ${all.map((suite) => suite.aliases.at(-1)).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const outcomes: Outcome[] = [];
  for (const suite of chosen.suites) {
    console.log(`\n== ${suite.name}: ${suite.command.join(' ')}`);
    outcomes.push(await run(suite));
  }
  const failed = outcomes.filter((outcome) => outcome.code !== 0);
  console.log('\n== test suites');
  for (const { suite, code, seconds, ending } of outcomes) console.log(`${code === 0 ? 'ok    ' : 'FAILED'} ${suite.name} (${seconds} s${code === 0 ? '' : `, ${ending}`})`);
  for (const { suite, output } of failed) console.log(`\n== what failed in ${suite.name}\n${failuresIn(output)}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
