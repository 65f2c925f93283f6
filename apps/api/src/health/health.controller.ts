import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
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
import { ApiAnswer } from '../openapi/answers';

const CHECK_TIMEOUT_MS = 3_000;

/** The header an operator sends with OPERATOR_TOKEN to see what readiness depends on. */
export const OPERATOR_TOKEN_HEADER = 'x-operator-token';

/**
 * Liveness and readiness. Both are public (a load balancer has no token), so both reveal nothing
 * by themselves: /health/live says the process answers, /health says ready or not. What each
 * dependency reports (addresses, brokers, error messages, the outbox) only goes to an operator
 * who sends X-Operator-Token with the OPERATOR_TOKEN setting; without that setting, to nobody.
 */
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

  @Get('live')
  @ApiAnswer(200, 'Liveness', 'The API process answers')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the API process answers. Reveals nothing else' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @ApiAnswer(200, 'Readiness', 'Ready; with the operator token, each dependency')
  @ApiAnswer(503, 'Readiness', 'A dependency is down; with the operator token, which')
  @ApiOperation({
    summary: 'Readiness: {status:"ok"} or 503 {status:"error"}; what it depends on only for operators',
    description:
      'With X-Operator-Token (the OPERATOR_TOKEN setting): database and temporal always; kafka only when KAFKA_BROKERS is set. outbox tells how many events wait for the relay. 503 when a dependency is down.',
  })
  @ApiHeader({ name: OPERATOR_TOKEN_HEADER, required: false, description: 'OPERATOR_TOKEN, for the details' })
  async ready(
    @Headers(OPERATOR_TOKEN_HEADER) operatorToken: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<object> {
    if (this.isOperator(operatorToken)) return this.check();
    response.setHeader('Cache-Control', 'no-store');
    try {
      await this.check();
      return { status: 'ok' };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return { status: 'error' };
    }
  }

  private isOperator(given: string | undefined): boolean {
    const expected = this.config.OPERATOR_TOKEN;
    if (!expected || !given) return false;
    const [a, b] = [Buffer.from(given), Buffer.from(expected)];
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private check() {
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
