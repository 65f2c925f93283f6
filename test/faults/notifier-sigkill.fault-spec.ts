import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SmtpCapture, startSmtpCapture } from '@warm-handover/infra';
import { RECEIVER, SENDER } from '../support/api-client';
import { withClient } from '../support/database';
import {
  mapConcurrently,
  startDrillInfra,
  waitUntil,
  type DrilledService,
  type DrillInfra,
} from '../support/drill-infra';

const HANDOVERS = 15;
/** Each escalation to level 1 tells the team lead of both organisations (one seeded mailbox each). */
const EXPECTED = HANDOVERS * 2;

interface NoticeRow {
  event_type: string;
  notice_id: string;
  cause_event_id: string;
  address: string;
}

/**
 * Fault drill: the notifier is SIGKILLed while it works through a batch of escalations from
 * Kafka: offsets uncommitted, notice workflows and deliveries cut off mid-way. After a restart
 * Kafka redelivers what was not committed, and Temporal hands the notice workflows to the new
 * process. Every (escalation, recipient) must end up with exactly one NoticeSent, none missing;
 * a mail cut off between SMTP and recording may arrive twice, but then with the same Message-ID.
 */
describe('fault drill: notifier killed with SIGKILL mid-batch', () => {
  let infra: DrillInfra;
  let smtp: SmtpCapture;
  let service: DrilledService;

  beforeAll(async () => {
    infra = await startDrillInfra('notifier-sigkill', { kafka: true });
    smtp = await startSmtpCapture(join(infra.dir, 'mail'));
    service = await infra.startService(
      { SMTP_URL: smtp.url, NOTICE_RETRY_INITIAL_SECONDS: '1', NOTICE_RETRY_MAX_SECONDS: '2' },
      { notifier: true },
    );
  });
  afterAll(async () => {
    await smtp?.stop();
    await infra?.stop();
  });

  const rows = () =>
    withClient(
      infra.postgres.url,
      async (c) =>
        (
          await c.query<NoticeRow>(
            `SELECT event_type, data->>'noticeId' AS notice_id, data->>'causeEventId' AS cause_event_id,
                    data->'recipient'->>'address' AS address
               FROM events WHERE stream_id LIKE 'notice-%' AND data->>'causeType' = 'HandoverEscalated'
              ORDER BY global_position`,
          )
        ).rows,
    );
  const escalationIds = () =>
    withClient(infra.postgres.url, async (c) =>
      (
        await c.query<{ event_id: string }>("SELECT event_id FROM events WHERE event_type = 'HandoverEscalated'")
      ).rows.map((r) => r.event_id),
    );
  const sent = async () => (await rows()).filter((r) => r.event_type === 'NoticeSent');

  it(`given ${HANDOVERS} handovers escalating while the notifier works, when it is killed and restarted, then every notice is sent once and none is missing`, async () => {
    const { api } = service;
    // Receipt deadlines a second apart: escalations keep coming before, during and after the kill.
    await mapConcurrently(Array.from({ length: HANDOVERS }), 3, async (_, i) => {
      const res = await api.requestHandover({ receipt: `PT${4 + i}S`, start: 'PT1H', escalationInterval: 'PT1H' });
      expect(res.status).toBe(201);
    });

    await waitUntil('the first notice is sent', async () => (await sent()).length > 0, {
      timeoutMs: 90_000,
      logs: infra.logs,
    });
    await service.killNotifier();
    // The drill means something only if notices were still to be sent when the notifier died.
    const sentBeforeKill = (await sent()).length;
    expect(sentBeforeKill).toBeLessThan(EXPECTED);

    // Escalations keep being recorded and published while no notifier runs.
    await sleep(3_000);
    await service.startNotifier();

    // A delivery the killed process had started is retried after its 1-minute start-to-close timeout.
    await waitUntil(
      `all ${EXPECTED} notices sent`,
      async () => {
        const escalations = await escalationIds();
        return escalations.length === HANDOVERS && (await sent()).length >= EXPECTED;
      },
      { timeoutMs: 180_000, intervalMs: 500, logs: infra.logs },
    );
    await sleep(3_000); // nothing late may follow

    const all = await sent();
    const escalations = new Set(await escalationIds());
    expect(all).toHaveLength(EXPECTED);
    // Exactly one per (escalation, recipient), for every escalation and both team leads.
    const pairs = all.map((r) => `${r.cause_event_id} ${r.address}`);
    expect(new Set(pairs).size).toBe(EXPECTED);
    expect(new Set(all.map((r) => r.notice_id)).size).toBe(EXPECTED);
    expect(new Set(all.map((r) => r.cause_event_id))).toEqual(escalations);
    expect(new Set(all.map((r) => r.address))).toEqual(
      new Set([`teamleiding@${SENDER}.example`, `teamleiding@${RECEIVER}.example`]),
    );
    expect((await rows()).filter((r) => r.event_type === 'NoticeFailed')).toEqual([]);

    // The mailboxes: every notice arrived; a resend, if any, carries the same Message-ID.
    const expectedIds = new Set(all.map((r) => `<${r.notice_id}.0@notices.warm-handover>`));
    // The escalations' notices; each request also told the receiver's intake once (issue 11).
    const mails = smtp.messages().filter((m) => m.subject.startsWith('[Escalatie'));
    expect(new Set(mails.map((m) => m.messageId))).toEqual(expectedIds);
    console.info(
      `notifier killed after ${sentBeforeKill} of ${EXPECTED} notices; ${mails.length - expectedIds.size} mail(s) resent with the same Message-ID`,
    );
  });
});
