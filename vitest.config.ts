import { defineConfig } from 'vitest/config';

/**
 * The integration files that break or hold a shared component of the stack: the fault tests stop,
 * kill and freeze the broker, the registry, Connect and PostgreSQL; the Flink tests (and the
 * dashboard's SQL tab) share one session cluster, and one of them kills its TaskManager. They are
 * the project integration-exclusive, run alone after the rest. The others (each on its own topic
 * prefix, warehouse schema and shop database) may run two at a time: scripts/test-integration.sh
 * runs both.
 */
const EXCLUSIVE = [
  'test/integration/faults/**/*.test.ts',
  'test/integration/flink/**/*.test.ts',
  'test/integration/dashboard/sql.test.ts', // the SQL tab runs its statements on Flink
];

// The tiers: unit (pure logic, no I/O), integration (real stack started by globalSetup), browser
// (the dashboard in Chromium), lifecycle (the stack's own start and stop). Files run one at a time
// unless a command line says otherwise (--fileParallelism --maxWorkers=N).
export default defineConfig({
  test: {
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: EXCLUSIVE,
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 600_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration-exclusive',
          include: EXCLUSIVE,
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 600_000,
          pool: 'forks',
        },
      },
      {
        test: {
          // The dashboard in Chromium (run `npm run build:web` first; `npm run test:browser` does both).
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 600_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'lifecycle',
          include: ['test/lifecycle/**/*.test.ts'],
          testTimeout: 900_000,
        },
      },
    ],
  },
});
