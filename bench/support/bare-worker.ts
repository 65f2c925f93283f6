import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '@warm-handover/platform';
import { workerTuning } from '@warm-handover/workflows/bundle';
import type { BareActivities } from '../bare.workflows';
import { onCleanup } from './infra';
import { phase } from './report';

let runtimeInstalled = false;

/** The SDK's runtime, once per process, with no signal handlers of its own: the runner stops workers and servers in order on Ctrl-C. */
export function installBenchRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
}

export interface BareWorker {
  readonly taskQueue: string;
  stop(): Promise<void>;
}

/**
 * A plain Temporal worker in the benchmark process for the bare baseline workflows, on its own
 * task queue of the benchmark's Temporal server.
 */
export async function startBareWorker(
  benchmark: string,
  address: string,
  activities: BareActivities,
): Promise<BareWorker> {
  installBenchRuntime();
  phase(benchmark, 'bundling the bare baseline workflow and starting its worker');
  const taskQueue = `bench-bare-${process.pid}-${Date.now()}`;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: join(__dirname, '..', 'bare.workflows.ts'),
    activities,
    // Tuned as the service's worker is (TEMPORAL_WORKFLOW_TASK_SLOTS, TEMPORAL_POLLERS), defaults included.
    ...workerTuning(benchWorkerTuning()),
  });
  const running = worker.run();
  const stop = onCleanup(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
  });
  return { taskQueue, stop };
}

/** The worker app's slots and polls, read from the same settings with the same defaults. */
export function benchWorkerTuning(): { workflowTaskSlots: number; pollers: number } {
  const config = loadConfig('worker', {
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    TEMPORAL_WORKFLOW_TASK_SLOTS: process.env.TEMPORAL_WORKFLOW_TASK_SLOTS,
    TEMPORAL_POLLERS: process.env.TEMPORAL_POLLERS,
  });
  return { workflowTaskSlots: config.TEMPORAL_WORKFLOW_TASK_SLOTS, pollers: config.TEMPORAL_POLLERS };
}
