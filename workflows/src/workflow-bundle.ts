import { dirname, join } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';

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

/** How many workflow tasks a worker runs at once, and how many polls it may keep open for them. */
export interface WorkerTuning {
  /** Workflow tasks at once (a task holds its slot through its local activities). */
  readonly workflowTaskSlots: number;
  /** At most this many open polls for workflow tasks, and as many for activity tasks. */
  readonly pollers: number;
}

/**
 * The worker options that decide how fast tasks come in; the service's worker and the benchmarks'
 * bare worker both take them from here, so a comparison is between equally tuned workers.
 *
 * The SDK's default is a fixed 10 workflow-task polls, only 2 of them on the shared queue (the rest
 * wait on the worker's sticky queue). A poll that is answered from a backlog takes the server a
 * few database round trips, so on a busy server 2 polls bring in a few tasks a second: new
 * workflows and tasks moved off a sticky queue then wait for minutes (bench/RESULTS.md, 10,000
 * escalations). Autoscaling polls follow the server's backlog, between 2 and `pollers`.
 */
export function workerTuning(
  tuning: WorkerTuning,
): Pick<
  WorkerOptions,
  'maxConcurrentWorkflowTaskExecutions' | 'workflowTaskPollerBehavior' | 'activityTaskPollerBehavior'
> {
  const polls = Math.max(2, Math.min(tuning.pollers, tuning.workflowTaskSlots));
  return {
    maxConcurrentWorkflowTaskExecutions: tuning.workflowTaskSlots,
    workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 2, initial: Math.min(5, polls), maximum: polls },
    activityTaskPollerBehavior: {
      type: 'autoscaling',
      minimum: 1,
      initial: Math.min(5, polls),
      maximum: tuning.pollers,
    },
  };
}
