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
import { type SmtpCapture, startSmtpCapture } from '@warm-handover/infra';
import { createTestDatabase, requireEnv, type TestDatabase } from '../../../test/support/database';
import {
  acknowledgeNotice,
  addContactPoint,
  escalatedHandover,
  eventually,
  noticeEvents,
  recordedMismatch,
  recordHandoverStep,
  requestedHandover,
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
 * so failures show in seconds; so are a top-level notice's repeats (2 s, `daily`) and the
 * acknowledgement timeout (3 s).
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
  /** Top-level notices repeat every 2 s instead of daily. */
  let daily: NoticeDispatcher;

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
        tuning: { workflowTaskSlots: 10, pollers: 4 },
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
            ackTimeout: 'PT3S',
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
    daily = new NoticeDispatcher(
      store,
      worker,
      { initialIntervalMs: 300, maximumIntervalMs: 1_000, maximumAttempts: 3 },
      logger,
      2_000,
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
    expect(mail!.text).toContain(`${BASE_URL}/app/casussen/${caseId}`);
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
      await publisher.publish(escalations.map((event) => ({ event })));
      // A second notifier joins: the group rebalances while messages are in flight.
      await second.start(handle);
      for (let i = 0; i < 3; i++) escalations.push(await escalatedHandover(store, { fromOrg: from, toOrg: to }));
      // Everything once more, as a relay that crashed before moving its checkpoint would resend it.
      await publisher.publish(escalations.slice(3).map((event) => ({ event })));
      await publisher.publish(escalations.map((event) => ({ event })));
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
    // Each handover request also tells the receiver's intake that it arrived (issue 11). The
    // receiver has no intake contact point, so that notice fails and goes to its team lead.
    const follow = () => new EventStoreNoticeSource(store, new CheckpointStore(db.dataSource), logger, db.url);
    const before = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const source = follow();
    await source.start((event) => dispatcher.handle(event));
    const during = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    await eventually('the first two notified', async () => (await sentNotices(during.metadata.caseId!)).length === 3);
    await source.stop();
    const after = await escalatedHandover(store, { fromOrg: from, toOrg: to });
    const again = follow();
    await again.start((event) => dispatcher.handle(event));
    try {
      await eventually(
        'the one recorded while it was stopped',
        async () => (await sentNotices(after.metadata.caseId!)).length === 3,
      );
    } finally {
      await again.stop();
    }
    for (const e of [before, during, after]) {
      const caseId = e.metadata.caseId!;
      expect({
        caseId,
        sent: (await sentNotices(caseId)).length,
        mails: mailAbout(caseId)
          .map((m) => m.to[0])
          .sort(),
      }).toEqual({
        caseId,
        sent: 3,
        mails: [`teamleiding@${from}.example`, `teamleiding@${to}.example`, `teamleiding@${to}.example`],
      });
      const failed = (await noticeEvents(store, caseId)).filter((e) => e.type === 'NoticeFailed');
      expect(failed.map((e) => e.data)).toEqual([
        expect.objectContaining({
          causeType: 'HandoverRequested',
          level: 0,
          recipient: expect.objectContaining({ unaddressable: true }),
        }),
      ]);
    }
  });

  describe('nothing goes silent (issue 11)', () => {
    it("given a handover that arrives, is accepted and starts, when each is handled, then the receiver's intake is told of the arrival and the sender's professional of the acceptance and the start, once each, naming who is responsible now", async () => {
      const [from, to] = ['vt-ijsselland', 'vt-gelderland-midden'] as const;
      await addContactPoint(store, secrets, from, 'professional', { email: `meldingen@${from}.example` });
      await addContactPoint(store, secrets, to, 'professional', { email: `meldingen@${to}.example` });
      const request = await requestedHandover(store, { fromOrg: from, toOrg: to });
      const caseId = request.metadata.caseId!;

      expect(await dispatcher.handle(request)).toBe(1);
      expect(await dispatcher.handle(request)).toBe(0);
      const [arrival] = await eventually('the arrival mail', () =>
        Promise.resolve(mailTo(`meldingen@${to}.example`).length === 1 && mailTo(`meldingen@${to}.example`)),
      );
      expect(arrival!.subject).toBe(`[Bericht] nieuwe overdracht voor uw organisatie — casus ${caseId}`);
      expect(arrival!.text).toContain('Veilig Thuis IJsselland draagt een casus aan uw organisatie over');
      expect(arrival!.text).toContain('Bevestig de ontvangst vóór');
      expect(arrival!.text).toContain(`${BASE_URL}/app/casussen/${caseId}`);
      for (const secretish of ['child-1a', 'child-1b', 'risk-assessment-1', 'safety-agreement-1'])
        expect(`${arrival!.text}${arrival!.html}`).not.toContain(secretish);

      const now = new Date().toISOString();
      const accepted = await recordHandoverStep(store, request, 'HandoverAccepted', {
        plannedStartDate: now.slice(0, 10),
        acceptedAt: now,
      });
      expect(await dispatcher.handle(accepted)).toBe(1);
      await eventually('the acceptance mail', () => Promise.resolve(mailTo(`meldingen@${from}.example`).length === 1));
      const started = await recordHandoverStep(store, request, 'HandoverStarted', {
        fromOrg: from,
        toOrg: to,
        startedAt: now,
        startedBy: 'p-test',
        confirmedAt: new Date().toISOString(),
      });
      expect(await dispatcher.handle(started)).toBe(1);
      const toSender = await eventually('the start mail', () =>
        Promise.resolve(mailTo(`meldingen@${from}.example`).length === 2 && mailTo(`meldingen@${from}.example`)),
      );
      expect(toSender.map((m) => m.subject)).toEqual([
        `[Bericht] overdracht geaccepteerd — casus ${caseId}`,
        `[Bericht] vervolghulp gestart — casus ${caseId}`,
      ]);
      expect(toSender[0]!.text).toContain('Veilig Thuis Gelderland-Midden heeft uw overdracht geaccepteerd');
      expect(toSender[0]!.text).toContain('Verantwoordelijk nu: Veilig Thuis IJsselland (blijft verantwoordelijk');
      expect(toSender[1]!.text).toContain(
        'Veilig Thuis Gelderland-Midden heeft bevestigd dat de vervolghulp is gestart',
      );
      // Read from the case at delivery: after the start, the receiver.
      expect(toSender[1]!.text).toContain('Verantwoordelijk nu: Veilig Thuis Gelderland-Midden\n');
      const sent = await eventually('three notices recorded', async () => {
        const events = await sentNotices(caseId);
        return events.length === 3 && events;
      });
      expect(
        sent.map((e) => [(e.data as { causeType: string }).causeType, (e.data as { level: number }).level]),
      ).toEqual([
        ['HandoverRequested', 0],
        ['HandoverAccepted', 0],
        ['HandoverStarted', 0],
      ]);
    });

    it('given a lead-area mismatch, when it is handled, then the care lead, the safety lead and the municipality are each told', async () => {
      const [careLead, safetyLead, municipality] = [
        'vt-noord-holland-noord',
        'politie-oost-nederland',
        'gemeente-heerlen',
      ];
      for (const organisation of [careLead, safetyLead, municipality])
        await addContactPoint(store, secrets, organisation, 'professional', {
          email: `meldingen@${organisation}.example`,
        });
      const request = await requestedHandover(store, { fromOrg: 'vt-noord-holland-noord', toOrg: 'vt-midden-brabant' });
      const caseId = request.metadata.caseId!;
      const mismatch = await recordedMismatch(store, caseId, { careLead, safetyLead, municipality });

      expect(await dispatcher.handle(mismatch)).toBe(3);
      const [mail] = await eventually('the municipality is told', () =>
        Promise.resolve(
          mailTo(`meldingen@${municipality}.example`).length === 1 && mailTo(`meldingen@${municipality}.example`),
        ),
      );
      expect(mail!.subject).toBe(`[Bericht] regie niet in hetzelfde werkgebied — casus ${caseId}`);
      expect(mail!.text).toContain('Veilig Thuis Noord-Holland-Noord');
      expect(mail!.text).toContain('heronderhandeling');
      await eventually('all three told', () =>
        Promise.resolve([careLead, safetyLead].every((o) => mailTo(`meldingen@${o}.example`).length === 1) && true),
      );
      const sent = await eventually('three notices recorded', async () => {
        const events = await sentNotices(caseId);
        return events.length === 3 && events;
      });
      for (const e of sent)
        expect(e.data).toMatchObject({ causeType: 'LeadRegionMismatch', causeEventId: mismatch.eventId, level: 0 });
    });

    it('given an acknowledged top-level notice, when its acknowledgement timeout passes with the step still open, then it is sent again at the director, saying so, and it stops once the step happens', async () => {
      const [from, to] = ['vt-gelderland-zuid', 'vt-brabant-noordoost'] as const;
      await addContactPoint(store, secrets, from, 'director', { email: `bestuur@${from}.example` });
      await addContactPoint(store, secrets, to, 'director', { email: `bestuur@${to}.example` });
      const escalation = await escalatedHandover(store, { fromOrg: from, toOrg: to, level: 3 });
      const caseId = escalation.metadata.caseId!;
      const toSender = (e: RecordedEvent) =>
        (e.data as { recipient: { organisation: string } }).recipient.organisation === from;

      expect(await daily.handle(escalation)).toBe(2);
      const first = await eventually('the first top-level notice', async () =>
        (await sentNotices(caseId)).find(toSender),
      );
      const noticeId = (first.data as { noticeId: string }).noticeId;
      const acknowledgedAt = await acknowledgeNotice(store, noticeId, caseId);

      const resumed = await eventually(
        'the acknowledged notice sent again',
        async () =>
          (await sentNotices(caseId)).filter(toSender).find((e) => (e.data as { repeat: number }).repeat === 1),
        30_000,
      );
      // Silent for the acknowledgement timeout (3 s here), not for good.
      expect(
        Date.parse((resumed.data as { sentAt: string }).sentAt) - Date.parse(acknowledgedAt),
      ).toBeGreaterThanOrEqual(3_000);
      const mail = await eventually('the resumed mail', () =>
        Promise.resolve(mailTo(`bestuur@${from}.example`).find((m) => m.subject.startsWith('Herinnering 1: '))),
      );
      expect(mail.text).toContain('bevestigd, maar de stap is nog niet gezet');

      // The step happens: the handover ends, and the repeats stop.
      await recordHandoverStep(store, escalation, 'HandoverWithdrawn', {
        reason: 'test',
        withdrawnAt: new Date().toISOString(),
      });
      await new Promise((r) => setTimeout(r, 5_000));
      const settledCount = (await sentNotices(caseId)).length;
      await new Promise((r) => setTimeout(r, 5_000));
      expect((await sentNotices(caseId)).length).toBe(settledCount);
    });
  });
});
