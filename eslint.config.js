// Lint rules of the whole repository. Services log through pino, so console is an error there.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '.data/**', 'prisma/.migrate/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['client/**', 'scripts/**', '**/test/**'],
    rules: { 'no-console': 'off' },
  },
  // Apps never import one another: they talk over HTTP or the bus, with schemas from packages/shared.
  // (Tests may: a player API test reads what a game server saved.)
  ...[
    ['server', ['@mmo/player-api', '@mmo/social-api', '**/player-api/**', '**/social-api/**']],
    ['player-api', ['@mmo/server', '@mmo/server/*', '@mmo/social-api', '**/server/src/**', '**/social-api/**']],
    ['social-api', ['@mmo/server', '@mmo/server/*', '@mmo/player-api', '**/server/src/**', '**/player-api/**']],
  ].map(([app, forbidden]) => ({
    files: [`${app}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message: 'Apps never import other apps; use HTTP or the bus.' }] }],
    },
  })),
  // Game rules are plain functions over plain data: no sockets, no database, no config, and the
  // clock and randomness passed in, so that tests drive them with plain objects and seeds.
  {
    files: ['server/src/game/world/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@colyseus/*', 'colyseus'], message: 'world/ is plain rules: the room adapts them to Colyseus.' },
            { group: ['@prisma/*', '**/generated/**', '@mmo/platform', '@mmo/platform/*'], message: 'world/ is plain rules: stores are the room’s.' },
            // This block replaces the server's app rule below for world/, so it repeats it.
            { group: ['@mmo/player-api', '@mmo/social-api'], message: 'Apps never import other apps; use HTTP or the bus.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'world/ reads no config: pass settings in.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'world/ takes the clock as an argument.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'world/ takes a seeded RNG as an argument.' },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'world/ reads no config or process state.' }],
    },
  },
);
