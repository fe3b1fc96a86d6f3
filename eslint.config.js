// ESLint flat config: typed rules everywhere, and purity rules for stage handlers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  '@confluentinc/kafka-javascript',
  'pg',
  'node:fs',
  'fs',
  'node:net',
  'net',
  'node:http',
  'http',
  'fastify',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.orderflow/**', 'dashboard/web/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Pure logic: stage transforms, generator models, invariants. No I/O allowed.
    files: [
      'processors/*/transform.ts',
      'schemas/invariants.ts',
      'producer/model/**/*.ts',
      'reference/**/*.ts',
      'splitter/split.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ioModules.map((name) => ({ name, message: 'Handlers and models are pure: no I/O here.' })) },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
