// Typed lint for the whole monorepo. The workflows/ block is what keeps workflow code
// deterministic and bundleable: no Node built-ins, Nest, TypeORM, kafkajs or pg in there.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// Tests of a layer may reach test/support and @warm-handover/infra; the layer's own code may not.
const testFiles = [
  '**/*.spec.ts',
  '**/*.int-spec.ts',
  '**/*.workflow-spec.ts',
  '**/*.e2e-spec.ts',
  '**/*.fault-spec.ts',
  '**/*.fuzz-spec.ts',
];
const tooling = ['./scripts', './test', './bench'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.data/**', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    // workflow-bundle.ts is the worker's bundler configuration (@warm-handover/workflows/bundle):
    // it runs in the worker's Node.js and is never part of the bundle.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.spec.ts', 'workflows/**/*.workflow-spec.ts', 'workflows/src/workflow-bundle.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Workflow code must be deterministic: do I/O in an activity.',
            })),
            {
              // Every cached workflow holds its own copy of the bundle's modules: the full index
              // (calendar data, directory) costs 2.3 MB per open handover (bench/RESULTS.md).
              name: '@warm-handover/domain',
              message:
                'Import @warm-handover/domain/workflow (no calendar or directory data); reach the rest through an activity.',
            },
          ],
          patterns: [
            { group: ['@nestjs/*'], message: 'Nest belongs in apps/, not in workflow code.' },
            {
              group: ['typeorm', 'pg', '@warm-handover/persistence'],
              message: 'Database access belongs in an activity.',
            },
            {
              group: ['kafkajs', '@warm-handover/messaging'],
              message: 'Kafka belongs in the relay, not in workflow code.',
            },
            {
              group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity'],
              message: 'Workflows import only @temporalio/workflow.',
            },
          ],
        },
      ],
    },
  },
  {
    // Import zones: libraries are the bottom layer, workflows stand on libraries only, apps on
    // both; scripts, tests and benchmarks stand on top and nothing below reaches up to them.
    // Paths are resolved (package names included), so `@warm-handover/infra` counts as scripts/.
    files: ['libs/**/*.ts', 'workflows/**/*.ts', 'apps/**/*.ts'],
    ignores: testFiles,
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './libs',
              from: ['./apps', './workflows', ...tooling],
              message: 'Libraries are the bottom layer: they import no app, workflow, script, test or benchmark.',
            },
            {
              target: './workflows',
              from: ['./apps', ...tooling],
              message: 'Workflows import only libraries (contracts, domain/workflow) and @temporalio/workflow.',
            },
            {
              target: './apps',
              from: tooling,
              message: 'Apps import libraries and workflows, never scripts, tests or benchmarks.',
            },
          ],
        },
      ],
    },
  },
  {
    // The infrastructure helpers have one front door: the package, not a path into its folder.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/*.ts', ...testFiles],
    ignores: ['scripts/infra/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(scripts/)?infra/',
              message: 'Import the infrastructure helpers by name: @warm-handover/infra.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.workflow-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Tests walk parsed YAML/JSON of unknown shape and stringify what they find on purpose.
      '@typescript-eslint/no-base-to-string': 'off',
      // Jest's asymmetric matchers are typed `any`, and e2e tests walk JSON answers of the API.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
);
