import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { topicForCategory, type RecordedEvent } from '@warm-handover/contracts';
import { CheckpointStore, EventStore, type OutboxEntry } from '@warm-handover/persistence';
import { type KafkaBroker, startKafka } from '@warm-handover/infra';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { testEvent } from '../../../test/support/events';
import { createKafka, KafkaEventPublisher } from './kafka';
import { fromKafkaValue } from './envelope';
import { type EventPublisher, OutboxRelay } from './outbox-relay';

const logger = pino({ level: 'silent' });

/**
 * The relay against a real Kafka broker of its own (this file stops and restarts it), on a real
 * PostgreSQL. Each test uses its own stream category, hence its own topic.
 */
describe('OutboxRelay on real Kafka and PostgreSQL', () => {
  let kafkaDir: string;
  let broker: KafkaBroker;
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    kafkaDir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'relay-kafka-'));
    [broker, db] = await Promise.all([startKafka({ dataDir: kafkaDir }), createTestDatabase()]);
    store = new EventStore(db.dataSource);
  }, 180_000);

  afterAll(async () => {
    await broker?.stop();
    await db?.drop();
    rmSync(kafkaDir, { recursive: true, force: true });
  });

  function newRelay(
    consumer: string,
    {
      pollIntervalMs = 200,
      publisher,
    }: { pollIntervalMs?: number; publisher?: (real: EventPublisher) => EventPublisher } = {},
  ): OutboxRelay {
    const kafka = new KafkaEventPublisher(createKafka({ brokers: [broker.brokers], clientId: 'relay-test' }, logger));
    return new OutboxRelay(store, new CheckpointStore(db.dataSource), publisher ? publisher(kafka) : kafka, logger, {
      databaseUrl: db.url,
      consumer,
      pollIntervalMs,
      maxBackoffMs: 1_000,
      batchSize: 100,
    });
  }

  /** Appends `perCase` events to each of `cases` case streams, interleaved across cases. */
  async function appendEvents(category: string, cases: number, perCase: number, from = 0): Promise<void> {
    for (let i = from; i < from + perCase; i++) {
      await Promise.all(
        Array.from({ length: cases }, (_, c) =>
          store.append(`${category}-case${c}`, [testEvent('Tick', { i }, `case-${category}-${c}`)]),
        ),
      );
    }
  }

  /** Reads the category's topic from the beginning until `expected` distinct events arrived. */
  async function consumeAll(category: string, expected: number, timeoutMs = 60_000): Promise<RecordedEvent[]> {
    const kafka = new Kafka({ clientId: 'relay-test-reader', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
    const received: RecordedEvent[] = [];
    const distinct = new Set<string>();
    await consumer.connect();
    await waitForTopic(kafka, topicForCategory(category));
    await consumer.subscribe({ topic: topicForCategory(category), fromBeginning: true });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${distinct.size} of ${expected} events arrived in ${timeoutMs} ms`)),
          timeoutMs,
        );
        void consumer.run({
          eachMessage: async ({ message }) => {
            const event = fromKafkaValue(message.value);
            expect(message.key?.toString()).toBe(event.metadata.caseId);
            received.push(event);
            distinct.add(event.eventId);
            if (distinct.size >= expected) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return received;
  }

  /** The relay creates a category's topic on first publish; a reader must not race it. */
  async function waitForTopic(kafka: Kafka, topic: string): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => (await admin.listTopics()).includes(topic), 30_000, `topic ${topic}`);
    } finally {
      await admin.disconnect();
    }
  }

  /** Per case, the stream versions in arrival order (first arrival of each event). */
  function versionsPerCase(events: readonly RecordedEvent[]): Map<string, number[]> {
    const seen = new Set<string>();
    const perCase = new Map<string, number[]>();
    for (const e of events) {
      if (seen.has(e.eventId)) continue;
      seen.add(e.eventId);
      const list = perCase.get(e.metadata.caseId!) ?? [];
      list.push(e.streamVersion);
      perCase.set(e.metadata.caseId!, list);
    }
    return perCase;
  }

  const inOrder = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('given 1,000 events across 50 cases, when the relay runs, then each arrives once, keyed by case and in order per case', async () => {
    const category = `relay${randomBytes(3).toString('hex')}`;
    await appendEvents(category, 50, 20);
    const relay = newRelay(`test:${category}`);
    await relay.start();

    const received = await consumeAll(category, 1_000).finally(() => relay.stop());

    expect(received).toHaveLength(1_000);
    expect(new Set(received.map((e) => e.eventId)).size).toBe(1_000);
    const perCase = versionsPerCase(received);
    expect(perCase.size).toBe(50);
    for (const versions of perCase.values()) expect(versions).toEqual(inOrder(20));
    expect(relay.status().checkpoint).toBe(await store.headPosition());
  });

  it('given the broker is stopped mid-way, when it comes back, then the relay resumes from its checkpoint: nothing lost, order per case kept', async () => {
    const category = `relay${randomBytes(3).toString('hex')}`;
    const relay = newRelay(`test:${category}`);
    await appendEvents(category, 10, 25);
    await relay.start();
    try {
      await waitFor(() => relay.status().checkpoint > 0, 30_000, 'the first batch to be published');

      await broker.stop();
      await appendEvents(category, 10, 25, 25); // recorded while Kafka is down: they wait in the store
      await waitFor(() => relay.status().consecutiveFailures > 0, 30_000, 'the relay to notice the outage');
      expect(relay.status().checkpoint).toBeLessThan(await store.headPosition());

      await broker.restart();
      const head = await store.headPosition();
      await waitFor(() => relay.status().checkpoint === head, 90_000, 'the relay to catch up');
      const received = await consumeAll(category, 500);

      expect(new Set(received.map((e) => e.eventId)).size).toBe(500);
      const perCase = versionsPerCase(received);
      expect(perCase.size).toBe(10);
      for (const versions of perCase.values()) expect(versions).toEqual(inOrder(50));
    } finally {
      await relay.stop();
    }
  });

  it('given an event appended while a batch is being published, when that batch is done, then the relay publishes it without waiting for its poll', async () => {
    const category = `relay${randomBytes(3).toString('hex')}`;
    let firstBatchPublishing: () => void = () => undefined;
    const publishing = new Promise<void>((resolve) => (firstBatchPublishing = resolve));
    let releaseFirstBatch: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (releaseFirstBatch = resolve));
    // Kafka as ever, but the batch with the first event of this test is held until released.
    const relay = newRelay(`test:${category}`, {
      pollIntervalMs: 120_000,
      publisher: (kafka) => ({
        publish: async (entries) => {
          if (entries.some(({ event: e }) => e.streamId.startsWith(category) && e.streamVersion === 1)) {
            firstBatchPublishing();
            await released;
          }
          await kafka.publish(entries);
        },
        disconnect: () => kafka.disconnect(),
      }),
    });
    await relay.start();
    try {
      await store.append(`${category}-a`, [testEvent('Tick', { i: 1 }, `case-${category}`)]);
      await publishing;
      // Its notification reaches the relay while the first batch is still being published.
      await store.append(`${category}-a`, [testEvent('Tick', { i: 2 }, `case-${category}`)]);
      const head = await store.headPosition();
      await new Promise((r) => setTimeout(r, 1_000));
      releaseFirstBatch();

      // Far less than the 2-minute poll: only the notification can have brought it.
      await waitFor(() => relay.status().checkpoint >= head, 45_000, 'the second event to be published');
    } finally {
      releaseFirstBatch();
      await relay.stop();
    }
  });

  it('given two relays on one checkpoint, when both run, then one publishes at a time and each event arrives, in order per case', async () => {
    const category = `relay${randomBytes(3).toString('hex')}`;
    let inFlight = 0;
    let overlapped = 0;
    const published = [0, 0];
    // Kafka as ever, with a pause per batch so that two publishers at once would be seen.
    const counting = (index: number) => (kafka: EventPublisher) => ({
      publish: async (entries: readonly OutboxEntry[]) => {
        if (++inFlight > 1) overlapped++;
        try {
          await new Promise((r) => setTimeout(r, 20));
          await kafka.publish(entries);
          published[index]! += entries.filter(({ event }) => event.streamId.startsWith(category)).length;
        } finally {
          inFlight--;
        }
      },
      disconnect: () => kafka.disconnect(),
    });
    const relays = [0, 1].map((i) => newRelay(`test:${category}`, { publisher: counting(i) }));
    await Promise.all(relays.map((r) => r.start()));
    try {
      await appendEvents(category, 10, 30);
      const received = await consumeAll(category, 300);

      expect(relays.map((r) => r.status().holder).sort()).toEqual([false, true]);
      expect(overlapped).toBe(0);
      // Only the holder published this category; the standby published nothing.
      expect([...published].sort((a, b) => a - b)).toEqual([0, 300]);
      expect(new Set(received.map((e) => e.eventId)).size).toBe(300);
      for (const versions of versionsPerCase(received).values()) expect(versions).toEqual(inOrder(30));
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
  });

  it("given two relays on one checkpoint, when the holder's session ends mid-stream, then the other takes over from the checkpoint and nothing is lost", async () => {
    const category = `relay${randomBytes(3).toString('hex')}`;
    const relays = [0, 1].map(() => newRelay(`test:${category}`));
    await Promise.all(relays.map((r) => r.start()));
    try {
      await appendEvents(category, 10, 10);
      await waitFor(() => relays.some((r) => r.status().holder && r.status().checkpoint > 0), 30_000, 'a holder');
      const holder = relays.find((r) => r.status().holder)!;
      const standby = relays.find((r) => r !== holder)!;
      // The holder stops for good (its loop ends, its lock session closes) while events keep coming.
      const stopping = holder.stop();
      await appendEvents(category, 10, 20, 10);
      await stopping;

      const head = await store.headPosition();
      await waitFor(
        () => standby.status().holder && standby.status().checkpoint >= head,
        30_000,
        'the standby to take over and catch up',
      );
      const received = await consumeAll(category, 300);
      expect(new Set(received.map((e) => e.eventId)).size).toBe(300);
      for (const versions of versionsPerCase(received).values()) expect(versions).toEqual(inOrder(30));
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
  });

  it('given a holder whose lock session is terminated by the database, when that happens, then it stops holding and a relay takes the lock again', async () => {
    const category = `relay${randomBytes(3).toString('hex')}`;
    const relays = [0, 1].map(() => newRelay(`test:${category}`));
    await Promise.all(relays.map((r) => r.start()));
    try {
      await appendEvents(category, 5, 4);
      await waitFor(() => relays.some((r) => r.status().holder), 30_000, 'a holder');
      const holder = relays.findIndex((r) => r.status().holder);
      await db.dataSource.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.granted
            AND (l.classid::bigint << 32 | l.objid::bigint) = hashtextextended($1, 0)`,
        [`warm-handover:relay:test:${category}`],
      );
      // Counted, not sampled: on a quiet machine the holder may win the lock back between two looks.
      await waitFor(() => relays[holder]!.status().lockLosses === 1, 30_000, 'the holder to notice its lost lock');
      await appendEvents(category, 5, 4, 4);
      const head = await store.headPosition();
      await waitFor(
        () => relays.some((r) => r.status().holder && r.status().checkpoint >= head),
        30_000,
        'a relay to hold the lock again and catch up',
      );
      expect(relays.filter((r) => r.status().holder)).toHaveLength(1);
      const received = await consumeAll(category, 40);
      expect(new Set(received.map((e) => e.eventId)).size).toBe(40);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
  });

  it('given the relay publisher, when it connects and publishes, then kafkajs logs no warning about its producer settings', async () => {
    const lines: { level: number; msg: string }[] = [];
    const capture = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const publisher = new KafkaEventPublisher(
      createKafka({ brokers: [broker.brokers], clientId: 'relay-test' }, capture),
    );
    const category = `relay${randomBytes(3).toString('hex')}`;
    // The topic exists with its leader elected first: a first produce to a topic still electing its
    // leader is retried by kafkajs with a warning that says nothing about the producer's settings.
    const admin = new Kafka({
      clientId: 'relay-test-admin',
      brokers: [broker.brokers],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topicForCategory(category) }], waitForLeaders: true });
    await admin.disconnect();
    await store.append(`${category}-a`, [testEvent('Tick', { i: 1 }, `case-${category}`)]);
    try {
      await publisher.publish(await store.readOutbox((await store.headPosition()) - 1, 1));
    } finally {
      await publisher.disconnect();
    }
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([]);
  });
});
