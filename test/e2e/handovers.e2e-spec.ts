import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { signToken } from '../../apps/api/src/auth/tokens';
import { runDemo } from '../../scripts/demo';
import { type SmtpCapture, startSmtpCapture } from '@warm-handover/infra';
import { providerToken } from '../support/api-client';
import { startService, type RunningService } from '../support/service';
import { requireEnv } from '../support/database';

const SENDER = 'vt-kennemerland';
const RECEIVER = 'vt-amsterdam-amstelland';
const OUTSIDER = 'vt-gooi-en-vechtstreek';

type Json = Record<string, any>;

/**
 * Warm handovers through the HTTP API of the running apps, on the real Temporal dev server,
 * PostgreSQL and Kafka. DEMO_MODE is on so deadlines can be seconds. The notifier runs too, with
 * mail going to the SMTP capture server, so the demo can print the notices it caused.
 */
describe('handovers through the API (e2e)', () => {
  let service: RunningService;
  let mailDir: string;
  let smtp: SmtpCapture;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    mailDir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'handovers-e2e-mail-'));
    smtp = await startSmtpCapture(mailDir);
    service = await startService({ DEMO_MODE: 'true', SMTP_URL: smtp.url }, { notifier: true });
    for (const org of [SENDER, RECEIVER, OUTSIDER]) {
      tokens.set(org, await providerToken(org));
    }
  });
  afterAll(async () => {
    await service?.stop();
    await smtp?.stop();
    rmSync(mailDir, { recursive: true, force: true });
  });

  async function call(
    method: string,
    path: string,
    org: string | null,
    body?: unknown,
    key: string | null = randomUUID(),
  ) {
    const res = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        ...(org ? { authorization: `Bearer ${tokens.get(org)}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(body !== undefined && key ? { 'idempotency-key': key } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      headers: res.headers,
      body: (await res.json()) as Json,
    };
  }

  /** Without a case id the request registers a new case; the answer's caseId is its id. */
  const requestBody = (caseId?: string, extra: Json = {}) => ({
    ...(caseId ? { caseId } : {}),
    childIds: [`child-${randomUUID().slice(0, 8)}`],
    toOrg: RECEIVER,
    reason: 'family-moved',
    deadlines: { receipt: 1, start: 10 },
    ...extra,
  });

  it('given seed case 1, when the narrated demo runs through HTTP, then it opens the case, hands one sibling over, keeps an outsider out, escalates to the managers, prints the notices the mailboxes received, and responsibility moves for that child only once care started', async () => {
    const lines: string[] = [];
    const { handoverId, caseId, childIds } = await runDemo({
      baseUrl: service.baseUrl,
      say: (l) => lines.push(l),
      mailDir,
    });
    const [movedChild, stayingChild] = childIds;
    for (const org of ['vt-zuid-limburg', 'gemeente-haarlemmermeer']) tokens.set(org, await providerToken(org));
    const details = await call('GET', `/handovers/${handoverId}`, SENDER);
    expect(details.body).toMatchObject({ status: 'started', responsibleOrg: RECEIVER });
    const escalations = (details.body.history as Json[]).filter((e) => e.type === 'HandoverEscalated');
    expect(escalations.map((e) => e.data.level)).toEqual([1, 2]);
    expect(escalations[1]!.data.recipients).toEqual([
      expect.objectContaining({ organisation: SENDER, role: 'manager' }),
      expect.objectContaining({ organisation: RECEIVER, role: 'manager' }),
    ]);
    expect(lines.join('\n')).toMatch(/Escalated to level 2: the Manager of Veilig Thuis Kennemerland/);
    expect(lines.join('\n')).toMatch(/Responsibility moves to Veilig Thuis Amsterdam-Amstelland/);
    // The service issued the case id; one sibling was handed over and moved, the other stayed.
    expect(details.body).toMatchObject({ caseId, childIds: [movedChild] });
    const responsibility = await call('GET', `/cases/${caseId}/responsibility`, RECEIVER);
    expect(responsibility.body.children).toEqual([
      expect.objectContaining({
        childId: movedChild,
        responsible: expect.objectContaining({ organisation: RECEIVER }),
      }),
      expect.objectContaining({
        childId: stayingChild,
        responsible: expect.objectContaining({ organisation: SENDER }),
      }),
    ]);
    expect(responsibility.body.responsible).toBeUndefined();
    expect(lines.join('\n')).toMatch(/moved with the handover[\s\S]*stayed, this child was not handed over/);
    // Veilig Thuis Zuid-Limburg has no part in the case: not found, as if it did not exist.
    expect(lines.join('\n')).toMatch(/Reading the case: 404 Not found\. Handing \S+ over: 404 Not found\./);
    expect((await call('GET', `/cases/${caseId}`, 'vt-zuid-limburg')).status).toBe(404);
    // The municipality was involved by a party, so it reads the case.
    const overview = await call('GET', `/cases/${caseId}`, 'gemeente-haarlemmermeer');
    expect(overview.status).toBe(200);
    expect(overview.body.parties).toContainEqual(
      expect.objectContaining({ organisation: 'gemeente-haarlemmermeer', reasons: ['municipality'] }),
    );
    // The lead part of seed case 1: agreement after a counter-proposal, police agree after escalation, mismatch flagged.
    const leads = (await call('GET', `/cases/${caseId}/leads`, SENDER)).body;
    expect(leads).toMatchObject({
      care: { organisation: RECEIVER, how: 'agreed' },
      safety: { organisation: 'politie-noord-holland', how: 'agreed' },
      mismatch: { careLead: RECEIVER, careLeadPoliceUnit: 'politie-amsterdam', safetyLead: 'politie-noord-holland' },
    });
    expect(leads.mismatch.recipients.map((r: Json) => r.organisation)).toContain('gemeente-haarlemmermeer');
    // The handover between two Veilig Thuis regions opened the care-chain negotiation by itself.
    const care = (await call('GET', `/lead-negotiations/${leads.negotiations.care}`, SENDER)).body;
    expect(care.history[0]).toMatchObject({
      type: 'LeadNegotiationOpened',
      metadata: { actor: { subject: 'system:region-crossing' } },
    });
    expect(lines.join('\n')).toMatch(/counter-proposes[\s\S]*Escalated to level 2: the Districtschef[\s\S]*Flagged/);
    // The notices: as the seeded team and management mailboxes received them, one read in full,
    // one acknowledged through its link, and the case's record of who was told.
    const printed = lines.join('\n');
    for (const [org, mailbox, level, what] of [
      [SENDER, 'teamleiding', 1, 'ontvangst overdracht te laat'],
      [RECEIVER, 'teamleiding', 1, 'ontvangst overdracht te laat'],
      [SENDER, 'management', 2, 'ontvangst overdracht te laat'],
      [RECEIVER, 'management', 2, 'ontvangst overdracht te laat'],
      ['politie-noord-holland', 'teamleiding', 1, 'regie niet afgesproken'],
      ['politie-amsterdam', 'management', 2, 'regie niet afgesproken'],
    ] as const)
      expect(printed).toContain(`to ${mailbox}@${org}.example: [Escalatie niveau ${level}] ${what} — casus ${caseId}`);
    expect(printed).toMatch(/│ Casus: .*\n.*│ Wat: De ontvangst van een overdracht is niet op tijd bevestigd\./);
    expect(printed).toMatch(/presses the button \(200\)/);
    // Whichever team mailbox's notice was acknowledged; Kennemerland reads its own addresses only.
    expect(printed).toMatch(
      /level 1 {2}email to (teamleiding@vt-kennemerland\.example|vt-amsterdam-amstelland \(team-lead\)) {2}sent \S+, acknowledged \S+ by contact-point:/,
    );
    expect(printed).toMatch(/level 1 {2}email to teamleiding@vt-kennemerland\.example {2}sent/);
    expect(printed).toMatch(/level 1 {2}email to vt-amsterdam-amstelland \(team-lead\) {2}sent/);
    // The mail read in full names the case by its pseudonym, never a child.
    const mailText = lines.filter((l) => l.startsWith('  │')).join('\n');
    expect(mailText).not.toBe('');
    for (const child of childIds) expect(mailText).not.toContain(child);
  });

  it('given no or a forged token, when a handover is requested, then 401 problem details say how to get a token', async () => {
    const none = await call('POST', '/handovers', null, requestBody());
    expect(none.status).toBe(401);
    expect(none.type).toMatch(/application\/problem\+json/);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body.detail).toMatch(/npm run token/);
    tokens.set(
      'forged',
      await signToken(
        { subject: 'x', organisation: SENDER, role: 'professional' },
        'another-secret-of-at-least-32-characters!!',
        60,
      ),
    );
    expect((await call('POST', '/handovers', 'forged', requestBody())).status).toBe(401);
  });

  it('given a body with unknown fields and wrong types, when posted, then 400 lists each field and nothing is created', async () => {
    const before = ((await call('GET', '/handovers', SENDER)).body as unknown as Json[]).length;
    const res = await call('POST', '/handovers', SENDER, { ...requestBody(), reason: 42, surprise: true });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: Json) => e.field).sort()).toEqual(['reason', 'surprise']);
    expect((await call('POST', '/handovers', SENDER, '{"caseId": ', randomUUID())).status).toBe(400);
    expect(((await call('GET', '/handovers', SENDER)).body as unknown as Json[]).length).toBe(before);
  });

  it('given a name instead of a child id, when posted, then 422 says ids must be pseudonymous, lists the fields, and nothing is created', async () => {
    const before = ((await call('GET', '/handovers', SENDER)).body as unknown as Json[]).length;
    const res = await call('POST', '/handovers', SENDER, { ...requestBody(), childIds: ['Jan de Vries'], reason: 42 });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/personal-data$/);
    expect(res.body.errors.map((e: Json) => e.field).sort()).toEqual(['childIds', 'reason']);
    expect(((await call('GET', '/handovers', SENDER)).body as unknown as Json[]).length).toBe(before);
  });

  it('given an unknown receiving organisation, when requested, then 422 names it and points at the directory', async () => {
    const res = await call('POST', '/handovers', SENDER, requestBody(undefined, { toOrg: 'vt-atlantis' }));
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/vt-atlantis.*GET \/organisations/);
  });

  it('given a handover, when the wrong organisation acts or a step comes too early, then 403 and 409 say who may and what is possible now', async () => {
    const created = await call('POST', '/handovers', SENDER, requestBody());
    expect(created.status).toBe(201);
    const id = created.body.handoverId as string;

    const inOthersName = await call('POST', '/handovers', OUTSIDER, requestBody(undefined, { fromOrg: SENDER }));
    expect(inOthersName.status).toBe(403);
    const senderAcknowledges = await call('POST', `/handovers/${id}/receipt`, SENDER, {});
    expect(senderAcknowledges.status).toBe(403);
    expect(senderAcknowledges.body.detail).toMatch(/Only the receiving organisation \(vt-amsterdam-amstelland\)/);
    const receiverWithdraws = await call('POST', `/handovers/${id}/withdrawal`, RECEIVER, { reason: 'not ours' });
    expect(receiverWithdraws.status).toBe(403);

    const tooEarly = await call('POST', `/handovers/${id}/start-confirmation`, RECEIVER, {});
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body).toMatchObject({
      state: 'requested',
      allowed: expect.arrayContaining(['AcknowledgeReceipt']),
    });
    expect(tooEarly.body.detail).toMatch(/The handover is requested.*acknowledge receipt/);

    const outsiderReads = await call('GET', `/handovers/${id}`, OUTSIDER);
    expect(outsiderReads.status).toBe(404);
    const listed = await call('GET', '/handovers?status=requested&overdue=false', RECEIVER);
    expect((listed.body as unknown as Json[]).map((h) => h.handoverId)).toContain(id);
    expect(
      ((await call('GET', '/handovers?status=started', RECEIVER)).body as unknown as Json[]).map((h) => h.handoverId),
    ).not.toContain(id);
    expect((await call('GET', `/handovers?org=${SENDER}`, OUTSIDER)).status).toBe(403);
    expect((await call('GET', '/handovers?overdue=maybe', SENDER)).status).toBe(400);
    const unchanged = await call('GET', `/handovers/${id}`, SENDER);
    expect(unchanged.body).toMatchObject({ status: 'requested', version: 1 });
  });

  it('given a request, when it is retried with the same Idempotency-Key, then the first answer comes back and only one handover exists', async () => {
    const key = randomUUID();
    const body = requestBody();
    const first = await call('POST', '/handovers', SENDER, body, key);
    const retry = await call('POST', '/handovers', SENDER, body, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.handoverId).toBe(first.body.handoverId);
    expect(retry.body.caseId).toBe(first.body.caseId);
    const caseId = first.body.caseId as string;
    const timeline = await call('GET', `/cases/${caseId}/timeline`, SENDER);
    expect((timeline.body.events as Json[]).filter((e) => e.type === 'HandoverRequested')).toHaveLength(1);
  });

  it('given a handover that was rejected and a second one that started, when responsibility is asked for three past moments, then it answers the sender, the sender, then the receiver', async () => {
    const first = (await call('POST', '/handovers', SENDER, requestBody())).body;
    const caseId = first.caseId as string;
    await call('POST', `/handovers/${first.handoverId}/rejection`, RECEIVER, { reason: 'No capacity this month.' });
    const afterRejection = new Date().toISOString();
    const second = (await call('POST', '/handovers', SENDER, requestBody(caseId, { childIds: first.childIds }))).body;
    await call('POST', `/handovers/${second.handoverId}/receipt`, RECEIVER, {});
    await call('POST', `/handovers/${second.handoverId}/acceptance`, RECEIVER, {
      plannedStartDate: new Date().toISOString().slice(0, 10),
    });
    const acceptedNotStarted = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    const started = await call('POST', `/handovers/${second.handoverId}/start-confirmation`, RECEIVER, {});
    expect(started.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    const afterStart = new Date().toISOString();

    const at = async (moment: string) =>
      (await call('GET', `/cases/${caseId}/responsibility?at=${encodeURIComponent(moment)}`, SENDER)).body;
    expect((await at(afterRejection)).responsible.organisation).toBe(SENDER);
    expect((await at(acceptedNotStarted)).responsible.organisation).toBe(SENDER);
    expect((await at(afterStart)).responsible.organisation).toBe(RECEIVER);
    expect((await at(afterRejection)).unresolvedHandover).toMatchObject({
      handoverId: first.handoverId,
      status: 'rejected',
    });
    expect((await at(afterStart)).unresolvedHandover).toBeUndefined();
    const before = await call('GET', `/cases/${caseId}/responsibility?at=2020-01-01T00:00:00Z`, SENDER);
    expect(before.status).toBe(404);
    expect(before.body.detail).toMatch(/became known at/);
  });

  it('given a case with several steps, when its Kafka topic is read, then the messages are the timeline’s events in the same order', async () => {
    const { handoverId, caseId } = (await call('POST', '/handovers', SENDER, requestBody())).body as {
      handoverId: string;
      caseId: string;
    };
    await call('POST', `/handovers/${handoverId}/receipt`, RECEIVER, {});
    await call('POST', `/handovers/${handoverId}/contact-failure`, RECEIVER, {
      reason: 'Family did not come to the intake.',
    });
    await call('POST', `/handovers/${handoverId}/withdrawal`, SENDER, { reason: 'Family stays in the region.' });
    // The case's timeline also holds its care-chain lead negotiation (topic warm-handover.lead.v1).
    const timeline = ((await call('GET', `/cases/${caseId}/timeline`, SENDER)).body.events as Json[]).filter((e) =>
      String(e.type).startsWith('Handover'),
    );
    expect(timeline.map((e) => e.type)).toEqual([
      'HandoverRequested',
      'HandoverReceived',
      'HandoverContactFailed',
      'HandoverEscalated',
      'HandoverWithdrawn',
    ]);

    const kafka = new Kafka({
      clientId: 'e2e-reader',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `e2e-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'warm-handover.handover.v1', fromBeginning: true });
    const received: Json[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of ${timeline.length} messages arrived`)),
        60_000,
      );
      void consumer.run({
        eachMessage: ({ message }) => {
          if (message.key?.toString() === caseId) received.push(JSON.parse(message.value!.toString()) as Json);
          if (new Set(received.map((m) => m.eventId)).size >= timeline.length) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    const firstArrivals = received.filter((m, i) => received.findIndex((n) => n.eventId === m.eventId) === i);
    expect(firstArrivals.map((m) => m.eventId)).toEqual(timeline.map((e) => e.eventId));
    expect(JSON.stringify(firstArrivals)).not.toMatch(/Jan|BSN|straat/i);
  });

  it('given a withdrawn handover, when the sender records that it keeps the case, then the case no longer shows it as unresolved; the receiver may not decide that', async () => {
    const { handoverId, caseId } = (await call('POST', '/handovers', SENDER, requestBody())).body as {
      handoverId: string;
      caseId: string;
    };
    await call('POST', `/handovers/${handoverId}/withdrawal`, SENDER, { reason: 'The family stays in the region.' });
    const before = (await call('GET', `/cases/${caseId}/responsibility`, SENDER)).body;
    expect(before).toMatchObject({
      responsible: { organisation: SENDER },
      unresolvedHandover: { handoverId, status: 'withdrawn', sender: SENDER },
    });

    expect((await call('POST', `/cases/${caseId}/keep-decision`, RECEIVER, { reason: 'not ours' })).status).toBe(403);
    const kept = await call('POST', `/cases/${caseId}/keep-decision`, SENDER, {
      reason: 'We continue the help ourselves.',
    });
    expect(kept.status).toBe(200);
    const after = (await call('GET', `/cases/${caseId}/responsibility`, SENDER)).body;
    expect(after.unresolvedHandover).toBeUndefined();
    expect(after.responsible.organisation).toBe(SENDER);
    expect((await call('POST', `/cases/${caseId}/keep-decision`, SENDER, { reason: 'again' })).status).toBe(409);
  });
});
