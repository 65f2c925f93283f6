import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { Kafka } from 'kafkajs';
import { RELAY_CHECKPOINT } from '@warm-handover/messaging';
import { CheckpointStore, EventStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';
import { Public } from '../auth/public.decorator';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';

const CHECK_TIMEOUT_MS = 3_000;

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly temporal: TemporalClientProvider,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness of the service and what it depends on',
    description:
      'database and temporal always; kafka only when KAFKA_BROKERS is set. outbox tells how many events wait for the relay. 503 when a dependency is down.',
  })
  check() {
    const checks = [
      () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      () => this.checkTemporal(),
      () => this.checkOutbox(),
    ];
    if (this.config.KAFKA_BROKERS.length > 0) checks.push(() => this.checkKafka());
    return this.health.check(checks);
  }

  private async checkTemporal(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('temporal');
    try {
      await withTimeout(this.temporal.check(), 'Temporal health check');
      return indicator.up({ address: this.config.TEMPORAL_ADDRESS, namespace: this.config.TEMPORAL_NAMESPACE });
    } catch (error) {
      return indicator.down({ address: this.config.TEMPORAL_ADDRESS, message: messageOf(error) });
    }
  }

  private async checkKafka(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('kafka');
    const admin = new Kafka({
      clientId: `${this.config.KAFKA_CLIENT_ID}-health`,
      brokers: this.config.KAFKA_BROKERS,
      connectionTimeout: CHECK_TIMEOUT_MS,
      retry: { retries: 0 },
      logCreator: () => () => undefined,
    }).admin();
    try {
      await withTimeout(admin.connect(), 'Kafka connect');
      const cluster = await withTimeout(admin.describeCluster(), 'Kafka describeCluster');
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      return indicator.down({ brokers: this.config.KAFKA_BROKERS.join(','), message: messageOf(error) });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Informational: events recorded but not yet published. Up even when the relay is off. */
  private async checkOutbox(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('outbox');
    try {
      const [head, published] = await Promise.all([this.store.headPosition(), this.checkpoints.load(RELAY_CHECKPOINT)]);
      return indicator.up({
        relay: this.config.KAFKA_BROKERS.length > 0 ? 'on' : 'off (no KAFKA_BROKERS)',
        headPosition: head,
        publishedPosition: published,
        waiting: head - published,
      });
    } catch (error) {
      return indicator.down({ message: messageOf(error) });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
