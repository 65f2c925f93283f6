import { dirname, join } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/**
 * How the worker (and the tests and benchmarks that run workflows) bundles this package:
 * `@warm-handover/workflows/bundle`. Not workflow code itself: it runs in the worker's Node.js,
 * never inside the bundle, so it is exported apart from `index.ts` and the workflow lint zone.
 *
 * Workflow code is always bundled from the TypeScript sources of the workspace packages: the
 * `warm-handover-source` export condition points `@warm-handover/contracts` and
 * `@warm-handover/domain` at their `src/`, so the bundle never depends on a stale build.
 */
export const workflowsPath = join(dirname(require.resolve('@warm-handover/workflows/package.json')), 'src', 'index.ts');

export const bundlerOptions: Pick<BundleOptions, 'webpackConfigHook'> = {
  webpackConfigHook: (config) => ({
    ...config,
    resolve: { ...config.resolve, conditionNames: ['warm-handover-source', '...'] },
  }),
};
