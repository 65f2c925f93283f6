/**
 * Workflow memory: what one open handover costs the worker while its workflow is cached, and how
 * big the workflow bundle is. The worker keeps every cached workflow in a V8 context of its own
 * that holds the bundle's module state, so the bundle's size shows up per open handover; this is
 * what bounds how many handovers one worker can keep warm (`TEMPORAL_MAX_CACHED_WORKFLOWS`).
 * A worker in this process runs the real workflow bundle with in-memory activities; each
 * handover is started and requested (so it waits on its deadline timer, as an open one does),
 * and the resident set size is sampled after `BENCH_MEMORY_WORKFLOWS` and twice as many.
 * Baseline: the bare update workflow, one update each, in the same kind of worker.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { handoverWorkflowId, requestHandoverUpdate } from '@warm-handover/contracts';
import { createHandoverActivities } from '../apps/worker/src/temporal/handover.activities';
import { bundlerOptions, workflowsPath } from '@warm-handover/workflows/bundle';
import { meta, requestInput } from '../test/support/handover-fixtures';
import { inMemoryRecorder } from '../test/support/temporal';
import { bareStepUpdate, type bareUpdatesWorkflow } from './bare.workflows';
import { installBenchRuntime } from './support/bare-worker';
import { withInfra } from './support/infra';
import { type BenchResult, phase, resultsAgainst } from './support/report';
import { intEnv, runConcurrently, scaled } from './support/stats';

const NAME = 'workflow-memory';
const MB = 1024 * 1024;
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => process.stderr.write(`${message}\n`),
};

interface Measured {
  readonly bundleMb: number;
  readonly mbPerWorkflow: number;
}

export async function run(): Promise<BenchResult[]> {
  const step = intEnv('BENCH_MEMORY_WORKFLOWS', scaled(200, 20));
  return withInfra(NAME, { temporal: true }, async (infra) => {
    const address = infra.temporal!.address;
    const bare = await measure('bare', address, step, join(__dirname, 'bare.workflows.ts'), {
      noop: () => Promise.resolve(),
      fired: () => Promise.resolve(),
    });
    const calendar = createHandoverActivities(undefined as never);
    const handover = await measure('handover', address, step, workflowsPath, {
      deadlineAt: (input: Parameters<typeof calendar.deadlineAt>[0]) => calendar.deadlineAt(input),
      recordEvents: inMemoryRecorder().recordEvents,
    });
    const result = resultsAgainst(
      NAME,
      'the bare update workflow (imports only @temporalio/workflow), same worker settings',
    );
    return [
      result('workflow bundle size', 'MB', handover.bundleMb, bare.bundleMb),
      result(
        `RSS per cached open workflow (between ${step} and ${2 * step} cached)`,
        'MB',
        handover.mbPerWorkflow,
        bare.mbPerWorkflow,
      ),
    ];
  });
}

async function measure(
  label: string,
  address: string,
  step: number,
  path: string,
  activities: object,
): Promise<Measured> {
  installBenchRuntime();
  phase(NAME, `${label}: bundling ${path}`);
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({
    workflowsPath: path,
    ...(path === workflowsPath ? bundlerOptions : {}),
    logger: quietLogger,
  });
  const taskQueue = `bench-memory-${label}-${process.pid}`;
  const nativeConnection = await NativeConnection.connect({ address });
  // Room for every workflow of the run, so none is evicted while it is measured.
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
    maxCachedWorkflows: 2 * step + 100,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const open: WorkflowHandle[] = [];
  try {
    const openOne = async (): Promise<void> => {
      if (label === 'bare') {
        const handle = await client.workflow.start<typeof bareUpdatesWorkflow>('bareUpdatesWorkflow', {
          taskQueue,
          workflowId: `bare-memory-${randomUUID()}`,
          args: [{ updates: 2 }],
        });
        await handle.executeUpdate(bareStepUpdate, { args: [{ step: 1 }] });
        open.push(handle);
        return;
      }
      const input = requestInput();
      const handle = await client.workflow.start('handoverWorkflow', {
        taskQueue,
        workflowId: handoverWorkflowId(input.handoverId),
      });
      await handle.executeUpdate(requestHandoverUpdate, { args: [{ meta: meta(input.fromOrg), request: input }] });
      open.push(handle);
    };
    await runConcurrently(step, 8, openOne);
    const first = await settledRss();
    await runConcurrently(step, 8, openOne);
    const second = await settledRss();
    const mbPerWorkflow = (second - first) / step / MB;
    phase(
      NAME,
      `${label}: bundle ${(bundle.code.length / MB).toFixed(2)} MB; RSS ${(first / MB).toFixed(0)} MB at ${step} open, ` +
        `${(second / MB).toFixed(0)} MB at ${2 * step}: ${mbPerWorkflow.toFixed(2)} MB per cached workflow`,
    );
    return { bundleMb: bundle.code.length / MB, mbPerWorkflow };
  } finally {
    await Promise.all(open.map((h) => h.terminate('benchmark done').catch(() => undefined)));
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await nativeConnection.close();
  }
}

/** RSS once the worker has gone quiet (its cached contexts stay; garbage does not). */
async function settledRss(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return process.memoryUsage().rss;
}
