import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { streamCategory, topicForCategory } from '@warm-handover/contracts';
import { RELAY_CHECKPOINT } from '@warm-handover/messaging';
import { RECEIVER, SENDER, type ApiClient } from '../support/api-client';
import { withClient } from '../support/database';
import { startDrillInfra, waitUntil, type DrilledService, type DrillInfra } from '../support/drill-infra';

/** /health shows its details to operators only (OPERATOR_TOKEN, set by npm test). */
const OPERATOR = { 'x-operator-token': process.env.OPERATOR_TOKEN ?? '' };

const HANDOVER_TOPIC = 'warm-handover.handover.v1';
const OUTAGE_MS = 60_000;
/** One command every this many ms, before, during and after the outage. */
const PACE_MS = 400;

interface StoredEvent {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  case_id: string | null;
}

/** The next step of a handover the load moves along, after its request. */
const STEPS: readonly { path: string; body: () => object; as: string }[] = [
  { path: 'receipt', body: () => ({}), as: RECEIVER },
  { path: 'acceptance', body: () => ({ plannedStartDate: new Date().toISOString().slice(0, 10) }), as: RECEIVER },
  { path: 'contact-failure', body: () => ({ reason: 'The family did not come to the intake.' }), as: RECEIVER },
  { path: 'withdrawal', body: () => ({ reason: 'The family stays in the region.' }), as: SENDER },
];

/**
 * Steady traffic: new handovers and steps of open ones, one at a time at a fixed pace, until
 * stopped. Returns every answer's status, so the drill can show the API never needed Kafka.
 */
function startLoad(api: ApiClient): { stop(): Promise<{ what: string; status: number }[]> } {
  const answers: { what: string; status: number }[] = [];
  const open: { id: string; step: number }[] = [];
  let running = true;
  const loop = (async () => {
    for (let tick = 0; running; tick++) {
      const began = Date.now();
      if (open.length < 3 || tick % 3 === 0) {
        const res = await api.requestHandover({ receipt: 1, start: 10 });
        answers.push({ what: 'POST /handovers', status: res.status });
        if (res.status === 201) open.push({ id: (res.body as { handoverId: string }).handoverId, step: 0 });
      } else {
        const handover = open[tick % open.length]!;
        const step = STEPS[handover.step]!;
        const res = await api.post(step.as, `/handovers/${handover.id}/${step.path}`, step.body());
        answers.push({ what: `POST /handovers/{id}/${step.path}`, status: res.status });
        handover.step += 1;
        if (handover.step === STEPS.length) open.splice(open.indexOf(handover), 1);
      }
      await sleep(Math.max(0, PACE_MS - (Date.now() - began)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return answers;
    },
  };
}

/**
 * Fault drill: Kafka is down for a minute while the service keeps taking commands. Events wait
 * in the store; once Kafka is back the relay publishes every one of them (at least once), each
 * case's events in the order they were recorded, and its checkpoint catches up with the store.
 */
describe('fault drill: Kafka down for 60 seconds under load', () => {
  let infra: DrillInfra;
  let service: DrilledService;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    infra = await startDrillInfra('kafka-outage', { kafka: true });
    service = await infra.startService();
  });
  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await infra?.stop();
  });

  const positions = () =>
    withClient(infra.postgres.url, async (c) => {
      const head = await c.query<{ n: string }>('SELECT coalesce(max(global_position), 0) AS n FROM events');
      const published = await c.query<{ n: string }>(
        'SELECT position AS n FROM consumer_checkpoints WHERE consumer = $1',
        [RELAY_CHECKPOINT],
      );
      return { head: Number(head.rows[0]!.n), published: Number(published.rows[0]?.n ?? 0) };
    });

  it('given steady commands, when Kafka is down for 60 s and comes back, then every recorded event reaches its topic in order per case and the relay catches up', async () => {
    const kafka = infra.kafka!;
    const load = startLoad(service.api);
    await sleep(5_000);

    await kafka.stop();
    const atStop = await positions();
    await sleep(OUTAGE_MS);
    const beforeRestart = await positions();
    await kafka.restart();
    await sleep(5_000);
    const answers = await load.stop();

    // The drill means something only if events were recorded, and not published, while Kafka was down.
    expect(beforeRestart.head).toBeGreaterThan(atStop.head);
    expect(beforeRestart.published).toBeLessThan(beforeRestart.head);
    // Commands never wait for Kafka: every one was answered as if it were up.
    expect({
      refused: answers.filter((a) => a.status >= 300),
      logs: answers.some((a) => a.status >= 300) ? infra.logs.slice(-40) : [],
    }).toEqual({ refused: [], logs: [] });
    expect(answers.length).toBeGreaterThan(50);

    const caughtUp = await waitUntil(
      'the relay checkpoint reaches the head of the store and /health reports nothing waiting',
      async () => {
        const { head, published } = await positions();
        const health = await service.api.send({ path: '/health', headers: OPERATOR, timeoutMs: 10_000 });
        return published === head && health.status === 200 && health.body.details.outbox.waiting === 0 && health;
      },
      { timeoutMs: 90_000, intervalMs: 500, logs: infra.logs },
    );
    expect(caughtUp.body.details).toMatchObject({ kafka: { status: 'up' }, outbox: { waiting: 0 } });

    const stored = (
      await withClient(
        infra.postgres.url,
        async (c) =>
          (
            await c.query<StoredEvent>(
              `SELECT global_position, event_id, stream_id, stream_version, metadata->>'caseId' AS case_id
                 FROM events ORDER BY global_position`,
            )
          ).rows,
      )
    ).map((e) => ({ ...e, topic: topicForCategory(streamCategory(e.stream_id)), key: e.case_id ?? e.stream_id }));
    const topics = [...new Set(stored.map((e) => e.topic))];
    expect(topics).toContain(HANDOVER_TOPIC);

    const arrived: { topic: string; key: string; eventId: string }[] = [];
    const wanted = new Set(stored.map((e) => e.event_id));
    consumer = new Kafka({
      clientId: 'fault-drill-reader',
      brokers: [kafka.brokers],
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: `fault-drill-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        const { eventId } = JSON.parse(message.value!.toString()) as { eventId: string };
        arrived.push({ topic, key: message.key!.toString(), eventId });
        wanted.delete(eventId);
        return Promise.resolve();
      },
    });
    await waitUntil(
      `all ${stored.length} recorded events arrive on ${topics.join(', ')}`,
      () => Promise.resolve(wanted.size === 0),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await consumer.disconnect();
    consumer = undefined;

    // Per topic and case (the message key): the first arrivals, in arrival order, are the
    // case's events of that topic in the order they were recorded. Events recorded after the
    // snapshot (a region-crossing handover's workflow opens its lead negotiation after
    // answering, so one may still be on its way) are not part of the comparison.
    const storedIds = new Set(stored.map((e) => e.event_id));
    const firstArrivals = arrived.filter(
      (m, i) => storedIds.has(m.eventId) && arrived.findIndex((n) => n.eventId === m.eventId) === i,
    );
    const byTopicAndKey = (list: readonly { topic: string; key: string; eventId: string }[]) => {
      const groups = new Map<string, string[]>();
      for (const { topic, key, eventId } of list)
        groups.set(`${topic} ${key}`, [...(groups.get(`${topic} ${key}`) ?? []), eventId]);
      return groups;
    };
    expect(byTopicAndKey(firstArrivals)).toEqual(
      byTopicAndKey(stored.map((e) => ({ topic: e.topic, key: e.key, eventId: e.event_id }))),
    );
    // And the order recorded is each stream's version order.
    for (const [, ids] of byTopicAndKey(
      stored.map((e) => ({ topic: e.topic, key: e.stream_id, eventId: e.event_id })),
    )) {
      const versions = ids.map((id) => stored.find((e) => e.event_id === id)!.stream_version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  }, 240_000);
});
