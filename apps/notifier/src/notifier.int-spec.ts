import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { RecordedEvent } from '@warm-handover/contracts';
import { createKafka, KafkaEventPublisher } from '@warm-handover/messaging';
import {
  CheckpointStore,
  ContactPointSecretStore,
  DEV_WEBHOOK_SECRET_KEY,
  EventStore,
} from '@warm-handover/persistence';
import { isNoticeLinkToken, parseAllowedHosts } from '@warm-handover/platform';
import { startSmtpCapture, type SmtpCapture } from '../../../scripts/infra/smtp-capture';
import { createTestDatabase, requireEnv, type TestDatabase } from '../../../test/support/database';
import {
  addContactPoint,
  escalatedHandover,
  eventually,
  noticeEvents,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../test/support/notices';
import { Mailer } from './delivery/channels';
import { verifyWebhookSignature } from './delivery/webhook-signature';
import { NoticeDispatcher } from './notice-dispatcher';
import { createNoticeActivities } from './temporal/notice.activities';
import { NoticeWorker } from './temporal/notice-worker';
import { EventStoreNoticeSource, KafkaNoticeSource } from './sources/notice-source';

const LINK_SECRET = 'integration-test-notice-link-secret-0123456789';
const BASE_URL = 'https://warm-handover.example';
const logger = pino({ level: 'silent' });

/**
 * The notifier's parts on real infrastructure: PostgreSQL, the Temporal dev server, an SMTP
 * server in its own process (scripts/infra/smtp-capture-server.ts) and an HTTP receiver.
 * Retries are fast here (0.3 s doubling to 1 s; 3 attempts, or 50 where a receiver comes back)
 * so failures show in seconds.
 */
describe('notifier on real SMTP, HTTP, PostgreSQL and Temporal', () => {
  let dir: string;
  let db: TestDatabase;
  let store: EventStore;
  let secrets: ContactPointSecretStore;
  let smtp: SmtpCapture;
  let receiver: WebhookReceiver;
  let mailer: Mailer;
  let worker: NoticeWorker;
  let dispatcher: NoticeDispatcher;
  /** For receivers that come back: enough attempts that a slow restart never exhausts them. */
  let patient: NoticeDispatcher;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'notifier-int-'));
    [db, smtp, receiver] = await Promise.all([
      createTestDatabase(),
      startSmtpCapture(join(dir, 'mail')),
      startWebhookReceiver(),
    ]);
    store = new EventStore(db.dataSource);
    secrets = new ContactPointSecretStore(db.dataSource, DEV_WEBHOOK_SECRET_KEY);
    mailer = new Mailer(smtp.url);
    worker = await NoticeWorker.start(
      {
        address: requireEnv('TEMPORAL_ADDRESS'),
        namespace: 'default',
        taskQueue: `notices-int-${randomBytes(4).toString('hex')}`,
        activities: createNoticeActivities({
          store,
          secrets,
          mailer,
          settings: {
            from: 'meldingen@warm-handover.example',
            publicBaseUrl: BASE_URL,
            linkSecret: LINK_SECRET,
            // The receiver listens on 127.0.0.1: allowed here as an operator would.
            allowedHosts: parseAllowedHosts('127.0.0.1').entries,
          },
        }),
      },
      (error) => {
        throw error;
      },
    );
    dispatcher = new NoticeDispatcher(
      store,
      worker,
      { initialIntervalMs: 300, maximumIntervalMs: 1_000, maximumAttempts: 3 },
      logger,
    );
    patient = new NoticeDispatcher(
      store,
      worker,
      { initialIntervalMs: 300, maximumIntervalMs: 1_000, maximumAttempts: 50 },
      logger,
    );
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    mailer?.close();
    await Promise.all([smtp?.stop(), receiver?.close()]);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two organisations that nobody else in this file uses, so mailbox and receiver counts are exact. */
  const pairs = [
    ['vt-groningen', 'vt-friesland'],
    ['vt-drenthe', 'vt-twente'],
    ['vt-utrecht', 'vt-flevoland'],
    ['vt-zeeland', 'vt-west-brabant'],
    ['vt-haaglanden', 'vt-hollands-midden'],
    ['vt-limburg-noord', 'vt-zuid-limburg'],
    ['vt-rotterdam-rijnmond', 'vt-zuid-holland-zuid'],
  ] as const;
  const mailAbout = (caseId: string) => smtp.messages().filter((m) => m.subject.endsWith(`casus ${caseId}`));
  const mailTo = (address: string) => smtp.messages().filter((m) => m.to.includes(address));
  const sentNotices = async (caseId: string) =>
    (await noticeEvents(store, caseId)).filter((e) => e.type === 'NoticeSent');

  it('given an escalation to two team leads, one by e-mail and one by webhook, when it is handled twice, then each gets one notice: Dutch, without personal data, signed, and recorded on the case', async () => {
    const [from, to] = pairs[0];
    await addContactPoint(store, secrets, from, 'team-lead', { email: `teamleiding@${from}.example` });
    const { secret } = await addContactPoint(store, secrets, to, 'team-lead', { webhookUrl: receiver.url });
    const escalation = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const caseId = escalation.metadata.caseId!;
    const before = receiver.received.length;

    expect(await dispatcher.handle(escalation)).toBe(2);
    expect(await dispatcher.handle(escalation)).toBe(0); // a redelivery starts nothing

    const sent = await eventually('both notices sent', async () => {
      const events = await sentNotices(caseId);
      return events.length === 2 && events;
    });
    const [mail] = await eventually('the e-mail', () =>
      Promise.resolve(mailTo(`teamleiding@${from}.example`).length === 1 && mailTo(`teamleiding@${from}.example`)),
    );
    const emailNotice = sent.find((e) => (e.data as { recipient: { channel: string } }).recipient.channel === 'email')!;
    const noticeId = (emailNotice.data as { noticeId: string }).noticeId;
    expect(mail!.messageId).toBe(`<${noticeId}.0@notices.warm-handover>`);
    expect(mail!.subject).toBe(`[Escalatie niveau 1] ontvangst overdracht te laat — casus ${caseId}`);
    expect(mail!.text).toContain('De ontvangst van een overdracht is niet op tijd bevestigd.');
    expect(mail!.text).toContain('Verantwoordelijk nu: Veilig Thuis Groningen');
    expect(mail!.text).toContain('Escalatieniveau: 1 van 3');
    expect(mail!.text).toContain(`${BASE_URL}/cases/${caseId}/notices`);
    expect(mail!.html).toContain('Bevestig dat u deze melding heeft gezien');
    const token = /acknowledgement\?token=([\w-]+)/.exec(mail!.text)![1]!;
    expect(isNoticeLinkToken(noticeId, token, LINK_SECRET)).toBe(true);
    // No personal data: the children's pseudonymous ids, the reason note and references stay out.
    for (const secretish of ['child-1a', 'child-1b', 'risk-assessment-1', 'safety-agreement-1'])
      expect(`${mail!.text}${mail!.html}`).not.toContain(secretish);

    const hooks = await eventually('the webhook', () =>
      Promise.resolve(receiver.received.length === before + 1 && receiver.received.slice(before)),
    );
    const hook = hooks[0]!;
    expect(
      verifyWebhookSignature({
        secret: secret!,
        id: hook.headers['webhook-id'] as string,
        body: hook.body,
        timestamp: hook.headers['webhook-timestamp'] as string,
        signature: hook.headers['webhook-signature'] as string,
      }),
    ).toEqual({ ok: true });
    expect(JSON.parse(hook.body)).toMatchObject({
      type: 'warm-handover.notice.v1',
      caseId,
      level: 1,
      reason: 'receipt-overdue',
    });
    expect(hook.body).not.toContain('child-1a');

    for (const e of sent) {
      expect(e.metadata.caseId).toBe(caseId);
      expect(e.data).toMatchObject({ causeEventId: escalation.eventId, attempt: 1, level: 1 });
    }
  });

  it('given a webhook receiver that is down, when it comes back before the last attempt, then the failed attempts and the delivery are recorded', async () => {
    const [from, to] = pairs[1];
    await addContactPoint(store, secrets, from, 'team-lead', { webhookUrl: receiver.url });
    await addContactPoint(store, secrets, to, 'team-lead', { email: `teamleiding@${to}.example` });
    receiver.answer(503);
    const escalation = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const caseId = escalation.metadata.caseId!;

    await patient.handle(escalation);
    await eventually('a failed attempt', async () =>
      (await noticeEvents(store, caseId)).some((e) => e.type === 'NoticeAttemptFailed'),
    );
    receiver.answer(204);

    const events = await eventually('the webhook notice sent', async () => {
      const all = await noticeEvents(store, caseId);
      return (
        all.some(
          (e) =>
            e.type === 'NoticeSent' && (e.data as { recipient: { channel: string } }).recipient.channel === 'webhook',
        ) && all
      );
    });
    const webhook = events.filter(
      (e) => (e.data as { recipient: { channel: string } }).recipient.channel === 'webhook',
    );
    const attempts = webhook.filter((e) => e.type === 'NoticeAttemptFailed');
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts[0]!.data).toMatchObject({ attempt: 1, error: 'http-5xx: the webhook answered HTTP 503' });
    expect(webhook.at(-1)!.data).toMatchObject({ attempt: attempts.length + 1 });
    expect(webhook.some((e) => e.type === 'NoticeFailed')).toBe(false);
  });

  it('given an SMTP server that is down, when it is started again, then the e-mail is delivered on a later attempt', async () => {
    const [from, to] = pairs[2];
    await addContactPoint(store, secrets, from, 'team-lead', { email: `teamleiding@${from}.example` });
    await addContactPoint(store, secrets, to, 'team-lead', { email: `teamleiding@${to}.example` });
    const port = smtp.port;
    await smtp.stop();
    const escalation = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const caseId = escalation.metadata.caseId!;
    try {
      await patient.handle(escalation);
      await eventually(
        'failed attempts while SMTP is down',
        async () => (await noticeEvents(store, caseId)).filter((e) => e.type === 'NoticeAttemptFailed').length >= 2,
      );
    } finally {
      smtp = await startSmtpCapture(smtp.dir, port);
    }
    await eventually('both e-mails delivered', async () => (await sentNotices(caseId)).length === 2);
    expect(mailTo(`teamleiding@${from}.example`)).toHaveLength(1);
    expect(mailTo(`teamleiding@${to}.example`)).toHaveLength(1);
  });

  it('given a webhook that never answers 2xx, when the attempts are used up, then the notice is recorded as failed and escalates to the manager of that organisation', async () => {
    const [from, to] = pairs[3];
    await addContactPoint(store, secrets, from, 'team-lead', { email: `teamleiding@${from}.example` });
    await addContactPoint(store, secrets, to, 'team-lead', { webhookUrl: `${receiver.url}/broken` });
    await addContactPoint(store, secrets, to, 'manager', { email: `management@${to}.example` });
    receiver.answer(500);
    const escalation = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const caseId = escalation.metadata.caseId!;
    let failed: RecordedEvent;
    try {
      await dispatcher.handle(escalation);
      failed = await eventually('the webhook notice failed', async () =>
        (await noticeEvents(store, caseId)).find((e) => e.type === 'NoticeFailed'),
      );
    } finally {
      receiver.answer(204);
    }
    expect(failed.data).toMatchObject({ attempts: 3, lastError: 'http-5xx: the webhook answered HTTP 500', level: 1 });

    // The notifier's source hands it the NoticeFailed event like any other.
    expect(await dispatcher.handle(failed)).toBe(1);
    const [mail] = await eventually('the manager is told', () =>
      Promise.resolve(mailTo(`management@${to}.example`).length === 1 && mailTo(`management@${to}.example`)),
    );
    expect(mail!.subject).toBe(`[Escalatie niveau 2] ontvangst overdracht te laat — casus ${caseId}`);
    expect(mail!.text).toContain('Een eerdere melding aan de Teamleider kon niet worden bezorgd');
    const escalated = await eventually('the level-2 notice recorded', async () =>
      (await sentNotices(caseId)).find((e) => (e.data as { level: number }).level === 2),
    );
    expect(escalated.data).toMatchObject({ causeType: 'NoticeFailed', causeEventId: failed.eventId });
  });

  it('given an organisation without contact points, when it is escalated to, then the notice is recorded as failed at once and climbs its ladder to the director', async () => {
    const [from, to] = pairs[4];
    await addContactPoint(store, secrets, from, 'team-lead', { email: `teamleiding@${from}.example` });
    const escalation = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const caseId = escalation.metadata.caseId!;

    await dispatcher.handle(escalation);
    // Follow the failures up as the source would: each NoticeFailed is handed to the dispatcher.
    const handled = new Set<string>();
    await eventually(
      'failures at levels 1, 2 and 3',
      async () => {
        const failures = (await noticeEvents(store, caseId)).filter((e) => e.type === 'NoticeFailed');
        for (const f of failures) if (!handled.has(f.eventId) && handled.add(f.eventId)) await dispatcher.handle(f);
        return failures.length === 3 && failures;
      },
      90_000,
    );
    const failures = (await noticeEvents(store, caseId)).filter((e) => e.type === 'NoticeFailed');
    expect(
      failures.map((e) => [
        (e.data as { level: number }).level,
        (e.data as { recipient: { role: string; unaddressable?: boolean } }).recipient,
      ]),
    ).toEqual([
      [1, expect.objectContaining({ organisation: to, role: 'team-lead', unaddressable: true })],
      [2, expect.objectContaining({ organisation: to, role: 'manager', unaddressable: true })],
      [3, expect.objectContaining({ organisation: to, role: 'director', unaddressable: true })],
    ]);
    // At the top there is nobody left to tell: the director's failure starts nothing more.
    expect(await dispatcher.handle(failures[2]!)).toBe(0);
  });

  it('given escalations that Kafka delivers twice while a second notifier joins the group, when both consume, then every recipient gets exactly one notice per escalation', async () => {
    const [from, to] = pairs[5];
    await addContactPoint(store, secrets, from, 'team-lead', { email: `teamleiding@${from}.example` });
    await addContactPoint(store, secrets, to, 'team-lead', { email: `teamleiding@${to}.example` });
    const kafka = createKafka({ brokers: [requireEnv('KAFKA_BROKERS')], clientId: 'notifier-int' }, logger);
    const publisher = new KafkaEventPublisher(kafka);
    const groupId = `notifier-int-${randomBytes(4).toString('hex')}`;
    const handled: string[] = [];
    const handle = async (event: RecordedEvent) => {
      handled.push(event.eventId);
      await dispatcher.handle(event);
    };
    const first = new KafkaNoticeSource(kafka, logger, groupId);
    const second = new KafkaNoticeSource(kafka, logger, groupId);
    const escalations: RecordedEvent[] = [];
    try {
      await first.start(handle);
      for (let i = 0; i < 3; i++) escalations.push(await escalatedHandover(store, { fromOrg: from, toOrg: to }));
      await publisher.publish(escalations);
      // A second notifier joins: the group rebalances while messages are in flight.
      await second.start(handle);
      for (let i = 0; i < 3; i++) escalations.push(await escalatedHandover(store, { fromOrg: from, toOrg: to }));
      // Everything once more, as a relay that crashed before moving its checkpoint would resend it.
      await publisher.publish(escalations.slice(3));
      await publisher.publish(escalations);
      await eventually(
        'every escalation consumed twice',
        () => Promise.resolve(escalations.every((e) => handled.filter((id) => id === e.eventId).length >= 2)),
        120_000,
      );
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await publisher.disconnect();
    }
    for (const escalation of escalations) {
      const caseId = escalation.metadata.caseId!;
      await eventually(`two notices for ${caseId}`, async () => (await sentNotices(caseId)).length === 2);
      await eventually(`two e-mails about ${caseId}`, () => Promise.resolve(mailAbout(caseId).length === 2));
    }
    // Settle: no late duplicate arrives after the expected ones.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const escalation of escalations) {
      const caseId = escalation.metadata.caseId!;
      expect({
        caseId,
        sent: (await sentNotices(caseId)).length,
        mails: mailAbout(caseId)
          .map((m) => m.to[0])
          .sort(),
      }).toEqual({
        caseId,
        sent: 2,
        mails: [`teamleiding@${from}.example`, `teamleiding@${to}.example`],
      });
    }
  });

  it('given no broker, when the notifier follows the event store and is restarted, then it notifies escalations recorded before, during and after, each once', async () => {
    const [from, to] = pairs[6];
    await addContactPoint(store, secrets, from, 'team-lead', { email: `teamleiding@${from}.example` });
    await addContactPoint(store, secrets, to, 'team-lead', { email: `teamleiding@${to}.example` });
    const follow = () => new EventStoreNoticeSource(store, new CheckpointStore(db.dataSource), logger, db.url);
    const before = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const source = follow();
    await source.start((event) => dispatcher.handle(event));
    const during = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    await eventually('the first two notified', async () => (await sentNotices(during.metadata.caseId!)).length === 2);
    await source.stop();
    const after = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const again = follow();
    await again.start((event) => dispatcher.handle(event));
    try {
      await eventually(
        'the one recorded while it was stopped',
        async () => (await sentNotices(after.metadata.caseId!)).length === 2,
      );
    } finally {
      await again.stop();
    }
    for (const e of [before, during, after]) {
      const caseId = e.metadata.caseId!;
      expect({ caseId, sent: (await sentNotices(caseId)).length, mails: mailAbout(caseId).length }).toEqual({
        caseId,
        sent: 2,
        mails: 2,
      });
    }
  });
});
