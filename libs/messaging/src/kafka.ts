import { Kafka, logLevel, type LogEntry, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { OutboxEntry } from '@warm-handover/persistence';
import { toKafkaMessage } from './envelope';
import { endPublishSpans, startPublishSpan } from './trace-propagation';

export interface KafkaConfig {
  /** host:port list; the service runs without Kafka when this is empty. */
  readonly brokers: readonly string[];
  readonly clientId: string;
}

export function createKafka(config: KafkaConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    // Fail a connection attempt quickly; the relay itself waits and retries with backoff.
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const method = level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : 'debug';
        logger[method]({ kafka: extra }, message);
      },
  });
}

/**
 * How the relay's producer keeps each case's events in order without blocking the relay.
 *
 * - One request in flight, acks from all in-sync replicas: a retried request cannot overtake
 *   the next one, so a partition (a case) gets its events in the order they were recorded.
 * - Not kafkajs's idempotent mode: that mode wants unlimited retries (kafkajs warns "Limiting
 *   retries for the idempotent producer may invalidate EoS guarantees" otherwise), and with
 *   them a send during a Kafka outage never returns: the relay could neither report the
 *   outage nor shut down. Here a send gives up after the client's few retries, the relay
 *   backs off and resends the batch from its checkpoint on a fresh connection. A retried
 *   request may thus write an event twice; delivery is at-least-once anyway (the same happens
 *   after a crash) and consumers dedupe on the event id, keeping its first arrival.
 * - The default (murmur2, Java-compatible) partitioner, chosen explicitly: a case's key lands
 *   on the partition any Kafka client would pick, and kafkajs does not warn about the change
 *   of its default in v2.
 */
export const PRODUCER_CONFIG = {
  idempotent: false,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
} as const;

/** Publishes recorded events, one topic per stream category, keyed by case id. */
export class KafkaEventPublisher {
  private producer: Producer | undefined;
  private readonly knownTopics = new Set<string>();

  constructor(private readonly kafka: Kafka) {}

  async publish(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const messages = entries.map((entry) => ({ entry, ...toKafkaMessage(entry.event) }));
    await this.ensureTopics([...new Set(messages.map((m) => m.topic))]);
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    const spans = [];
    for (const { topic, entry, ...message } of messages) {
      // The event's trace goes on in a header (traceparent), never inside the event itself.
      const { span, headers } = startPublishSpan(entry, topic);
      spans.push(span);
      const list = byTopic.get(topic) ?? [];
      list.push({ ...message, headers: { ...message.headers, ...headers } });
      byTopic.set(topic, list);
    }
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
      });
      endPublishSpans(spans);
    } catch (error) {
      endPublishSpans(spans, error);
      // Start from a fresh connection next time; the caller retries the same batch.
      await this.disconnect();
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer(PRODUCER_CONFIG);
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (missing.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const toCreate = missing.filter((t) => !existing.has(t));
      if (toCreate.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: toCreate.map((topic) => ({ topic, numPartitions: 6 })),
        });
      }
      for (const t of missing) this.knownTopics.add(t);
    } finally {
      await admin.disconnect();
    }
  }
}
