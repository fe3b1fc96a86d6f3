// The folders of orderflow's TypeScript sources, named once: the lint rules (eslint.config.js) keep
// the services apart by this list, and the compose and image tests (test/unit/compose/) read every
// source folder through it. A new service is added here and nowhere else.

/**
 * Service folders. Each imports from the shared folders below, never from another service, so that
 * a service can be read, moved or replaced alone. What two services share belongs in common/.
 */
export const SERVICES = [
  'producer',
  'processors',
  'splitter',
  'connect',
  'warehouse',
  'dashboard',
  'flink',
  'support',
  'shop',
  'stock',
  'storefront',
  'api',
];

/**
 * What the services share: modules, the record's schemas, reference data, the simulated shop's
 * seeded models and their parameters, the stage kernel, the stack's settings.
 */
export const SHARED_FOLDERS = ['common', 'schemas', 'reference', 'simulation', 'runtime', 'stack'];

/** Every folder of sources the orderflow command runs: the shared ones, the CLI and the services. */
export const SOURCE_FOLDERS = [...SHARED_FOLDERS, 'cli', ...SERVICES];
