// ESLint flat config. Besides the usual TypeScript rules it enforces the runtime boundaries
// of the architecture (see README "Architecture"): the emulator is a pure library, the
// renderer is browser code, and only main/electron may touch Electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'worker_threads',
  'stream',
  'url',
  'util',
  'events',
  'tty',
  'readline',
  'zlib',
  'dgram',
  'cluster',
  'process',
];
const nodeImportBan = [
  { group: ['node:*'], message: 'Node APIs are not allowed here.' },
  ...nodeBuiltins.map((m) => ({
    group: [m, `${m}/*`],
    message: 'Node APIs are not allowed here.',
  })),
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'release/**',
      'test-output/**',
      'assets/guest/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // The machine: pure library. No Electron, no DOM, no Node, nothing from the app.
    files: ['emulator/**/*.ts'],
    ignores: ['emulator/tools/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeImportBan,
            { group: ['electron', 'electron/*'], message: 'The emulator must not use Electron.' },
            {
              group: ['**/main/**', '**/renderer/**', 'react', 'react-dom', '@mui/*'],
              message: 'The emulator imports nothing from the app.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'process',
        'Buffer',
        'require',
      ],
    },
  },
  {
    // Process entries of the emulator's command-line tools may use Node.
    files: ['emulator/tools/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'The emulator must not use Electron.' },
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'The emulator imports nothing from the app.',
            },
          ],
        },
      ],
    },
  },
  {
    // Code shared by main and renderer: runtime-agnostic.
    files: ['main/common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeImportBan,
            { group: ['electron', 'electron/*'], message: 'main/common is runtime-agnostic.' },
            {
              group: ['**/node/**', '**/electron/**', '**/renderer/**'],
              message: 'main/common is runtime-agnostic.',
            },
          ],
        },
      ],
    },
  },
  {
    // Services: plain Node (they also power the CLI and web mode) — never Electron.
    files: ['main/node/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'Services run in plain Node; only main/electron may import Electron.',
            },
            {
              group: ['**/renderer/**', '**/electron/**'],
              message: 'Services do not depend on the UI or the Electron adapter.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // Browser code: no Node, no Electron; talks to main only through the typed API.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeImportBan,
            {
              group: ['electron', 'electron/*'],
              message: 'The renderer talks to main only through the preload API.',
            },
            {
              group: ['**/main/node/**', '**/main/electron/**', '**/emulator/tools/**'],
              message: 'The renderer may only import main/common.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx,mjs}', '*.config.*', 'esbuild.config.mjs'],
    languageOptions: { globals: globals.node },
  },
);
