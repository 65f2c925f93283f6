import { Client } from 'pg';
import type { Logger } from 'pino';
import type { RecordedEvent } from '@warm-handover/contracts';
import type { CheckpointStore, EventStore } from '@warm-handover/persistence';

/** Name of the relay's row in consumer_checkpoints. */
export const RELAY_CHECKPOINT = 'outbox-relay:kafka';

export interface EventPublisher {
  publish(events: readonly RecordedEvent[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface OutboxRelayOptions {
  readonly databaseUrl: string;
  /** Name of the checkpoint row in consumer_checkpoints. */
  readonly consumer?: string;
  readonly batchSize?: number;
  /** Poll even without a notification, in case one was lost with a dropped connection. */
  readonly pollIntervalMs?: number;
  /** Longest wait between attempts while Kafka is unreachable. */
  readonly maxBackoffMs?: number;
}

export interface RelayStatus {
  readonly running: boolean;
  readonly checkpoint: number;
  readonly lastError?: string;
  readonly consecutiveFailures: number;
}

/**
 * Publishes every event of the store, in global order, to Kafka, and keeps its checkpoint in
 * PostgreSQL. The checkpoint moves only after Kafka acknowledged a batch, so delivery is
 * at-least-once: after a crash or an outage the relay resends from the checkpoint, and
 * consumers dedupe on the event id.
 */
export class OutboxRelay {
  private readonly consumer: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private checkpoint = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set by a notification; a batch read before it may have missed the event it announces. */
  private notified = false;
  private listener: Client | undefined;
  private lastError: string | undefined;
  private consecutiveFailures = 0;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    this.consumer = options.consumer ?? RELAY_CHECKPOINT;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  status(): RelayStatus {
    return {
      running: this.running,
      checkpoint: this.checkpoint,
      consecutiveFailures: this.consecutiveFailures,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.checkpoint = await this.checkpoints.load(this.consumer);
    await this.listen();
    this.logger.info({ checkpoint: this.checkpoint }, 'outbox relay started');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    await this.publisher.disconnect();
    this.logger.info({ checkpoint: this.checkpoint }, 'outbox relay stopped');
  }

  /** Publishes everything up to the store's current head once; for tests and shutdown. */
  async drain(): Promise<void> {
    while ((await this.publishNextBatch()) > 0) {
      /* keep going */
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        this.notified = false;
        const published = await this.publishNextBatch();
        if (this.consecutiveFailures > 0) {
          this.logger.info({ checkpoint: this.checkpoint }, 'outbox relay recovered; publishing again');
        }
        this.consecutiveFailures = 0;
        this.lastError = undefined;
        // A notification during the batch is not lost: it was for an event this read may
        // have missed, so read again now rather than after the poll interval.
        if (published === this.batchSize || this.notified) continue;
        await this.idle(this.pollIntervalMs);
      } catch (error) {
        this.consecutiveFailures += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        const backoff = Math.min(this.maxBackoffMs, 250 * 2 ** Math.min(this.consecutiveFailures, 10));
        this.logger.warn(
          { err: this.lastError, checkpoint: this.checkpoint, retryInMs: backoff },
          'outbox relay could not publish; events stay in the store and will be sent after the retry',
        );
        await this.idle(backoff);
      }
    }
  }

  private async publishNextBatch(): Promise<number> {
    const events = await this.store.readAll(this.checkpoint, this.batchSize);
    const last = events[events.length - 1];
    if (!last) return 0;
    await this.publisher.publish(events);
    await this.checkpoints.save(this.consumer, last.globalPosition);
    this.checkpoint = last.globalPosition;
    return events.length;
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** LISTEN for the store's append notification so a new event goes out within milliseconds. */
  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'warm-handover-relay' });
    client.on('error', (error) => {
      this.logger.warn({ err: error.message }, 'relay notification connection lost; polling until it is back');
      this.listener = undefined;
      setTimeout(() => void this.reconnectListener(), this.pollIntervalMs);
    });
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await client.connect();
    await client.query('LISTEN warm_handover_events_appended');
    this.listener = client;
  }

  private async reconnectListener(): Promise<void> {
    if (!this.running || this.listener) return;
    try {
      await this.listen();
    } catch {
      setTimeout(() => void this.reconnectListener(), this.maxBackoffMs);
    }
  }
}
