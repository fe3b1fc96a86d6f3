// ESLint flat config: typed rules everywhere, and purity rules for stage handlers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { SERVICES as services } from './source-folders.js';

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

// Service folders (source-folders.js) import only the shared folders, never another service.
const otherServices = (own) =>
  services
    .filter((s) => s !== own)
    .flatMap((s) => [`../${s}/*`, `../../${s}/*`, `../../../${s}/*`, `../${s}/**`, `../../${s}/**`]);
const boundary = (own) => ({
  group: otherServices(own),
  message: `a service does not import another service: move what ${own}/ shares into common/`,
});
const pureFiles = [
  'processors/*/transform.ts',
  'schemas/invariants.ts',
  'simulation/model/**/*.ts',
  'reference/**/*.ts',
  'splitter/split.ts',
  'common/seeded-rng.ts',
  'common/new-order.ts',
  'common/flink-statements.ts',
  'common/flink-error.ts',
  'common/flink-missing-topics.ts',
  'flink/result-table.ts',
  'support/tickets.ts',
  'support/report.ts',
  'support/clean.ts',
  'support/rng.ts',
  'stock/movement.ts',
  'stock/reorder-policy.ts',
  'storefront/cart-model.ts',
  'storefront/config.ts',
  'storefront/draws.ts',
  'storefront/sessions.ts',
  'common/cart-identity.ts',
  'shop/reconcile-compare.ts',
  'common/flink-catalog-ddl.ts',
  'api/order-request.ts',
  'api/order-state.ts',
  'dashboard/live/cdc-lag.ts',
  'bench/cpu-account.ts',
  'bench/message-file.ts',
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
  ...services.map((own) => ({
    files: [`${own}/**/*.ts`],
    ignores: pureFiles,
    rules: { 'no-restricted-imports': ['error', { patterns: [boundary(own)] }] },
  })),
  {
    // Pure logic: stage transforms, generator models, invariants. No I/O allowed.
    files: pureFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'Handlers and models are pure: no I/O here.' })),
          patterns: [
            {
              group: services.flatMap((s) => [`../${s}/**`, `../../${s}/**`]),
              message: 'Handlers and models are pure: they import only common/, schemas/ and reference/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
