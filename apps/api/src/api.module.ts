import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ContactPointSecretStore, IdempotencyStore } from '@warm-handover/persistence';
import { type AppConfig, PlatformModule } from '@warm-handover/platform';
import { BearerTokenGuard } from './auth/bearer-token.guard';
import { CasesController } from './cases/cases.controller';
import { ContactPointsController } from './contact-points/contact-points.controller';
import { ContactPointsSeeder } from './contact-points/contact-points.seed';
import { ContactPointsService } from './contact-points/contact-points.service';
import { NoticesController } from './notices/notices.controller';
import { HandoversController } from './handovers/handovers.controller';
import { HandoversService } from './handovers/handovers.service';
import { LeadsController } from './leads/leads.controller';
import { LeadsService } from './leads/leads.service';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { OrganisationsController } from './organisations/organisations.controller';
import { TemporalClientProvider } from './temporal/temporal-client.provider';
import { WorkflowCommands } from './temporal/workflow-commands';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forApp('api', config), TerminusModule.forRoot({ logger: false })],
      controllers: [
        HealthController,
        OrganisationsController,
        ContactPointsController,
        HandoversController,
        CasesController,
        LeadsController,
        NoticesController,
      ],
      providers: [
        TemporalClientProvider,
        HandoversService,
        WorkflowCommands,
        LeadsService,
        ContactPointsService,
        ContactPointsSeeder,
        {
          provide: ContactPointSecretStore,
          useFactory: (ds: DataSource) => new ContactPointSecretStore(ds),
          inject: [DataSource],
        },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: IdempotencyStore, useFactory: (ds: DataSource) => new IdempotencyStore(ds), inject: [DataSource] },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
