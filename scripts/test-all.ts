// `npm test`: every workspace's suite in the order of package.json, then the repository's own
// (test/: cluster, benchmark smoke), each to the end even when an earlier one failed. The output
// streams as it comes; when a suite failed, its failures are printed again at the very end, so
// that the tail of a long log (all a CI summary may keep) names what failed and why.
//
//   npm test                                  (embedded stack)
//   DATABASE_URL=… REDIS_URL=… npm test       (both stacks)
//   npm test -- server player-api             (only the suites named; `test/` is the root's)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Suite {
  name: string;
  command: string[];
}

interface Outcome {
  suite: Suite;
  code: number;
  seconds: number;
  /** The suite's output (stdout and stderr, interleaved as written). */
  output: string;
}

/** The workspaces that have a test script, in package.json's order, then the root's mocha. */
export function suitesOf(packageJson: { workspaces: string[] }, hasTest: (workspace: string) => boolean): Suite[] {
  const suites = packageJson.workspaces
    .filter(hasTest)
    .map((workspace) => ({ name: workspace, command: ['npm', 'run', '-s', 'test', '-w', workspace] }));
  return [...suites, { name: 'test/ (repository)', command: ['npx', 'mocha'] }];
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
    const child = spawn(command!, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      process.stderr.write(chunk);
    });
    const finish = (code: number) =>
      resolve({ suite, code, seconds: Math.round((Date.now() - started) / 1000), output: Buffer.concat(chunks).toString('utf8') });
    child.on('error', (error) => {
      chunks.push(Buffer.from(`could not start ${suite.command.join(' ')}: ${error.message}\n`));
      finish(127);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<void> {
  const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { workspaces: string[] };
  const hasTest = (workspace: string) => {
    const manifest = JSON.parse(readFileSync(`${root}${workspace}/package.json`, 'utf8')) as { scripts?: Record<string, string> };
    return Boolean(manifest.scripts?.test);
  };
  const all = suitesOf(packageJson, hasTest);
  const named = process.argv.slice(2);
  const unknown = named.filter((name) => !all.some((suite) => suite.name.startsWith(name)));
  if (unknown.length > 0) {
    console.error(`no test suite named ${unknown.join(', ')}; the suites: ${all.map((suite) => suite.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const outcomes: Outcome[] = [];
  for (const suite of all.filter((suite) => named.length === 0 || named.some((name) => suite.name.startsWith(name)))) {
    console.log(`\n== ${suite.name}: ${suite.command.join(' ')}`);
    outcomes.push(await run(suite));
  }
  const failed = outcomes.filter((outcome) => outcome.code !== 0);
  console.log('\n== test suites');
  for (const { suite, code, seconds } of outcomes) console.log(`${code === 0 ? 'ok    ' : `FAILED`} ${suite.name} (${seconds} s${code === 0 ? '' : `, exit ${code}`})`);
  for (const { suite, output } of failed) console.log(`\n== what failed in ${suite.name}\n${failuresIn(output)}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
