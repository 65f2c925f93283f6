import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { TOP_LEVEL } from '@warm-handover/domain';
import { createKafka } from '@warm-handover/messaging';
import { CheckpointStore, ContactPointSecretStore, EventStore, OperationsStats } from '@warm-handover/persistence';
import {
  APP_CONFIG,
  type AppConfig,
  createMetricsRegistry,
  type OpsServer,
  scrapeText,
  startOpsServer,
} from '@warm-handover/platform';
import { Mailer } from './delivery/channels';
import { NoticeDispatcher } from './notice-dispatcher';
import { EventStoreNoticeSource, KafkaNoticeSource, type NoticeSource, notifierGroup } from './sources/notice-source';
import { createNoticeActivities } from './temporal/notice.activities';
import { NoticeWorker, temporalMetricsAddress } from './temporal/notice-worker';

/**
 * The notifier: a Temporal worker for the notice workflows, and a source of events (Kafka when
 * KAFKA_BROKERS is set, else the event store) feeding the dispatcher that starts them. The
 * worker starts first and stops last, so no notice is started without a worker to run it.
 */
@Injectable()
export class NotifierService implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: NoticeWorker | undefined;
  private source: NoticeSource | undefined;
  private mailer: Mailer | undefined;
  private ops: OpsServer | undefined;
  private readonly registry = createMetricsRegistry('notifier');
  private readonly deliveries = new Counter({
    name: 'warm_handover_notice_deliveries_total',
    help: 'Delivery attempts of notices by this notifier, by channel and outcome (delivered or refused)',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(NotifierService.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const config = this.config;
    await this.startOps();
    this.mailer = new Mailer(config.SMTP_URL);
    this.worker = await NoticeWorker.start(
      {
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.NOTIFIER_TASK_QUEUE,
        tuning: { workflowTaskSlots: config.TEMPORAL_WORKFLOW_TASK_SLOTS, pollers: config.TEMPORAL_POLLERS },
        activities: createNoticeActivities({
          store: this.store,
          secrets: new ContactPointSecretStore(this.dataSource, config.WEBHOOK_SECRET_KEY),
          mailer: this.mailer,
          onDelivery: (channel, delivered) =>
            this.deliveries.inc({ channel, outcome: delivered ? 'delivered' : 'refused' }),
          settings: {
            from: config.NOTICE_FROM,
            publicBaseUrl: config.PUBLIC_BASE_URL,
            linkSecret: config.NOTICE_LINK_SECRET,
            allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
            ackTimeout: config.NOTICE_ACK_TIMEOUT,
          },
        }),
      },
      (error) => {
        this.logger.fatal({ err: error }, 'notice worker stopped unexpectedly; exiting so it is restarted');
        process.exit(1);
      },
    );
    const dispatcher = new NoticeDispatcher(
      this.store,
      this.worker,
      {
        initialIntervalMs: config.NOTICE_RETRY_INITIAL_SECONDS * 1000,
        maximumIntervalMs: config.NOTICE_RETRY_MAX_SECONDS * 1000,
        maximumAttempts: config.NOTICE_MAX_ATTEMPTS,
      },
      this.logger.logger,
      config.NOTICE_REPEAT_SECONDS * 1000,
    );
    this.source =
      config.KAFKA_BROKERS.length > 0
        ? new KafkaNoticeSource(
            createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID }, this.logger.logger),
            this.logger.logger,
            notifierGroup(config.NOTIFIER_TASK_QUEUE),
          )
        : new EventStoreNoticeSource(this.store, this.checkpoints, this.logger.logger, config.DATABASE_URL);
    await this.source.start((event) => dispatcher.handle(event));
    this.logger.info({ taskQueue: config.NOTIFIER_TASK_QUEUE }, 'notifier running');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.source?.stop();
    await this.worker?.stop();
    this.mailer?.close();
    await this.ops?.close();
  }

  /**
   * NOTIFIER_OPS_PORT: liveness, readiness (database, notice worker polling) and /metrics: the
   * Temporal SDK's metrics, deliveries, and the notices pending, failed and undeliverable at the top.
   */
  private async startOps(): Promise<void> {
    const stats = new OperationsStats(this.dataSource);
    new Gauge({
      name: 'warm_handover_notices',
      help: 'Notices by state: pending (delivery under way), failed (every attempt failed), undeliverable_at_top (failed at the top of the ladder: nobody higher to tell)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const counts = await stats.noticeCounts(TOP_LEVEL);
        this.set({ state: 'pending' }, counts.pending);
        this.set({ state: 'failed' }, counts.failed);
        this.set({ state: 'undeliverable_at_top' }, counts.undeliverableAtTop);
      },
    });
    this.ops = await startOpsServer({
      app: 'notifier',
      port: this.config.NOTIFIER_OPS_PORT,
      operatorToken: this.config.OPERATOR_TOKEN,
      registry: this.registry,
      extraMetrics: () => scrapeText(temporalMetricsAddress),
      logger: this.logger.logger,
      readiness: async () => {
        const database = await this.dataSource.query('SELECT 1').then(
          () => ({ status: 'up' as const }),
          (error: unknown) => ({ status: 'down' as const, message: (error as Error).message }),
        );
        const state = this.worker?.state ?? 'NOT STARTED';
        return { database, temporal: { status: state === 'RUNNING' ? 'up' : 'down', worker: state } };
      },
    });
  }
}
