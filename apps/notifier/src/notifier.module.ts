import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, PlatformModule } from '@warm-handover/platform';
import { NotifierService } from './notifier.service';

@Module({})
export class NotifierModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: NotifierModule,
      imports: [PlatformModule.forApp('notifier', config)],
      providers: [NotifierService],
    };
  }
}
