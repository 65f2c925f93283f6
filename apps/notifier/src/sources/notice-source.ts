import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { streamCategory, topicForCategory, type RecordedEvent } from '@warm-handover/contracts';
import { consumeInTrace, fromKafkaValue, OutboxRelay } from '@warm-handover/messaging';
import type { CheckpointStore, EventStore } from '@warm-handover/persistence';

/**
 * Where the notifier's events come from: one interface, two implementations. Both deliver
 * every event at least once and in order per case, and move on only after `handle` resolved for
 * it, so a notifier that dies mid-batch sees the rest (and some it had handled) again; the
 * dispatcher is idempotent on the event.
 */
export interface NoticeSource {
  start(handle: (event: RecordedEvent) => Promise<unknown>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Kafka consumer group of the notifiers that serve one task queue: their instances share the
 * work, while another deployment on the same broker (a test, a staging copy) has its own group.
 */
export function notifierGroup(taskQueue: string): string {
  return `warm-handover-notifier.${taskQueue}`;
}
/** Checkpoint row of the event-store source in consumer_checkpoints. */
export const NOTIFIER_CHECKPOINT = 'notifier:event-store';
/**
 * The stream categories whose events may cause notices (see noticeCauseOf): `case` since a
 * lead-area mismatch, recorded on the case's own stream, tells its recipients; `safety` and
 * `melding` for safety agreements and statutory terms.
 */
export const NOTICE_CATEGORIES = ['handover', 'lead', 'notice', 'case', 'family', 'safety', 'melding'] as const;
/** As the outbox relay creates them, so whichever comes first makes the same topic. */
const PARTITIONS = 6;
/** Tries at creating the missing topics before the notifier gives up starting (then restarted). */
const TOPIC_ATTEMPTS = 5;

/**
 * The Kafka topics of those categories, as a consumer group: Kafka spreads partitions over
 * the notifier instances, and an offset is committed only after the message was handled (kafkajs
 * resolves it when eachMessage returns), so a crash or rebalance redelivers instead of losing.
 * A new group starts from the beginning of each topic: nothing published before the notifier
 * first ran is missed, and what was handled before is recognised by its notice ids.
 */
export class KafkaNoticeSource implements NoticeSource {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly groupId: string,
  ) {}

  async start(handle: (event: RecordedEvent) => Promise<unknown>): Promise<void> {
    const topics = NOTICE_CATEGORIES.map(topicForCategory);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // Subscribing to a topic that does not exist yet fails; the relay may not have published one.
      // Only the missing ones: asking for existing topics makes the broker log errors. A fresh
      // broker electing leaders for several new topics at once may answer the wait for leaders
      // with "does not host this topic-partition" while its metadata catches up: look again.
      for (let attempt = 1; ; attempt++) {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((topic) => !existing.has(topic));
        if (missing.length === 0) break;
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, numPartitions: PARTITIONS })),
          });
          break;
        } catch (error) {
          if (attempt >= TOPIC_ATTEMPTS) throw error;
          this.logger.warn({ err: error, attempt, missing }, 'creating the notice topics failed; trying again');
          await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
        }
      }
    } finally {
      await admin.disconnect();
    }
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, topic, partition }) => {
        const event = fromKafkaValue(message.value);
        const traceparent = message.headers?.['traceparent']?.toString();
        try {
          // In the trace of the command that recorded the event, as the relay's header says.
          await consumeInTrace(traceparent ? { event, traceparent } : { event }, topic, () => handle(event));
        } catch (error) {
          // Thrown on: kafkajs seeks back and redelivers this message after a pause.
          this.logger.warn(
            { err: error, topic, partition, eventId: event.eventId },
            'notice not started yet; retrying',
          );
          throw error;
        }
      },
    });
    this.logger.info({ topics, groupId: this.groupId }, 'notifier consuming from Kafka');
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/**
 * Without a broker: follows the event store in global order from a checkpoint, with the outbox
 * relay's loop (LISTEN/NOTIFY, polling as a fallback, backoff on failure); the "publisher" it
 * feeds is the dispatcher, and the checkpoint moves only after a whole batch was handled.
 */
export class EventStoreNoticeSource implements NoticeSource {
  private relay: OutboxRelay | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly logger: Logger,
    private readonly databaseUrl: string,
  ) {}

  async start(handle: (event: RecordedEvent) => Promise<unknown>): Promise<void> {
    const categories: readonly string[] = NOTICE_CATEGORIES;
    this.relay = new OutboxRelay(
      this.store,
      this.checkpoints,
      {
        async publish(entries) {
          for (const entry of entries) {
            if (categories.includes(streamCategory(entry.event.streamId)))
              await consumeInTrace(entry, 'event-store', () => handle(entry.event));
          }
        },
        disconnect: () => Promise.resolve(),
      },
      this.logger,
      { databaseUrl: this.databaseUrl, consumer: NOTIFIER_CHECKPOINT, batchSize: 100 },
    );
    await this.relay.start();
    this.logger.info('notifier following the event store (KAFKA_BROKERS is not set)');
  }

  async stop(): Promise<void> {
    await this.relay?.stop();
  }
}
