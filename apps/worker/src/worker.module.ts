import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, PlatformModule } from '@warm-handover/platform';
import { WorkerOpsService } from './ops/worker-ops.service';
import { SafetyProjectionsService } from './projections/safety-projections.service';
import { OutboxRelayService } from './relay/outbox-relay.service';
import { TemporalWorkerService } from './temporal/temporal-worker.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forApp('worker', config)],
      providers: [TemporalWorkerService, OutboxRelayService, WorkerOpsService, SafetyProjectionsService],
    };
  }
}
