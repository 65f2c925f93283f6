import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { ConfigApp } from '@warm-handover/contracts';
import { CheckpointStore, createDataSource, EventStore, migrate } from '@warm-handover/persistence';
import { type AppConfig, loadConfig } from '../config';
import { REDACT_PATHS } from '../logger';

/** Injection token of the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * What both apps stand on: validated config, pino logging, the database (migrated at boot under
 * an advisory lock) and the event store.
 */
@Module({})
export class PlatformModule {
  static forApp(app: ConfigApp, config: AppConfig = loadConfig(app)): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            name: `warm-handover-${app}`,
            level: config.LOG_LEVEL,
            redact: { paths: REDACT_PATHS, censor: '[redacted]' },
            // Health probes every few seconds would drown the request log.
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/health/live' },
          },
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ type: 'postgres', url: config.DATABASE_URL }),
          dataSourceFactory: async () => {
            const dataSource = createDataSource({ url: config.DATABASE_URL, applicationName: `warm-handover-${app}` });
            await dataSource.initialize();
            await migrate(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EventStore, useFactory: (ds: DataSource) => new EventStore(ds), inject: [DataSource] },
        { provide: CheckpointStore, useFactory: (ds: DataSource) => new CheckpointStore(ds), inject: [DataSource] },
      ],
      exports: [APP_CONFIG, EventStore, CheckpointStore],
    };
  }
}
