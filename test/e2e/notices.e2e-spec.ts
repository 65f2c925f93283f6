import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhookSignature } from '../../apps/notifier/src/delivery/webhook-signature';
import { startSmtpCapture, type SmtpCapture } from '../../scripts/infra/smtp-capture';
import { ApiClient, RECEIVER, SENDER } from '../support/api-client';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/notices';
import { startService, type RunningService } from '../support/service';

/**
 * Escalation notices through the running apps (api, worker, notifier) on the real Temporal dev
 * server, PostgreSQL and Kafka, with mail going to the SMTP capture server in its own process
 * and a webhook to a real HTTP receiver. DEMO_MODE: deadlines in seconds, and the demo
 * organisations have seeded contact points (one mailbox per rung).
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
      { DEMO_MODE: 'true', SMTP_URL: smtp.url, NOTICE_RETRY_INITIAL_SECONDS: '1', NOTICE_RETRY_MAX_SECONDS: '2' },
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

    const notices = await eventually(
      'three notices sent (two mailboxes, one webhook)',
      async () => {
        const answer = await api.get(SENDER, `/cases/${caseId}/notices`);
        return answer.body?.notices?.filter((n: { status: string }) => n.status === 'sent').length === 3 && answer.body;
      },
      90_000,
    );
    expect(
      notices.notices
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
        .filter((n: { recipient: { organisation: string } }) => n.recipient.organisation === RECEIVER)
        .map((n: { recipient: { address: string } }) => n.recipient.address)
        .sort(),
    ).toEqual([`teamleiding@${RECEIVER}.example`, receiver.url].sort());
    expect(notices).toMatchObject({ undelivered: 0, unacknowledged: 3 });

    const mails = smtp.messages().filter((m) => m.subject.endsWith(`casus ${caseId}`));
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
    expect((await api.get(SENDER, `/cases/${caseId}/notices`)).body.unacknowledged).toBe(3);

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
    expect(timeline.filter((t: string) => t === 'NoticeSent')).toHaveLength(3);
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
});
