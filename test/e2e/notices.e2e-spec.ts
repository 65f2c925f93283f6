import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhookSignature } from '../../apps/notifier/src/delivery/webhook-signature';
import { type SmtpCapture, startSmtpCapture } from '@warm-handover/infra';
import { ApiClient, RECEIVER, SENDER } from '../support/api-client';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/notices';
import { startService, type RunningService } from '../support/service';

/**
 * Escalation notices through the running apps (api, worker, notifier) on the real Temporal dev
 * server, PostgreSQL and Kafka, with mail going to the SMTP capture server in its own process
 * and a webhook to a real HTTP receiver. DEMO_MODE: deadlines in seconds, and the demo
 * organisations have seeded contact points (one mailbox per rung). Top-level notices repeat every
 * 3 s instead of daily, and an acknowledgement silences them for 5 s instead of a working day.
 */
describe('escalation notices (e2e)', () => {
  let dir: string;
  let smtp: SmtpCapture;
  let receiver: WebhookReceiver;
  let service: RunningService;
  let api: ApiClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'notices-e2e-'));
    [smtp, receiver] = await Promise.all([startSmtpCapture(join(dir, 'mail')), startWebhookReceiver()]);
    service = await startService(
      {
        DEMO_MODE: 'true',
        SMTP_URL: smtp.url,
        NOTICE_RETRY_INITIAL_SECONDS: '1',
        NOTICE_RETRY_MAX_SECONDS: '2',
        NOTICE_ACK_TIMEOUT: 'PT5S',
        NOTICE_REPEAT_SECONDS: '3',
      },
      { notifier: true },
    );
    api = new ApiClient(service.baseUrl);
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([smtp?.stop(), receiver?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const contactPoints = (org: string) => `/organisations/${org}/contact-points`;

  it('given the contact points of an organisation, when its director and others change and read them, then only managers and directors of that organisation may change them, every version is kept, and a webhook secret is shown once', async () => {
    const before = new Date().toISOString();
    const seeded = await api.get(RECEIVER, contactPoints(RECEIVER));
    expect(seeded.status).toBe(200);
    expect(seeded.body.contactPoints.map((p: { role: string; email: string }) => [p.role, p.email])).toEqual([
      ['professional', `meldingen@${RECEIVER}.example`],
      ['team-lead', `teamleiding@${RECEIVER}.example`],
      ['manager', `management@${RECEIVER}.example`],
      ['director', `bestuur@${RECEIVER}.example`],
    ]);

    const added = await api.send({
      method: 'POST',
      path: contactPoints(RECEIVER),
      as: RECEIVER,
      role: 'director',
      json: { role: 'team-lead', webhookUrl: receiver.url, label: 'Teamleiding (webhook)' },
    });
    expect(added.status).toBe(201);
    expect(added.body.contactPoint).toMatchObject({ role: 'team-lead', webhookUrl: receiver.url, version: 1 });
    expect(added.body.webhookSecret).toMatch(/^whsec_/);
    const id = added.body.contactPoint.contactPointId as string;

    const replaced = await api.send({
      method: 'PUT',
      path: `${contactPoints(RECEIVER)}/${id}`,
      as: RECEIVER,
      role: 'manager',
      json: { role: 'team-lead', webhookUrl: receiver.url, label: 'Teamleiding jeugd (webhook)' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.contactPoint).toMatchObject({ version: 2, label: 'Teamleiding jeugd (webhook)' });
    expect(replaced.body.webhookSecret).toBeUndefined(); // shown once, on registration

    const refusals = await Promise.all([
      api.send({
        method: 'POST',
        path: contactPoints(RECEIVER),
        as: RECEIVER,
        json: { role: 'manager', email: 'm@x.example' },
      }),
      api.send({
        method: 'POST',
        path: contactPoints(RECEIVER),
        as: SENDER,
        role: 'director',
        json: { role: 'manager', email: 'm@x.example' },
      }),
      api.send({
        method: 'POST',
        path: contactPoints(RECEIVER),
        as: RECEIVER,
        role: 'director',
        json: { role: 'manager', email: 'not an address' },
      }),
      api.send({
        method: 'POST',
        path: contactPoints(RECEIVER),
        as: RECEIVER,
        role: 'director',
        json: { role: 'manager', webhookUrl: 'http://hooks.example/x' },
      }),
      api.get(SENDER, contactPoints(RECEIVER)),
    ]);
    expect(refusals.map((r) => [r.status, r.contentType.split(';')[0]])).toEqual([
      [403, 'application/problem+json'],
      [403, 'application/problem+json'],
      [400, 'application/problem+json'],
      [400, 'application/problem+json'],
      [403, 'application/problem+json'],
    ]);
    expect(refusals[2].body.errors).toEqual([{ field: 'email', message: expect.stringContaining('e-mail address') }]);

    expect(seeded.body.missing).toEqual([]);
    const unseeded = await api.get('vt-gooi-en-vechtstreek', contactPoints('vt-gooi-en-vechtstreek'));
    expect(unseeded.body).toMatchObject({
      contactPoints: [],
      missing: ['professional', 'team-lead', 'manager', 'director'],
    });

    const then = await api.get(RECEIVER, `${contactPoints(RECEIVER)}?at=${encodeURIComponent(before)}`);
    expect(then.body.contactPoints.some((p: { contactPointId: string }) => p.contactPointId === id)).toBe(false);
    const now = await api.send({
      method: 'GET',
      path: contactPoints(RECEIVER),
      as: 'inspectie-gezondheidszorg-en-jeugd',
      role: 'inspector',
    });
    expect(now.body.contactPoints.find((p: { contactPointId: string }) => p.contactPointId === id)).toMatchObject({
      version: 2,
    });

    // Keep the secret for the next test: the receiver verifies what it gets with it.
    secret = added.body.webhookSecret;
  });

  let secret = '';

  it('given a handover whose receipt is late, when it escalates, then both team leads are told by mail and webhook, the case lists each notice, and one acknowledgement through the link is recorded once', async () => {
    const requested = await api.requestHandover({ receipt: 'PT3S', start: 'PT10M', escalationInterval: 'PT10M' });
    expect(requested.status).toBe(201);
    const caseId = requested.body.caseId as string;

    // Level 1: the escalation. Level 0: the receiver's intake was told that the handover arrived.
    const escalationNotice = (n: { level: number }) => n.level === 1;
    const notices = await eventually(
      'three notices sent (two mailboxes, one webhook)',
      async () => {
        const answer = await api.get(SENDER, `/cases/${caseId}/notices`);
        return (
          answer.body?.notices?.filter(
            (n: { status: string; level: number }) => n.status === 'sent' && escalationNotice(n),
          ).length === 3 && answer.body
        );
      },
      90_000,
    );
    expect(
      notices.notices
        .filter(escalationNotice)
        .map((n: { level: number; recipient: { organisation: string; address?: string; channel: string } }) => [
          n.level,
          n.recipient.organisation,
          n.recipient.channel,
          n.recipient.address ?? '(not shown)',
        ])
        .sort(),
    ).toEqual([
      // The other organisation's addresses are its own business: organisation, rung and channel only.
      [1, RECEIVER, 'email', '(not shown)'],
      [1, RECEIVER, 'webhook', '(not shown)'],
      [1, SENDER, 'email', `teamleiding@${SENDER}.example`],
    ]);
    const theirs = await api.get(RECEIVER, `/cases/${caseId}/notices`);
    expect(
      theirs.body.notices
        .filter(escalationNotice)
        .filter((n: { recipient: { organisation: string } }) => n.recipient.organisation === RECEIVER)
        .map((n: { recipient: { address: string } }) => n.recipient.address)
        .sort(),
    ).toEqual([`teamleiding@${RECEIVER}.example`, receiver.url].sort());
    expect(notices).toMatchObject({ undelivered: 0, unacknowledged: 4 });
    expect(theirs.body.notices.filter((n: { level: number }) => n.level === 0)).toEqual([
      expect.objectContaining({
        causeType: 'HandoverRequested',
        recipient: expect.objectContaining({ address: `meldingen@${RECEIVER}.example` }),
      }),
    ]);

    const mails = smtp
      .messages()
      .filter((m) => m.subject.endsWith(`casus ${caseId}`) && m.subject.startsWith('[Escalatie'));
    expect(mails.map((m) => m.to[0]).sort()).toEqual([
      `teamleiding@${RECEIVER}.example`,
      `teamleiding@${SENDER}.example`,
    ]);
    const mail = mails.find((m) => m.to[0] === `teamleiding@${SENDER}.example`)!;
    expect(mail.text).toContain('Verantwoordelijk nu: Veilig Thuis Kennemerland');
    expect(mail.text).not.toContain(`${caseId}-child`);
    const hook = receiver.received.find((r) => r.body.includes(caseId))!;
    expect(
      verifyWebhookSignature({
        secret,
        id: hook.headers['webhook-id'] as string,
        body: hook.body,
        timestamp: hook.headers['webhook-timestamp'] as string,
        signature: hook.headers['webhook-signature'] as string,
      }),
    ).toEqual({ ok: true });

    // The link, as a mail scanner would fetch it first: a page with a button, and nothing recorded.
    const link = new URL(/http\S+\/acknowledgement\?token=\S+/.exec(mail.text)![0]);
    const page = await api.send({ method: 'GET', path: `${link.pathname}${link.search}`, as: null });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/text\/html/);
    expect(page.text).toContain('<form method="post">');
    expect((await api.get(SENDER, `/cases/${caseId}/notices`)).body.unacknowledged).toBe(4);

    // A wrong token finds nothing; the form's POST (no Idempotency-Key, as a browser sends it) records it.
    const token = link.searchParams.get('token')!;
    const wrong = await api.send({
      method: 'POST',
      path: link.pathname,
      as: null,
      idempotencyKey: null,
      raw: 'token=forged',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrong.status).toBe(404);
    const form = (t: string) =>
      api.send({
        method: 'POST',
        path: link.pathname,
        as: null,
        idempotencyKey: null,
        raw: `token=${t}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      });
    const first = await form(token);
    expect(first.status).toBe(200);
    expect(first.text).toContain('Bedankt. Bevestigd op');
    const second = await api.send({
      method: 'POST',
      path: `${link.pathname}?token=${token}`,
      as: null,
      idempotencyKey: null,
    });
    expect(second.status).toBe(200);

    const after = (await api.get(SENDER, `/cases/${caseId}/notices`)).body;
    const acknowledged = after.notices.filter((n: { acknowledged?: unknown }) => n.acknowledged);
    expect(acknowledged).toHaveLength(1);
    expect(acknowledged[0]).toMatchObject({
      recipient: { address: `teamleiding@${SENDER}.example` },
      acknowledged: {
        by: { subject: expect.stringMatching(/^contact-point:/), organisation: SENDER, role: 'team-lead' },
      },
    });
    expect(second.body.acknowledgedAt).toBe(acknowledged[0].acknowledged.at);
    const timeline = (await api.get(SENDER, `/cases/${caseId}/timeline`)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(timeline.filter((t: string) => t === 'NoticeSent')).toHaveLength(4);
    expect(timeline.filter((t: string) => t === 'NoticeAcknowledged')).toHaveLength(1);

    // Same visibility as the other case endpoints: not for an outsider, yes for an inspector.
    expect((await api.get('vt-gooi-en-vechtstreek', `/cases/${caseId}/notices`)).status).toBe(404);
    expect(
      (
        await api.send({
          path: `/cases/${caseId}/notices`,
          as: 'inspectie-gezondheidszorg-en-jeugd',
          role: 'inspector',
        })
      ).status,
    ).toBe(200);

    await api.post(SENDER, `/handovers/${requested.body.handoverId}/withdrawal`, { reason: 'End of the test.' });
  });

  it('given a webhook, when its URL changes or points at a metadata address, then a new secret is shown for the new URL and the metadata address is refused', async () => {
    const org = 'vt-gooi-en-vechtstreek';
    const added = await api.send({
      method: 'POST',
      path: contactPoints(org),
      as: org,
      role: 'director',
      json: { role: 'director', webhookUrl: `${receiver.url}/first` },
    });
    expect(added.status).toBe(201);
    const id = added.body.contactPoint.contactPointId as string;
    const moved = await api.send({
      method: 'PUT',
      path: `${contactPoints(org)}/${id}`,
      as: org,
      role: 'director',
      json: { role: 'director', webhookUrl: `${receiver.url}/second` },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.webhookSecret).toMatch(/^whsec_/);
    expect(moved.body.webhookSecret).not.toBe(added.body.webhookSecret);

    const metadata = await api.send({
      method: 'POST',
      path: contactPoints(org),
      as: org,
      role: 'director',
      json: { role: 'manager', webhookUrl: 'https://169.254.169.254/latest/meta-data' },
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body.errors).toEqual([
      { field: 'webhookUrl', message: expect.stringContaining('WEBHOOK_ALLOWED_HOSTS') },
    ]);
  });

  describe('nothing goes silent (issue 11)', () => {
    const POLICE_NH = 'politie-noord-holland';
    const POLICE_AMS = 'politie-amsterdam';
    const MUNICIPALITY = 'gemeente-haarlemmermeer';
    const mailsTo = (address: string, caseId: string) =>
      smtp.messages().filter((m) => m.to.includes(address) && m.subject.endsWith(`casus ${caseId}`));

    it("given a handover that arrives, is received, accepted and started, and leads agreed in different areas, when the parties act, then the receiver's intake, the sender and the municipality are each told", async () => {
      const requested = await api.requestHandover({ receipt: 'PT10M', start: 'PT10M', escalationInterval: 'PT10M' });
      expect(requested.status).toBe(201);
      const caseId = requested.body.caseId as string;
      const childIds = requested.body.childIds as string[];
      const id = requested.body.handoverId as string;

      const [arrival] = await eventually('the receiver is told that the handover arrived', () =>
        Promise.resolve(
          mailsTo(`meldingen@${RECEIVER}.example`, caseId).length === 1 &&
            mailsTo(`meldingen@${RECEIVER}.example`, caseId),
        ),
      );
      expect(arrival!.subject).toBe(`[Bericht] nieuwe overdracht voor uw organisatie — casus ${caseId}`);
      expect(arrival!.text).toContain('Veilig Thuis Kennemerland draagt een casus aan uw organisatie over');
      for (const childId of childIds) expect(`${arrival!.text}${arrival!.html}`).not.toContain(childId);

      const today = new Date().toISOString().slice(0, 10);
      expect((await api.post(RECEIVER, `/handovers/${id}/receipt`, {})).status).toBe(200);
      expect((await api.post(RECEIVER, `/handovers/${id}/acceptance`, { plannedStartDate: today })).status).toBe(200);
      expect((await api.post(RECEIVER, `/handovers/${id}/start-confirmation`, {})).status).toBe(200);
      const toSender = await eventually('the sender is told of receipt, acceptance and start', () => {
        const mails = mailsTo(`meldingen@${SENDER}.example`, caseId);
        return Promise.resolve(mails.length === 3 && mails);
      });
      expect(toSender.map((m) => m.subject).sort()).toEqual(
        [
          `[Bericht] ontvangst overdracht bevestigd — casus ${caseId}`,
          `[Bericht] overdracht geaccepteerd — casus ${caseId}`,
          `[Bericht] vervolghulp gestart — casus ${caseId}`,
        ].sort(),
      );
      const start = toSender.find((m) => m.subject.includes('vervolghulp gestart'))!;
      expect(start.text).toContain('Verantwoordelijk nu: Veilig Thuis Amsterdam-Amstelland\n');

      // Seed case 1's leads: care lead Amsterdam-Amstelland, police lead Noord-Holland: different areas.
      const leads = (await api.get(SENDER, `/cases/${caseId}/leads`)).body;
      const care = leads.negotiations.care as string;
      const counter = await api.post(RECEIVER, `/lead-negotiations/${care}/proposals`, {
        lead: RECEIVER,
        rationale: 'The family now lives in Amsterdam.',
      });
      expect(counter.status).toBe(200);
      expect(
        (
          await api.post(SENDER, `/lead-negotiations/${care}/acceptances`, {
            proposalId: counter.body.currentProposal.proposalId,
          })
        ).status,
      ).toBe(200);
      // The police take part through a party's involvement; only parties act on a case.
      for (const police of [POLICE_NH, POLICE_AMS])
        expect(
          (await api.post(SENDER, `/cases/${caseId}/involvements`, { organisation: police, reason: 'police' })).status,
        ).toBe(201);
      const safety = await api.post(POLICE_NH, `/cases/${caseId}/lead-negotiations`, {
        chain: 'safety',
        parties: [POLICE_NH, POLICE_AMS],
        municipality: MUNICIPALITY,
        deadlines: { agreement: 'PT10M', escalationInterval: 'PT10M' },
      });
      expect(safety.status).toBe(201);
      const proposal = await api.post(POLICE_NH, `/lead-negotiations/${safety.body.negotiationId}/proposals`, {
        lead: POLICE_NH,
        rationale: 'The district officer knows the family.',
      });
      await api.post(POLICE_AMS, `/lead-negotiations/${safety.body.negotiationId}/acceptances`, {
        proposalId: proposal.body.currentProposal.proposalId,
      });

      const [mismatch] = await eventually('the municipality is told of the mismatch', () =>
        Promise.resolve(
          mailsTo(`meldingen@${MUNICIPALITY}.example`, caseId).length === 1 &&
            mailsTo(`meldingen@${MUNICIPALITY}.example`, caseId),
        ),
      );
      expect(mismatch!.subject).toBe(`[Bericht] regie niet in hetzelfde werkgebied — casus ${caseId}`);
      expect(mismatch!.text).toContain('heronderhandeling');
      for (const org of [RECEIVER, POLICE_NH])
        await eventually(`${org} is told of the mismatch`, () =>
          Promise.resolve(
            mailsTo(`meldingen@${org}.example`, caseId).some((m) =>
              m.subject.includes('regie niet in hetzelfde werkgebied'),
            ),
          ),
        );
    });

    it('given a top-level notice that is acknowledged while the receipt is still overdue, when the acknowledgement timeout passes, then it is sent to the director again and says so; it stops when the handover ends', async () => {
      const requested = await api.requestHandover({ receipt: 'PT2S', start: 'PT10M', escalationInterval: 'PT2S' });
      expect(requested.status).toBe(201);
      const caseId = requested.body.caseId as string;
      const director = `bestuur@${SENDER}.example`;
      const [first] = await eventually(
        "the notice to the sender's director",
        () => Promise.resolve(mailsTo(director, caseId).length >= 1 && mailsTo(director, caseId)),
        90_000,
      );
      expect(first!.subject).toBe(`[Escalatie niveau 3] ontvangst overdracht te laat — casus ${caseId}`);
      const link = new URL(/http\S+\/acknowledgement\?token=\S+/.exec(first!.text)![0]);
      // The mail can arrive a moment before its NoticeSent is recorded; the link works from then on.
      const acknowledged = await eventually('the acknowledgement recorded', async () => {
        const answer = await api.send({
          method: 'POST',
          path: `${link.pathname}${link.search}`,
          as: null,
          idempotencyKey: null,
        });
        return answer.status === 200 && answer;
      });
      const acknowledgedAt = Date.parse(acknowledged.body.acknowledgedAt as string);

      const resumed = await eventually(
        'the acknowledged notice sent again after its timeout',
        () =>
          Promise.resolve(
            mailsTo(director, caseId).find((m) => m.text.includes('bevestigd, maar de stap is nog niet gezet')),
          ),
        60_000,
      );
      expect(resumed.subject).toMatch(/^Herinnering \d+: \[Escalatie niveau 3\] ontvangst overdracht te laat/);
      type Listed = {
        level: number;
        deliveries: number;
        recipient: { address: string };
        acknowledged?: { at: string };
      };
      // The case's record of it: one notice, acknowledged, delivered again (recorded just after the mail).
      const top = await eventually('the second delivery recorded', async () => {
        const listed = (await api.get(SENDER, `/cases/${caseId}/notices`)).body.notices as Listed[];
        const notice = listed.find((n) => n.level === 3 && n.recipient.address === director);
        return notice && notice.deliveries >= 2 && notice;
      });
      expect(top.acknowledged).toBeDefined();
      // Silent for the timeout (5 s here), not for good.
      expect(Date.parse(resumed.receivedAt) - acknowledgedAt).toBeGreaterThanOrEqual(4_500);

      await api.post(SENDER, `/handovers/${requested.body.handoverId}/withdrawal`, { reason: 'End of the test.' });
      await new Promise((r) => setTimeout(r, 4_000));
      const settled = mailsTo(director, caseId).length;
      await new Promise((r) => setTimeout(r, 7_000));
      expect(mailsTo(director, caseId).length).toBe(settled);
    });
  });
});
