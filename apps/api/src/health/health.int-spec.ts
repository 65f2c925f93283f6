import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { HealthCheckError, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { CheckpointStore, EventStore } from '@warm-handover/persistence';
import { APP_CONFIG } from '@warm-handover/platform';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { HealthController } from './health.controller';

const OPERATOR_TOKEN = 'operator-token-of-at-least-thirty-two-characters';

/** The health endpoints over HTTP, with the dependencies' checks stubbed: up, or the database down. */
@Module({})
class HealthTestModule {
  static with(database: { up: boolean }): DynamicModule {
    return {
      module: HealthTestModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } }), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        {
          provide: APP_CONFIG,
          useValue: {
            KAFKA_BROKERS: [],
            TEMPORAL_ADDRESS: 'temporal.internal:7233',
            TEMPORAL_NAMESPACE: 'default',
            OPERATOR_TOKEN,
          },
        },
        {
          provide: TypeOrmHealthIndicator,
          useValue: {
            pingCheck: (key: string) => {
              if (database.up) return Promise.resolve({ [key]: { status: 'up' } });
              return Promise.reject(
                new HealthCheckError('down', {
                  [key]: { status: 'down', message: 'connect ECONNREFUSED 10.0.0.7:5432' },
                }),
              );
            },
          },
        },
        { provide: TemporalClientProvider, useValue: { check: () => Promise.resolve() } },
        { provide: EventStore, useValue: { headPosition: () => Promise.resolve(7) } },
        { provide: CheckpointStore, useValue: { load: () => Promise.resolve(7) } },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}

describe('GET /health/live and /health', () => {
  const database = { up: true };
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(HealthTestModule.with(database), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  });
  afterAll(() => app?.close());
  beforeEach(() => (database.up = true));

  const get = async (path: string, token?: string) => {
    const res = await fetch(`${base}${path}`, { headers: token ? { 'x-operator-token': token } : {} });
    return { status: res.status, text: await res.text() };
  };

  it('given anyone, when /health/live is asked, then {status:"ok"} and nothing else', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, text: '{"status":"ok"}' });
  });

  it('given no operator token, when /health is asked, then only ready or not: no addresses, no dependencies', async () => {
    expect(await get('/health')).toEqual({ status: 200, text: '{"status":"ok"}' });
    expect(await get('/health', 'a-wrong-token-of-at-least-thirty-two-characters')).toEqual({
      status: 200,
      text: '{"status":"ok"}',
    });

    database.up = false;
    const down = await get('/health');
    expect(down).toEqual({ status: 503, text: '{"status":"error"}' });
  });

  it('given the operator token, when /health is asked, then each dependency with its details', async () => {
    const up = await get('/health', OPERATOR_TOKEN);
    expect(up.status).toBe(200);
    expect(JSON.parse(up.text)).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, temporal: { address: 'temporal.internal:7233' }, outbox: { waiting: 0 } },
    });

    database.up = false;
    const down = await get('/health', OPERATOR_TOKEN);
    expect(down.status).toBe(503);
    expect(down.text).toContain('ECONNREFUSED 10.0.0.7:5432');
  });
});
