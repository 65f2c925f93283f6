import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { type AppConfig, PlatformModule } from '@warm-handover/platform';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { TemporalClientProvider } from './temporal/temporal-client.provider';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forApp('api', config), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [TemporalClientProvider, { provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
