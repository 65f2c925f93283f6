/**
 * Event append: EventStore.append throughput for single-event appends (8 at a time, and 1 at a
 * time) and for 100-event batches, against plain INSERTs of the same rows into a copy of the
 * events table without the store's triggers and advisory lock (same columns, constraints and
 * indexes, no hash chain). Then relay lag at a steady 1,000 events/s: appends → OutboxRelay → a real Kafka →
 * a consumer, against a bare kafkajs producer sending the same events at the same rate.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { type NewEvent, type RecordedEvent, topicForCategory } from '@warm-handover/contracts';
import {
  createKafka,
  KafkaEventPublisher,
  OutboxRelay,
  PRODUCER_CONFIG,
  toKafkaMessage,
} from '@warm-handover/messaging';
import { CheckpointStore, createDataSource, EventStore, migrate, type OutboxEntry } from '@warm-handover/persistence';
import { escalationSteps, newEvent, newPlan, type Step, TYPICAL_LIFE } from './support/handover-events';
import { withInfra } from './support/infra';
import { sampleWaits } from './support/pg-waits';
import { type BenchResult, phase, resultsAgainst } from './support/report';
import { intEnv, runConcurrently, scaled, summarize, type Summary, summaryLine } from './support/stats';

const NAME = 'event-append';
const BATCH = 100;
const PLAIN_TABLE = 'bench_plain_events';
const STORE_APP = 'bench-store';
const PLAIN_APP = 'bench-plain';

export async function run(): Promise<BenchResult[]> {
  const singles = intEnv('BENCH_APPENDS', scaled(4000, 100));
  const batches = intEnv('BENCH_BATCHES', scaled(200, 10));
  const concurrency = intEnv('BENCH_CONCURRENCY', 8);
  const rate = intEnv('BENCH_RELAY_RATE', 1000);
  const seconds = intEnv('BENCH_RELAY_SECONDS', scaled(20, 3));
  phase(
    NAME,
    `${singles} single-event appends, ${batches} batches of ${BATCH}, concurrency ${concurrency}; relay at ${rate} events/s for ${seconds} s`,
  );
  return withInfra(NAME, { kafka: true }, async (infra) => {
    const url = infra.postgres.url;
    const dataSource = createDataSource({ url, poolSize: 10, applicationName: STORE_APP });
    const plain = new Pool({ connectionString: url, max: 10, application_name: PLAIN_APP });
    try {
      await dataSource.initialize();
      await migrate(dataSource);
      // Same columns, constraints and indexes as the store's table, as it was before the hash chain
      // (positions and times from defaults, no hashes); LIKE copies no triggers.
      await plain.query(`CREATE TABLE ${PLAIN_TABLE} (LIKE events INCLUDING ALL)`);
      await plain.query(
        `ALTER TABLE ${PLAIN_TABLE} DROP COLUMN previous_hash, DROP COLUMN hash,
           ALTER COLUMN global_position ADD GENERATED ALWAYS AS IDENTITY,
           ALTER COLUMN recorded_at SET DEFAULT clock_timestamp()`,
      );
      const store = new EventStore(dataSource);
      const appendTo = plainAppender(plain);

      phase(NAME, 'warm-up');
      await appendSingles(store, appendTo, 100, concurrency, 'warm');

      const s8 = await appendSingles(store, appendTo, singles, concurrency, 'c8', url);
      const s1 = await appendSingles(store, appendTo, Math.ceil(singles / 4), 1, 'c1');
      const b8 = await appendBatches(store, appendTo, batches, concurrency);

      const lag = await relayLag(dataSource, url, infra.kafka!.brokers, rate, seconds);

      const append = resultsAgainst(
        NAME,
        `plain INSERTs of the same rows into a copy of the table without triggers or advisory lock (same indexes), same concurrency`,
      );
      const relay = resultsAgainst(
        NAME,
        `a bare kafkajs producer (the relay's settings: one request in flight, acks=all) sending the same events at the same rate; lag from send`,
      );
      return [
        append(`single-event appends, concurrency ${concurrency}`, 'events/s', s8.store, s8.plain),
        append('single-event appends, concurrency 1', 'events/s', s1.store, s1.plain),
        append(`${BATCH}-event batch appends, concurrency ${concurrency}`, 'events/s', b8.store, b8.plain),
        relay(
          `relay lag p50 at ${lag.achievedRate.toFixed(0)} events/s (recorded_at → consumer)`,
          'ms',
          lag.relay.p50,
          lag.direct.p50,
        ),
        relay(`relay lag p99 at ${lag.achievedRate.toFixed(0)} events/s`, 'ms', lag.relay.p99, lag.direct.p99),
      ];
    } finally {
      await plain.end().catch(() => undefined);
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    }
  });
}

type PlainAppend = (streamId: string, firstVersion: number, events: readonly NewEvent[]) => Promise<void>;

/** One plain INSERT (autocommit) of the given rows, versions counted by the caller. */
function plainAppender(pool: Pool): PlainAppend {
  return async (streamId, firstVersion, events) => {
    await pool.query(
      `INSERT INTO ${PLAIN_TABLE} (event_id, stream_id, stream_version, event_type, data, metadata)
       SELECT e.event_id, $1, $2 + e.ord - 1, e.event_type, e.data, e.metadata
         FROM unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY
              AS e(event_id, event_type, data, metadata, ord)`,
      [
        streamId,
        firstVersion,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    );
  };
}

/** Events of `streams` handovers, each stream going through a typical life and then escalations. */
function singleEvents(count: number, streams: number): { streamId: string; version: number; event: NewEvent }[] {
  const plans = Array.from({ length: streams }, (_, i) => newPlan(`case-append-${i}`, 'vt-kennemerland', 'vt-utrecht'));
  const versions = new Array<number>(streams).fill(0);
  const life: Step[] = [TYPICAL_LIFE[0]!, ...escalationSteps(3), ...TYPICAL_LIFE.slice(1)];
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const s = i % streams;
    const version = ++versions[s]!;
    const plan = plans[s]!;
    return {
      streamId: `handover-${plan.handoverId}`,
      version,
      event: newEvent(plan, life[(version - 1) % life.length]!, now),
    };
  });
}

async function appendSingles(
  store: EventStore,
  plainAppend: PlainAppend,
  count: number,
  concurrency: number,
  label: string,
  profileUrl?: string,
): Promise<{ store: number; plain: number }> {
  const rates = { store: 0, plain: 0 };
  for (const target of ['store', 'plain'] as const) {
    const events = singleEvents(count, 500);
    const sampler = profileUrl ? await sampleWaits(profileUrl, target === 'store' ? STORE_APP : PLAIN_APP) : undefined;
    const { wallMs } = await runConcurrently(count, concurrency, async (i) => {
      const { streamId, version, event } = events[i]!;
      if (target === 'store') await store.append(streamId, [event]);
      else await plainAppend(`plain-${streamId}`, version, [event]);
    });
    rates[target] = count / (wallMs / 1000);
    if (label !== 'warm')
      phase(
        NAME,
        `${target}: ${count} single-event appends, concurrency ${concurrency}: ${rates[target].toFixed(0)} events/s`,
      );
    if (sampler) phase(NAME, `${target}: PostgreSQL backends during it: ${await sampler.stop()}`);
  }
  return rates;
}

async function appendBatches(
  store: EventStore,
  plainAppend: PlainAppend,
  count: number,
  concurrency: number,
): Promise<{ store: number; plain: number }> {
  const rates = { store: 0, plain: 0 };
  for (const target of ['store', 'plain'] as const) {
    const now = Date.now();
    const batches = Array.from({ length: count }, (_, i) => {
      const plan = newPlan(`case-batch-${i}`, 'vt-kennemerland', 'vt-utrecht');
      const steps: Step[] = [TYPICAL_LIFE[0]!, ...escalationSteps(BATCH - 1)];
      return { streamId: `handover-${plan.handoverId}`, events: steps.map((s) => newEvent(plan, s, now)) };
    });
    const { wallMs } = await runConcurrently(count, concurrency, async (i) => {
      const { streamId, events } = batches[i]!;
      if (target === 'store') await store.append(streamId, events, { expectedVersion: 0 });
      else await plainAppend(streamId, 1, events);
    });
    rates[target] = (count * BATCH) / (wallMs / 1000);
    phase(
      NAME,
      `${target}: ${count} appends of ${BATCH} events, concurrency ${concurrency}: ${rates[target].toFixed(0)} events/s`,
    );
  }
  return rates;
}

interface LagMeasured {
  readonly relay: Summary;
  readonly direct: Summary;
  readonly achievedRate: number;
}

/**
 * Sends `rate` events/s for `seconds` through `send` (a tick every 10 ms; at most 8 sends in
 * flight, so a sender that cannot keep up shows as a lower achieved rate rather than a pile-up).
 */
async function steady(
  rate: number,
  seconds: number,
  send: (tick: number, size: number) => Promise<void>,
): Promise<number> {
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const ticks = Math.round((seconds * 1000) / tickMs);
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  for (let k = 0; k < ticks; k++) {
    const wait = t0 + k * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= 8) await Promise.race(inFlight);
    const p: Promise<void> = send(k, perTick).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return (ticks * perTick) / ((performance.now() - t0) / 1000);
}

/** Subscribes a fresh group to `topic` from the beginning; `onMessage` gets each message's value and arrival. */
async function consume(
  kafka: Kafka,
  topic: string,
  onMessage: (value: string, arrived: number) => void,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      onMessage(message.value!.toString(), Date.now());
      return Promise.resolve();
    },
  });
  return consumer;
}

async function until(what: string, timeoutMs: number, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function relayLag(
  storeSource: DataSource,
  url: string,
  brokers: string,
  rate: number,
  seconds: number,
): Promise<LagMeasured> {
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const kafka = new Kafka({ clientId: 'bench-reader', brokers: [brokers], logLevel: logLevel.NOTHING });
  const store = new EventStore(storeSource);
  const category = `relay${randomUUID().slice(0, 6)}`;
  const topic = topicForCategory(category);

  // The relay as the worker runs it (default batch size and poll interval), with its own pool.
  const relaySource = createDataSource({ url, poolSize: 10, applicationName: 'bench-relay' });
  await relaySource.initialize();
  const timings = new RelayTimings();
  const checkpoints = new TimedCheckpointStore(relaySource, timings);
  const consumerName = 'bench-relay';
  // Start at the head: the events of the append runs above are not part of this measurement.
  await checkpoints.save(consumerName, await store.headPosition());
  const publisher = new KafkaEventPublisher(createKafka({ brokers: [brokers], clientId: 'bench-relay' }, logger));
  const relay = new OutboxRelay(
    new TimedEventStore(relaySource, timings),
    checkpoints,
    {
      publish: (events) => timings.time(timings.publish, () => publisher.publish(events)),
      disconnect: () => publisher.disconnect(),
    },
    logger,
    { databaseUrl: url, consumer: consumerName },
  );
  const plans = Array.from({ length: 50 }, (_, i) => newPlan(`case-relay-${i}`, 'vt-kennemerland', 'vt-utrecht'));
  const appendTick = async (tick: number, size: number, marker: string) => {
    const plan = plans[tick % plans.length]!;
    const events = Array.from({ length: size }, () => {
      const e = newEvent(plan, { kind: 'escalated', level: 3, repeat: tick }, Date.now());
      return { ...e, data: { ...(e.data as object), bench: marker } };
    });
    await store.append(`${category}-${plan.handoverId}`, events);
  };

  let relayLags: number[] = [];
  let measuredCount = 0;
  let warmSeen = 0;
  let consumer: Consumer | undefined;
  let relayMeasured: Summary;
  let achievedRate = 0;
  try {
    await relay.start();
    phase(NAME, 'relay: warm-up (the relay creates the topic, a consumer joins)');
    await appendTick(0, 20, 'warm');
    const head = await store.headPosition();
    await until('the relay to publish the warm-up', 60_000, () => relay.status().checkpoint >= head);
    consumer = await consume(kafka, topic, (value, arrived) => {
      const event = JSON.parse(value) as RecordedEvent<string, { bench?: string }>;
      if (event.data.bench === 'warm') warmSeen += 1;
      else relayLags.push(arrived - Date.parse(event.recordedAt));
    });
    await until('the consumer to see the warm-up', 60_000, () => warmSeen >= 20);
    phase(NAME, `relay: appending ${rate} events/s for ${seconds} s`);
    relayLags = [];
    timings.reset();
    achievedRate = await steady(rate, seconds, async (tick, size) => {
      measuredCount += size;
      await appendTick(tick, size, 'measure');
    });
    await until('every relayed event at the consumer', 120_000, () => relayLags.length >= measuredCount);
    relayMeasured = summarize(relayLags);
    phase(NAME, `relay: its cycles during it: ${timings.summaryLine()}`);
    phase(NAME, `relay: ${achievedRate.toFixed(0)} events/s appended; lag ${summaryLine(relayMeasured)}`);
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    await relaySource.destroy().catch(() => undefined);
  }

  // The baseline: the same messages (the relay's own envelope), straight from a producer.
  const directTopic = `bench-direct-${category}.v1`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: directTopic, numPartitions: 6 }] });
  await admin.disconnect();
  const producer = kafka.producer(PRODUCER_CONFIG);
  await producer.connect();
  const directLags: number[] = [];
  let directWarm = 0;
  let sent = 0;
  let position = 0;
  const sendTick = async (tick: number, size: number, marker: string) => {
    const plan = plans[tick % plans.length]!;
    const messages = Array.from({ length: size }, () => {
      const e = newEvent(plan, { kind: 'escalated', level: 3, repeat: tick }, Date.now());
      const sentAt = new Date().toISOString();
      const { key, value, headers } = toKafkaMessage({
        ...e,
        data: { ...(e.data as object), bench: marker },
        streamId: `${category}-${plan.handoverId}`,
        streamVersion: tick,
        globalPosition: ++position,
        recordedAt: sentAt,
      });
      return { key, value, headers };
    });
    await producer.send({ topic: directTopic, acks: -1, messages });
  };
  let directConsumer: Consumer | undefined;
  try {
    phase(NAME, 'direct: warm-up');
    await sendTick(0, 20, 'warm');
    directConsumer = await consume(kafka, directTopic, (value, arrived) => {
      const event = JSON.parse(value) as RecordedEvent<string, { bench?: string }>;
      if (event.data.bench === 'warm') directWarm += 1;
      else directLags.push(arrived - Date.parse(event.recordedAt));
    });
    await until('the consumer to see the warm-up', 60_000, () => directWarm >= 20);
    phase(NAME, `direct: producing ${rate} events/s for ${seconds} s`);
    const directRate = await steady(rate, seconds, async (tick, size) => {
      sent += size;
      await sendTick(tick, size, 'measure');
    });
    await until('every sent event at the consumer', 120_000, () => directLags.length >= sent);
    const direct = summarize(directLags);
    phase(NAME, `direct: ${directRate.toFixed(0)} events/s sent; lag ${summaryLine(direct)}`);
    return { relay: relayMeasured, direct, achievedRate };
  } finally {
    await directConsumer?.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
}

/** Where the relay's cycles go: reading the store, publishing to Kafka, saving the checkpoint. */
class RelayTimings {
  readAll: number[] = [];
  batch: number[] = [];
  publish: number[] = [];
  checkpoint: number[] = [];

  reset(): void {
    this.readAll = [];
    this.batch = [];
    this.publish = [];
    this.checkpoint = [];
  }

  async time<T>(into: number[], fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const result = await fn();
    into.push(performance.now() - t0);
    return result;
  }

  summaryLine(): string {
    const s = (v: number[]) => `p50 ${summarize(v).p50.toFixed(1)} / p99 ${summarize(v).p99.toFixed(1)} ms`;
    return (
      `${this.publish.length} batches of p50 ${summarize(this.batch).p50} / max ${summarize(this.batch).max} events; ` +
      `readAll ${s(this.readAll)}, publish (acks=all) ${s(this.publish)}, checkpoint ${s(this.checkpoint)}`
    );
  }
}

class TimedEventStore extends EventStore {
  constructor(
    dataSource: DataSource,
    private readonly timings: RelayTimings,
  ) {
    super(dataSource);
  }

  // The relay reads through readOutbox (each event with its trace context).
  override async readOutbox(afterPosition: number, limit?: number): Promise<OutboxEntry[]> {
    const entries = await this.timings.time(this.timings.readAll, () => super.readOutbox(afterPosition, limit));
    if (entries.length > 0) this.timings.batch.push(entries.length);
    return entries;
  }
}

class TimedCheckpointStore extends CheckpointStore {
  constructor(
    dataSource: DataSource,
    private readonly timings: RelayTimings,
  ) {
    super(dataSource);
  }

  override save(consumer: string, position: number): Promise<void> {
    return this.timings.time(this.timings.checkpoint, () => super.save(consumer, position));
  }
}
