import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { streamCategory, topicForCategory, type RecordedEvent } from '@warm-handover/contracts';
import { fromKafkaValue, RELAY_CHECKPOINT, RELAY_LOCK_APPLICATION, relayLockKey } from '@warm-handover/messaging';
import { type SmtpCapture, startSmtpCapture } from '@warm-handover/infra';
import { withClient } from '../support/database';
import {
  mapConcurrently,
  startDrillInfra,
  waitUntil,
  type DrilledService,
  type DrillInfra,
} from '../support/drill-infra';

const HANDOVERS = 24;

interface StoredRow {
  event_id: string;
  stream_id: string;
  stream_version: number;
}

interface NoticeRow {
  event_type: string;
  notice_id: string;
  cause_event_id: string;
  address: string;
}

/**
 * Fault drill: two workers and two notifiers side by side on one task queue, store and broker.
 * The outbox relay publishes from whichever worker holds its advisory lock; that worker is
 * SIGKILLed while handovers keep coming in and escalating. The other worker takes the relay
 * over from the checkpoint. As a consumer sees it (deduplicating on the event id, as every
 * consumer here does) every event of the store arrives once and in order per stream, and the
 * two notifiers, sharing the Kafka consumer group, deliver every notice exactly once.
 */
describe('fault drill: the outbox relay holder is killed with SIGKILL while two workers and two notifiers run', () => {
  let infra: DrillInfra;
  let smtp: SmtpCapture;
  let service: DrilledService;

  beforeAll(async () => {
    infra = await startDrillInfra('relay-takeover', { kafka: true });
    smtp = await startSmtpCapture(join(infra.dir, 'mail'));
    service = await infra.startService(
      { SMTP_URL: smtp.url, NOTICE_RETRY_INITIAL_SECONDS: '1', NOTICE_RETRY_MAX_SECONDS: '2' },
      { notifier: true, replicas: 2 },
    );
  });
  afterAll(async () => {
    await smtp?.stop();
    await infra?.stop();
  });

  const query = <T extends object>(sql: string, params: unknown[] = []) =>
    withClient(infra.postgres.url, async (c) => (await c.query<T>(sql, params)).rows);

  /** The process id of the app whose session holds the relay's advisory lock, if one does. */
  const holderPid = async (): Promise<number | undefined> => {
    const rows = await query<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted
          AND (l.classid::bigint << 32 | l.objid::bigint) = hashtextextended($1, 0)`,
      [relayLockKey(RELAY_CHECKPOINT)],
    );
    const name = rows[0]?.application_name;
    return name?.startsWith(`${RELAY_LOCK_APPLICATION}:`) ? Number(name.split(':')[1]) : undefined;
  };
  const relayCaughtUp = async () => {
    const [row] = await query<{ head: string; checkpoint: string | null }>(
      `SELECT (SELECT coalesce(max(global_position), 0) FROM events) AS head,
              (SELECT position FROM consumer_checkpoints WHERE consumer = $1) AS checkpoint`,
      [RELAY_CHECKPOINT],
    );
    return row!.checkpoint !== null && Number(row!.checkpoint) >= Number(row!.head);
  };
  const notices = () =>
    query<NoticeRow>(
      `SELECT event_type, data->>'noticeId' AS notice_id, data->>'causeEventId' AS cause_event_id,
              data->'recipient'->>'address' AS address
         FROM events WHERE stream_id LIKE 'notice-%' AND event_type IN ('NoticeSent', 'NoticeFailed')
        ORDER BY global_position`,
    );
  const causes = () =>
    query<{ event_id: string; event_type: string }>(
      `SELECT event_id, event_type FROM events WHERE event_type IN ('HandoverRequested', 'HandoverEscalated')`,
    );

  /** Every message on the topics of these categories, from the beginning, in a group of its own. */
  async function readTopics(categories: readonly string[], expected: ReadonlySet<string>): Promise<RecordedEvent[]> {
    const kafka = new Kafka({ clientId: 'drill-reader', brokers: [infra.kafka!.brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `drill-reader-${randomBytes(4).toString('hex')}` });
    const received: RecordedEvent[] = [];
    const seen = new Set<string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: categories.map(topicForCategory), fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          const event = fromKafkaValue(message.value);
          received.push(event);
          seen.add(event.eventId);
          return Promise.resolve();
        },
      });
      await waitUntil(
        `all ${expected.size} events of the store read back from Kafka`,
        () => Promise.resolve([...expected].every((id) => seen.has(id))),
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      await sleep(2_000); // anything late (a duplicate) arrives too
    } finally {
      await consumer.disconnect();
    }
    return received;
  }

  it(`given ${HANDOVERS} handovers coming in and escalating, when the worker holding the relay is killed, then the other worker takes over: every event reaches consumers once and every notice is delivered once`, async () => {
    const { api } = service;
    const workerPids = service.processes.filter((p) => p.tag.startsWith('[worker#')).map((p) => p.app.child.pid);
    expect(workerPids).toHaveLength(2);
    expect(service.processes.filter((p) => p.tag.startsWith('[notifier#'))).toHaveLength(2);

    const first = await waitUntil('a worker holds the relay lock', holderPid, { timeoutMs: 60_000, logs: infra.logs });
    expect(workerPids).toContain(first);

    // Load: the requests are all answered before the kill, and their receipt deadlines fall due
    // around and after it, so escalations and notices keep being appended while the relay changes
    // hands. (A command that meets a killed worker is the worker drill's subject, not this one's.)
    await mapConcurrently(Array.from({ length: HANDOVERS }), 2, async (_, i) => {
      const res = await api.requestHandover({
        receipt: `PT${8 + (i % 8)}S`,
        start: 'PT1H',
        escalationInterval: 'PT1H',
      });
      expect(res.status).toBe(201);
    });
    // One publisher at a time: only the holder has ever taken the lock so far, the other stands by.
    const tagOf = (pid: number | undefined) => service.processes.find((p) => p.app.child.pid === pid)!.tag;
    const holders = () =>
      new Set(
        infra.logs.filter((l) => l.includes('outbox relay holds the lock')).map((l) => l.slice(0, l.indexOf(']') + 1)),
      );
    expect(holders()).toEqual(new Set([tagOf(first)]));
    await service.killPid(first);

    const second = await waitUntil(
      'the other worker takes the relay over',
      async () => {
        const pid = await holderPid();
        return pid !== undefined && pid !== first ? pid : undefined;
      },
      { timeoutMs: 60_000, logs: infra.logs },
    );
    expect(workerPids.filter((pid) => pid !== first)).toEqual([second]);
    expect(holders()).toEqual(new Set([tagOf(first), tagOf(second)]));

    const causesOf = async () => {
      const all = await causes();
      return { requests: all.filter((c) => c.event_type === 'HandoverRequested'), all };
    };
    // Every handover escalates once at its receipt deadline; each escalation tells both team leads,
    // each request the receiver's intake: three notices per handover.
    await waitUntil(
      'every handover escalated, its notices delivered and the relay caught up',
      async () => {
        const { requests, all } = await causesOf();
        const sent = (await notices()).filter((n) => n.event_type === 'NoticeSent');
        return (
          requests.length === HANDOVERS &&
          all.length === 2 * HANDOVERS &&
          sent.length >= 3 * HANDOVERS &&
          (await relayCaughtUp())
        );
      },
      { timeoutMs: 240_000, intervalMs: 1_000, logs: infra.logs },
    );
    await sleep(3_000); // nothing late may follow

    // Kafka, as a consumer sees it: every event of the store, once per event id, in order per stream.
    const stored = await query<StoredRow>(
      'SELECT event_id, stream_id, stream_version FROM events ORDER BY global_position',
    );
    const categories = [...new Set(stored.map((r) => streamCategory(r.stream_id)))];
    const received = await readTopics(categories, new Set(stored.map((r) => r.event_id)));
    const firstArrivals = new Map<string, RecordedEvent>();
    for (const e of received) if (!firstArrivals.has(e.eventId)) firstArrivals.set(e.eventId, e);
    expect(new Set(firstArrivals.keys())).toEqual(new Set(stored.map((r) => r.event_id)));
    const versionsPerStream = new Map<string, number[]>();
    for (const e of firstArrivals.values())
      versionsPerStream.set(e.streamId, [...(versionsPerStream.get(e.streamId) ?? []), e.streamVersion]);
    for (const [stream, versions] of versionsPerStream)
      expect({ stream, versions }).toEqual({ stream, versions: versions.map((_, i) => i + 1) });

    // Notices: exactly one NoticeSent per (cause, recipient), none failed, one mail per notice.
    const all = await notices();
    expect(all.filter((n) => n.event_type === 'NoticeFailed')).toEqual([]);
    const sent = all.filter((n) => n.event_type === 'NoticeSent');
    expect(sent).toHaveLength(3 * HANDOVERS);
    expect(new Set(sent.map((n) => n.notice_id)).size).toBe(sent.length);
    expect(new Set(sent.map((n) => `${n.cause_event_id} ${n.address}`)).size).toBe(sent.length);
    expect(new Set(sent.map((n) => n.cause_event_id))).toEqual(new Set((await causes()).map((c) => c.event_id)));
    const mails = smtp.messages();
    const expectedIds = new Set(sent.map((n) => `<${n.notice_id}.0@notices.warm-handover>`));
    // No notifier died: two running side by side must not send any notice twice.
    expect(mails.map((m) => m.messageId).sort()).toEqual([...expectedIds].sort());

    console.info(
      `relay taken over from pid ${first} by ${second}; ${received.length - firstArrivals.size} duplicate message(s) on Kafka absorbed by event id`,
    );
  });
});
