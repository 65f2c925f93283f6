import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createKafka, KafkaEventPublisher, OutboxRelay, type RelayStatus } from '@warm-handover/messaging';
import { CheckpointStore, EventStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';

/**
 * Runs the outbox relay when Kafka is configured. Without KAFKA_BROKERS the relay is off and
 * events simply stay in the store (the outbox) until a broker is configured; nothing is lost,
 * since the relay starts from its checkpoint.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(OutboxRelayService.name);
  }

  /** The relay's state; undefined while it is off (no KAFKA_BROKERS). */
  status(): RelayStatus | undefined {
    return this.relay?.status();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.KAFKA_BROKERS.length === 0) {
      this.logger.info('KAFKA_BROKERS is not set: outbox relay off, events stay in the store');
      return;
    }
    const kafka = createKafka(
      { brokers: this.config.KAFKA_BROKERS, clientId: this.config.KAFKA_CLIENT_ID },
      this.logger.logger,
    );
    this.relay = new OutboxRelay(this.store, this.checkpoints, new KafkaEventPublisher(kafka), this.logger.logger, {
      databaseUrl: this.config.DATABASE_URL,
    });
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
