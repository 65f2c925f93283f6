// Five tiers, each a Jest project, so `npm test` can report how many tests ran per tier.
// unit: pure code, no I/O. workflow: Temporal's time-skipping test server. integration: real
// PostgreSQL, Kafka and the Temporal dev server. e2e: the built apps as processes. faults: drills
// that kill or stop the infrastructure under the built apps (each starts and stops its own). fuzz:
// schemathesis over the OpenAPI document against the built apps, with a token of each role.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Tests run on the TypeScript sources of the workspace packages, not their build output
  // (@warm-handover/infra has no build: it is TypeScript run by tsx and Jest only).
  moduleNameMapper: {
    '^@warm-handover/(contracts|domain|persistence|messaging|platform)$': '<rootDir>/libs/$1/src',
    '^@warm-handover/domain/workflow$': '<rootDir>/libs/domain/src/workflow',
    '^@warm-handover/workflows$': '<rootDir>/workflows/src',
    '^@warm-handover/workflows/bundle$': '<rootDir>/workflows/src/workflow-bundle',
    '^@warm-handover/infra$': '<rootDir>/scripts/infra',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testEnvironment: 'node',
};

const slow = { setupFilesAfterEnv: ['<rootDir>/test/support/long-timeout.ts'] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'] },
    { ...shared, ...slow, displayName: 'workflow', testMatch: ['<rootDir>/**/*.workflow-spec.ts'] },
    { ...shared, ...slow, displayName: 'integration', testMatch: ['<rootDir>/**/*.int-spec.ts'] },
    { ...shared, ...slow, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...shared, ...slow, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'] },
    { ...shared, ...slow, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'] },
  ],
};
