// Every way of starting a game process gives it the same V8 flags (GAME_NODE_FLAGS): `npm start`
// and docker-compose spell them out, `npm run cluster` and the benchmark import them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GAME_NODE_FLAGS } from '../server/src/game/config.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('game process V8 flags', () => {
  it('npm start runs the embedded game process with every flag of GAME_NODE_FLAGS', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    for (const flag of GAME_NODE_FLAGS) assert.ok(start.includes(` ${flag} `), `npm start lacks ${flag}: ${start}`);
  });

  it('docker-compose runs every game process with every flag of GAME_NODE_FLAGS', () => {
    const commands = read('docker-compose.yml')
      .split('\n')
      .filter((line) => line.includes('server/src/game/main.ts'));
    assert.ok(commands.length >= 1);
    for (const command of commands) for (const flag of GAME_NODE_FLAGS) assert.ok(command.includes(`"${flag}"`), `${command.trim()} lacks ${flag}`);
  });
});
