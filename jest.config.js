// Four tiers, each a Jest project, so `npm test` can report how many tests ran per tier.
// unit: pure code, no I/O. workflow: Temporal's time-skipping test server. integration: real
// PostgreSQL, Kafka and the Temporal dev server. e2e: the built apps as processes.
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
  // Tests run on the TypeScript sources of the workspace packages, not their build output.
  moduleNameMapper: {
    '^@warm-handover/(contracts|domain|persistence|messaging|platform)$': '<rootDir>/libs/$1/src',
    '^@warm-handover/workflows$': '<rootDir>/workflows/src',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'] },
    { ...shared, displayName: 'workflow', testMatch: ['<rootDir>/**/*.workflow-spec.ts'], testTimeout: 60_000 },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/**/*.int-spec.ts'], testTimeout: 120_000 },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], testTimeout: 180_000 },
  ],
};
