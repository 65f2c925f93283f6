import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
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
  });
  const running = worker.run();
  const stop = onCleanup(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
  });
  return { taskQueue, stop };
}
