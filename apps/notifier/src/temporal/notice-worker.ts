import { dirname, join } from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { type NoticeActivities, type NoticeWorkflowInput, noticeWorkflowId } from '@warm-handover/contracts';
import { freeLoopbackAddress, temporalClientInterceptors, temporalWorkerTracing } from '@warm-handover/platform';
import {
  bundlerOptions,
  workerTuning,
  type WorkerTuning,
  workflowsPath as allWorkflowsPath,
} from '@warm-handover/workflows/bundle';
import type { NoticeStarter } from '../notice-dispatcher';

/**
 * The notice workflows run on the notifier's own task queue, in a worker bundled from
 * workflows/src/notice.workflow.ts alone (from the TypeScript sources, as the worker app does),
 * so the notifier deploys and scales on its own and never picks up handover workflows.
 */
const workflowsPath = join(dirname(allWorkflowsPath), 'notice.workflow.ts');

export interface NoticeWorkerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: NoticeActivities;
  /** Slots and polls (TEMPORAL_WORKFLOW_TASK_SLOTS, TEMPORAL_POLLERS), as the worker app's. */
  readonly tuning: WorkerTuning;
}

export class NoticeWorker implements NoticeStarter {
  private constructor(
    private readonly connection: NativeConnection,
    private readonly clientConnection: Connection,
    private readonly client: Client,
    private readonly worker: Worker,
    private readonly taskQueue: string,
    readonly running: Promise<void>,
  ) {}

  /** Whether the worker polls its task queue now (readiness). */
  get state(): string {
    return this.worker.getState();
  }

  static async start(options: NoticeWorkerOptions, onFatal: (error: unknown) => void): Promise<NoticeWorker> {
    await installRuntime();
    const connection = await NativeConnection.connect({ address: options.address });
    const worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      workflowsPath,
      bundlerOptions,
      ...workerTuning(options.tuning),
      activities: options.activities,
      // OpenTelemetry, when on: interceptors (the workflow's as a module of the bundle) and the span sink.
      ...temporalWorkerTracing(),
    });
    const clientConnection = await Connection.connect({ address: options.address });
    const client = new Client({
      connection: clientConnection,
      namespace: options.namespace,
      interceptors: temporalClientInterceptors(),
    });
    const running = worker.run().catch(onFatal);
    return new NoticeWorker(connection, clientConnection, client, worker, options.taskQueue, running);
  }

  /**
   * REJECT_DUPLICATE: a workflow id that ran before, whether it is still running or closed,
   * is never started again, so a notice goes out once per (cause event, recipient).
   */
  async start(input: NoticeWorkflowInput): Promise<boolean> {
    try {
      await this.client.workflow.start('noticeWorkflow', {
        taskQueue: this.taskQueue,
        workflowId: noticeWorkflowId(input.notice.noticeId),
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [input],
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  /** Lets running activities finish, then closes the connections. */
  async stop(): Promise<void> {
    if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    await this.clientConnection.close();
    await this.connection.close();
  }
}

/** Where the Temporal Core's Prometheus exporter listens (loopback); served on the notifier's /metrics. */
export let temporalMetricsAddress: string | undefined;

/**
 * The SDK's own log lines go to stderr at WARN; runApp owns the shutdown signals. Its metrics go
 * to a Prometheus exporter on a loopback port.
 */
async function installRuntime(): Promise<void> {
  const address = await freeLoopbackAddress();
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      shutdownSignals: [],
      telemetryOptions: {
        metrics: { prometheus: { bindAddress: address, countersTotalSuffix: true, useSecondsForDurations: true } },
      },
    });
    temporalMetricsAddress = address;
  } catch {
    /* already installed (a test harness, or a second start in one process) */
  }
}
