import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { RELAY_CHECKPOINT } from '@warm-handover/messaging';
import { OperationsStats } from '@warm-handover/persistence';
import {
  APP_CONFIG,
  type AppConfig,
  createMetricsRegistry,
  type OpsServer,
  scrapeText,
  startOpsServer,
} from '@warm-handover/platform';
import { OutboxRelayService } from '../relay/outbox-relay.service';
import { temporalMetricsAddress, TemporalWorkerService } from '../temporal/temporal-worker.service';

/**
 * The worker's operations listener (WORKER_OPS_PORT): liveness, readiness (database, Temporal
 * worker polling, and the relay when Kafka is configured) and /metrics: the Temporal SDK's
 * metrics, the relay's lag and lock, and the steps overdue by escalation level.
 */
@Injectable()
export class WorkerOpsService implements OnModuleInit, OnApplicationShutdown {
  private server: OpsServer | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly worker: TemporalWorkerService,
    private readonly relay: OutboxRelayService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(WorkerOpsService.name);
  }

  async onModuleInit(): Promise<void> {
    const registry = createMetricsRegistry('worker');
    const stats = new OperationsStats(this.dataSource);
    const relay = this.relay;
    // Both lag gauges are collected in one scrape: one query for the two.
    let lag: { at: number; value: ReturnType<OperationsStats['relayLag']> } | undefined;
    const relayLag = () => {
      if (!lag || Date.now() - lag.at > 1_000) lag = { at: Date.now(), value: stats.relayLag(RELAY_CHECKPOINT) };
      return lag.value;
    };
    new Gauge({
      name: 'warm_handover_relay_lag_events',
      help: 'Events recorded but not yet published to Kafka by the outbox relay',
      registers: [registry],
      async collect() {
        this.set((await relayLag()).events);
      },
    });
    new Gauge({
      name: 'warm_handover_relay_lag_seconds',
      help: 'Age of the oldest event not yet published to Kafka (0 when none waits)',
      registers: [registry],
      async collect() {
        this.set((await relayLag()).seconds);
      },
    });
    new Gauge({
      name: 'warm_handover_relay_holder',
      help: '1 while this instance holds the relay lock and publishes; 0 on a standby (or with the relay off)',
      registers: [registry],
      collect() {
        this.set(relay.status()?.holder ? 1 : 0);
      },
    });
    new Gauge({
      name: 'warm_handover_overdue_steps',
      help: 'Handovers and lead negotiations whose step is overdue, by kind and the escalation level reached',
      labelNames: ['kind', 'level'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await stats.overdueSteps()) this.set({ kind: s.kind, level: String(s.level) }, s.count);
      },
    });
    this.server = await startOpsServer({
      app: 'worker',
      port: this.config.WORKER_OPS_PORT,
      operatorToken: this.config.OPERATOR_TOKEN,
      registry,
      extraMetrics: () => scrapeText(temporalMetricsAddress),
      logger: this.logger.logger,
      readiness: async () => {
        const database = await this.dataSource.query('SELECT 1').then(
          () => ({ status: 'up' as const }),
          (error: unknown) => ({ status: 'down' as const, message: (error as Error).message }),
        );
        const state = this.worker.state;
        const checks: Record<string, { status: 'up' | 'down'; [k: string]: unknown }> = {
          database,
          temporal: { status: state === 'RUNNING' ? 'up' : 'down', worker: state },
        };
        const status = relay.status();
        if (status) {
          // Informational: a standby is ready too; a holder that cannot publish is reported, not failed
          // (events wait in the store and Kafka's outage has its own alert).
          checks.relay = {
            status: 'up',
            holder: status.holder,
            checkpoint: status.checkpoint,
            consecutiveFailures: status.consecutiveFailures,
            ...(status.lastError ? { lastError: status.lastError } : {}),
          };
        }
        return checks;
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
