import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { PinoLogger } from 'nestjs-pino';
import {
  APP_CONFIG,
  type AppConfig,
  freeLoopbackAddress,
  temporalClientInterceptors,
  temporalWorkerTracing,
} from '@warm-handover/platform';
import { EventStore } from '@warm-handover/persistence';
import { bundlerOptions, workerTuning, workflowsPath } from '@warm-handover/workflows/bundle';
import { createFamilyActivities } from './family.activities';
import { createHandoverActivities } from './handover.activities';
import { createLeadActivities } from './lead.activities';
import { createSafetyActivities } from './safety.activities';

/** Hosts the Temporal worker: polls the task queue for workflow and activity tasks. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private connection: NativeConnection | undefined;
  /** For activities that start or update other workflows. */
  private clientConnection: Connection | undefined;
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: EventStore,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(TemporalWorkerService.name);
  }

  /** Whether the worker polls its task queue now (readiness). */
  get state(): string {
    return this.worker?.getState() ?? 'NOT STARTED';
  }

  async onApplicationBootstrap(): Promise<void> {
    await installTemporalRuntime();
    this.connection = await NativeConnection.connect({ address: this.config.TEMPORAL_ADDRESS });
    this.clientConnection = await Connection.connect({ address: this.config.TEMPORAL_ADDRESS });
    const client = new Client({
      connection: this.clientConnection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      interceptors: temporalClientInterceptors(),
    });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      workflowsPath,
      bundlerOptions,
      // OpenTelemetry, when on: interceptors (the workflow's as a module of the bundle) and the span sink.
      ...temporalWorkerTracing(),
      // The SDK sizes its cache from the heap assuming far smaller workflows than a real
      // bundle's; a fixed cap, spread over threads with a heap each, keeps a worker with many
      // open handovers from running out of memory (bench/RESULTS.md, workflow-memory).
      maxCachedWorkflows: this.config.TEMPORAL_MAX_CACHED_WORKFLOWS,
      workflowThreadPoolSize: this.config.TEMPORAL_WORKFLOW_THREADS,
      ...workerTuning({
        workflowTaskSlots: this.config.TEMPORAL_WORKFLOW_TASK_SLOTS,
        pollers: this.config.TEMPORAL_POLLERS,
      }),
      activities: {
        ...createHandoverActivities(this.store),
        ...createSafetyActivities(),
        ...createFamilyActivities(this.store),
        ...createLeadActivities(this.store, { client, taskQueue: this.config.TEMPORAL_TASK_QUEUE }),
      },
    });
    this.running = this.worker.run().catch((error: unknown) => {
      this.logger.fatal({ err: error }, 'Temporal worker stopped unexpectedly; exiting so it is restarted');
      process.exit(1);
    });
    this.logger.info(
      {
        address: this.config.TEMPORAL_ADDRESS,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        maxCachedWorkflows: this.config.TEMPORAL_MAX_CACHED_WORKFLOWS,
        workflowThreads: this.config.TEMPORAL_WORKFLOW_THREADS,
        workflowTaskSlots: this.config.TEMPORAL_WORKFLOW_TASK_SLOTS,
        pollers: this.config.TEMPORAL_POLLERS,
      },
      'Temporal worker polling',
    );
  }

  /** Lets running activities finish, then closes the connection. */
  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    await this.connection?.close();
    await this.clientConnection?.close();
  }
}

let runtimeInstalled = false;
/** Where the Temporal Core's Prometheus exporter listens (loopback); served on the app's /metrics. */
export let temporalMetricsAddress: string | undefined;

/**
 * The SDK's own log lines go to stderr at WARN; our app logs go through pino. Its metrics (polls,
 * slots, task latencies, sticky cache) go to a Prometheus exporter on a loopback port.
 */
async function installTemporalRuntime(): Promise<void> {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const address = await freeLoopbackAddress();
  try {
    // No signal handlers of the SDK's own: runApp owns SIGINT/SIGTERM and closes the app, which
    // shuts the worker down in order (see onApplicationShutdown).
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      shutdownSignals: [],
      telemetryOptions: {
        metrics: { prometheus: { bindAddress: address, countersTotalSuffix: true, useSecondsForDurations: true } },
      },
    });
    temporalMetricsAddress = address;
  } catch {
    /* already installed by a test harness */
  }
}
