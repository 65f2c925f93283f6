import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { ContactPointSecretStore, IdempotencyStore, ReadAccessLog, SessionStore } from '@warm-handover/persistence';
import { type AppConfig, PlatformModule } from '@warm-handover/platform';
import { AddressRateLimitGuard, rateLimitOptions, SubjectRateLimitGuard } from './abuse/rate-limit';
import { AuditController } from './audit/audit.controller';
import { ChainController } from './audit/chain.controller';
import { ReadAccessLogInterceptor } from './audit/read-access-log.interceptor';
import { AccessTokenVerifier } from './auth/access-token.verifier';
import { AuthController } from './auth/auth.controller';
import { BearerTokenGuard } from './auth/bearer-token.guard';
import { BrowserSessions } from './auth/browser-sessions';
import { InspectorReadOnlyGuard } from './auth/inspector-read-only.guard';
import { CaseAccess } from './cases/case-access.service';
import { CasesService } from './cases/cases.service';
import { CasesController } from './cases/cases.controller';
import { FamilyController } from './family/family.controller';
import { FamilyService } from './family/family.service';
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
import { CaseReportController } from './reports/case-report.controller';
import { SafetyController } from './safety/safety.controller';
import { ManagementFiguresController } from './management/management-figures.controller';
import { SafetyService } from './safety/safety.service';
import { PdfRenderer } from './reports/pdf-renderer';
import { TemporalClientProvider } from './temporal/temporal-client.provider';
import { WorkflowCommands } from './temporal/workflow-commands';
import { WebController, WebPublicController, WebSessionGuard } from './web/web.controller';
import { WebEvents } from './web/web-events';
import { WebQueries } from './web/web.queries';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forApp('api', config),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRoot(rateLimitOptions(config)),
      ],
      controllers: [
        HealthController,
        OrganisationsController,
        ContactPointsController,
        HandoversController,
        CasesController,
        FamilyController,
        LeadsController,
        NoticesController,
        AuditController,
        ChainController,
        CaseReportController,
        SafetyController,
        ManagementFiguresController,
        AuthController,
        WebPublicController,
        WebController,
      ],
      providers: [
        TemporalClientProvider,
        HandoversService,
        WorkflowCommands,
        LeadsService,
        SafetyService,
        ContactPointsService,
        ContactPointsSeeder,
        {
          provide: ContactPointSecretStore,
          useFactory: (ds: DataSource) => new ContactPointSecretStore(ds, config.WEBHOOK_SECRET_KEY),
          inject: [DataSource],
        },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        CaseAccess,
        CasesService,
        FamilyService,
        PdfRenderer,
        AccessTokenVerifier,
        BrowserSessions,
        WebSessionGuard,
        WebQueries,
        WebEvents,
        { provide: SessionStore, useFactory: (ds: DataSource) => new SessionStore(ds), inject: [DataSource] },
        // Guards run in this order: the address's budget, who is calling, their budget, then
        // whether that role may change anything.
        { provide: APP_GUARD, useClass: AddressRateLimitGuard },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_GUARD, useClass: SubjectRateLimitGuard },
        { provide: APP_GUARD, useClass: InspectorReadOnlyGuard },
        { provide: IdempotencyStore, useFactory: (ds: DataSource) => new IdempotencyStore(ds), inject: [DataSource] },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: ReadAccessLog, useFactory: (ds: DataSource) => new ReadAccessLog(ds), inject: [DataSource] },
        { provide: APP_INTERCEPTOR, useClass: ReadAccessLogInterceptor },
      ],
    };
  }
}
