import { Client } from 'pg';
import type { Logger } from 'pino';
import type { CheckpointStore, EventStore, OutboxEntry } from '@warm-handover/persistence';

/** Name of the relay's row in consumer_checkpoints. */
export const RELAY_CHECKPOINT = 'outbox-relay:kafka';

export interface EventPublisher {
  /** Each event with the trace context it was appended in, which the publisher carries on. */
  publish(entries: readonly OutboxEntry[]): Promise<void>;
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
  /** How often a standby instance tries to take the relay over; the poll interval by default. */
  readonly takeoverIntervalMs?: number;
}

export interface RelayStatus {
  readonly running: boolean;
  /** Whether this instance holds the relay's lock and publishes; the others stand by. */
  readonly holder: boolean;
  readonly checkpoint: number;
  readonly lastError?: string;
  readonly consecutiveFailures: number;
  /** How often this instance lost the lock it held (its lock connection broke). */
  readonly lockLosses: number;
}

/** application_name of a relay's lock connection, followed by `:<process id>`. */
export const RELAY_LOCK_APPLICATION = 'warm-handover-relay-lock';

/**
 * The advisory lock key of a relay: one per checkpoint row, so the Kafka relay and the
 * notifier's event-store source each have their own single holder.
 */
export function relayLockKey(consumer: string): string {
  return `warm-handover:relay:${consumer}`;
}

/**
 * Publishes every event of the store, in global order, to Kafka, and keeps its checkpoint in
 * PostgreSQL. The checkpoint moves only after Kafka acknowledged a batch, so delivery is
 * at-least-once: after a crash or an outage the relay resends from the checkpoint, and
 * consumers dedupe on the event id.
 *
 * Any number of instances may run (two workers, two notifiers); one publishes at a time. It
 * holds a session-level PostgreSQL advisory lock on a connection of its own; the others try to
 * take it every `takeoverIntervalMs`. A holder that dies (SIGKILL, lost host) loses its session
 * and with it the lock, and the next instance takes over from the checkpoint: what the dead one
 * had published but not checkpointed goes out again, which consumers absorb on the event id.
 * A holder whose lock connection breaks stops publishing at once and competes again.
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
  private readonly takeoverIntervalMs: number;
  /** The dedicated connection whose session holds the advisory lock, while this instance holds it. */
  private lock: Client | undefined;
  private lockLosses = 0;

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
    this.takeoverIntervalMs = options.takeoverIntervalMs ?? this.pollIntervalMs;
  }

  /** The name of the checkpoint row (and of the lock) this relay works on. */
  get consumerName(): string {
    return this.consumer;
  }

  status(): RelayStatus {
    return {
      running: this.running,
      holder: this.lock !== undefined,
      checkpoint: this.checkpoint,
      consecutiveFailures: this.consecutiveFailures,
      lockLosses: this.lockLosses,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.checkpoint = await this.checkpoints.load(this.consumer);
    await this.listen();
    this.logger.info({ checkpoint: this.checkpoint, consumer: this.consumer }, 'outbox relay started');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.releaseLock();
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
        if (!this.lock && !(await this.acquireLock())) {
          await this.idle(this.takeoverIntervalMs);
          continue;
        }
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

  /**
   * Tries the lock once on a fresh connection; on success (re)loads the checkpoint, which
   * another holder may have moved since this instance last published.
   */
  private async acquireLock(): Promise<boolean> {
    const client = new Client({
      connectionString: this.options.databaseUrl,
      // With the process id: an operator (or a drill) sees in pg_stat_activity which process holds it.
      application_name: `${RELAY_LOCK_APPLICATION}:${process.pid}`,
      // A peer that vanished without closing its socket is found out, and its lock freed, by keepalives.
      keepAlive: true,
    });
    // A lost lock connection means a lost lock: stop publishing at once and compete again.
    const lost = (reason: string) => {
      if (this.lock !== client) return;
      this.lock = undefined;
      this.lockLosses++;
      this.logger.warn({ err: reason, consumer: this.consumer }, 'outbox relay lost its lock; standing by');
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('lock connection ended'));
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [relayLockKey(this.consumer)],
      );
      if (!rows[0]?.locked) {
        await client.end();
        return false;
      }
      this.checkpoint = await this.checkpoints.load(this.consumer);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.lock = client;
    this.logger.info(
      { checkpoint: this.checkpoint, consumer: this.consumer },
      'outbox relay holds the lock; publishing from this instance',
    );
    return true;
  }

  private async releaseLock(): Promise<void> {
    const client = this.lock;
    this.lock = undefined;
    // Ending the session releases its advisory locks.
    await client?.end().catch(() => undefined);
  }

  private async publishNextBatch(): Promise<number> {
    const entries = await this.store.readOutbox(this.checkpoint, this.batchSize);
    const last = entries[entries.length - 1]?.event;
    if (!last) return 0;
    await this.publisher.publish(entries);
    await this.checkpoints.save(this.consumer, last.globalPosition);
    this.checkpoint = last.globalPosition;
    return entries.length;
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
