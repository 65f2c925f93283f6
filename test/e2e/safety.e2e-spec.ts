import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpCapture, type SmtpCapture } from '@warm-handover/infra';
import { addWorkingDays, ESCALATION_ROLES, safetyAssessmentDueAt, safetyAssessmentWarnAt } from '@warm-handover/domain';
import { ApiClient } from '../support/api-client';
import { eventually } from '../support/notices';
import { startService, type RunningService } from '../support/service';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const MUNICIPALITY = 'gemeente-haarlemmermeer';
const INSPECTORATE = 'inspectie-gezondheidszorg-en-jeugd';

type Json = Record<string, any>;
/** The team mailboxes DEMO_MODE seeds per rung (apps/api/src/contact-points/contact-points.seed.ts). */
const MAILBOX = { professional: 'meldingen', 'team-lead': 'teamleiding', manager: 'management', director: 'bestuur' };
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Issue 15 through the running apps (api, worker, notifier with a real SMTP server; DEMO_MODE
 * seeds the Kennemerland and Amsterdam team mailboxes): a Veilig Thuis Kennemerland case from its
 * reports to a handover, with a safety agreement that is broken and whose monitor role moves with
 * the handover; statutory terms met, warned and missed, and who was told what; the management
 * figures of that period equal the ones counted by hand below, as JSON, CSV and HTML, for the
 * region's managers and inspectors.
 */
describe('safety agreements, statutory terms and management figures (e2e)', () => {
  let dir: string;
  let smtp: SmtpCapture;
  let service: RunningService;
  let api: ApiClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'safety-e2e-'));
    smtp = await startSmtpCapture(join(dir, 'mail'));
    service = await startService(
      { DEMO_MODE: 'true', SMTP_URL: smtp.url, NOTICE_RETRY_INITIAL_SECONDS: '1', NOTICE_RETRY_MAX_SECONDS: '2' },
      { notifier: true },
    );
    api = new ApiClient(service.baseUrl);
  });
  afterAll(async () => {
    await service?.stop();
    await smtp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const ok = async (answer: Promise<{ status: number; text: string; body: any }>, status = 200) => {
    const a = await answer;
    if (a.status !== status) throw new Error(`expected ${status}, got ${a.status}: ${a.text}`);
    return a.body as Json;
  };

  it('given a scripted Veilig Thuis case, when reports, an agreement and a handover run their course, then terms, breach, monitor role and the figures are as counted by hand', async () => {
    const now = Date.now();
    const caseId = await api.openCase(KEN, ['child-k1', 'child-k2']);
    await ok(
      api.post(KEN, `/cases/${caseId}/involvements`, { organisation: MUNICIPALITY, reason: 'municipality' }),
      201,
    );

    // Report A: assessed within the term, investigation finished after 10 weeks (missed).
    const receivedA = now - 100 * DAY;
    const a = await ok(
      api.post(KEN, `/cases/${caseId}/meldingen`, { reporterKind: 'professional', receivedAt: iso(receivedA) }),
      201,
    );
    expect(a.assessment.dueAt).toBe(addWorkingDays(new Date(receivedA), 5).toISOString());
    await ok(
      api.post(KEN, `/meldingen/${a.meldingId}/safety-assessment`, {
        outcome: 'investigation',
        completedAt: iso(receivedA + 3_600_000),
      }),
    );
    await ok(
      api.post(KEN, `/meldingen/${a.meldingId}/reporter-informed`, {
        about: 'safety-assessment',
        informedAt: iso(receivedA + 7_200_000),
      }),
    );
    const investigating = await ok(
      api.post(KEN, `/meldingen/${a.meldingId}/investigation`, { startedAt: iso(receivedA + 7_200_000) }),
    );
    expect(investigating.investigation.status).toBe('overdue');
    const investigated = await ok(
      api.post(KEN, `/meldingen/${a.meldingId}/investigation-completion`, { outcome: 'abuse-established' }),
    );
    expect([investigated.assessment.status, investigated.investigation.status]).toEqual(['met', 'missed']);

    // Report B: received an hour ago, assessed and investigated at once (both met).
    const b = await ok(
      api.post(KEN, `/cases/${caseId}/meldingen`, { reporterKind: 'police', receivedAt: iso(now - 3_600_000) }),
      201,
    );
    await ok(api.post(KEN, `/meldingen/${b.meldingId}/safety-assessment`, { outcome: 'investigation' }));
    await ok(api.post(KEN, `/meldingen/${b.meldingId}/investigation`, {}));
    await ok(api.post(KEN, `/meldingen/${b.meldingId}/investigation-completion`, { outcome: 'no-abuse' }));

    // Report C: received 30 days ago and never assessed: its passed term escalates at once to the manager.
    const c = await ok(
      api.post(KEN, `/cases/${caseId}/meldingen`, { reporterKind: 'citizen', receivedAt: iso(now - 30 * DAY) }),
      201,
    );
    const escalated = await until('the passed term to escalate', async () => {
      const view = await ok(api.get(KEN, `/meldingen/${c.meldingId}`));
      return view.assessment.escalationLevel === 2 ? view : undefined;
    });
    expect(escalated.assessment.status).toBe('overdue');
    expect((escalated.history as Json[]).find((e) => e.type === 'StatutoryTermEscalated')?.data.recipients).toEqual([
      expect.objectContaining({ organisation: KEN, role: 'manager' }),
    ]);
    // Another Veilig Thuis, not a party, cannot see the report; the municipality reads but cannot act.
    expect((await api.get(AMS, `/meldingen/${c.meldingId}`)).status).toBe(404);
    expect(
      (await api.post(MUNICIPALITY, `/meldingen/${c.meldingId}/safety-assessment`, { outcome: 'advice-given' })).status,
    ).toBe(403);

    // Report D: received so long ago that its warning is due but its term is not: the team lead is warned.
    let receivedD = now - 3_600_000;
    while (!(Date.parse(safetyAssessmentWarnAt(iso(receivedD))) < now - 60_000)) receivedD -= 3_600_000;
    expect(Date.parse(safetyAssessmentDueAt(iso(receivedD)))).toBeGreaterThan(now + 3 * 3_600_000);
    const d = await ok(
      api.post(KEN, `/cases/${caseId}/meldingen`, { reporterKind: 'anonymous', receivedAt: iso(receivedD) }),
      201,
    );
    const warnedD = await until('the team lead to be warned', async () => {
      const view = await ok(api.get(KEN, `/meldingen/${d.meldingId}`));
      return (view.history as Json[]).find((e) => e.type === 'StatutoryTermWarned');
    });
    expect(warnedD.data.recipients).toEqual([expect.objectContaining({ organisation: KEN, role: 'team-lead' })]);

    // A safety agreement monitored by Kennemerland, refused first with a name in it.
    const tomorrow = iso(now + DAY).slice(0, 10);
    const nextWeek = iso(now + 8 * DAY).slice(0, 10);
    const named = await api.post(KEN, `/cases/${caseId}/safety-agreements`, {
      code: 'other',
      description: 'Vader mag niet bij Anna komen',
      memberIds: ['child-k1'],
      monitor: { organisation: KEN, role: 'professional' },
      moments: [tomorrow],
    });
    expect([named.status, named.body.type]).toEqual([422, '/problems/personal-data']);
    const agreement = await ok(
      api.post(KEN, `/cases/${caseId}/safety-agreements`, {
        code: 'no-contact-with-suspect',
        memberIds: ['child-k1', 'parent-p1'],
        monitor: { organisation: KEN, role: 'professional' },
        moments: [tomorrow, nextWeek],
      }),
      201,
    );
    const broken = await ok(
      api.post(KEN, `/safety-agreements/${agreement.agreementId}/results`, {
        moment: tomorrow,
        outcome: 'not-kept',
        effects: [
          { memberId: 'child-k1', effect: 'unsafe' },
          { memberId: 'parent-p1', effect: 'unchanged' },
        ],
      }),
    );
    expect(broken.moments[0]).toMatchObject({ moment: tomorrow, outcome: 'not-kept' });
    const breach = ((await ok(api.get(KEN, `/safety-agreements/${agreement.agreementId}`))).history as Json[]).find(
      (e) => e.type === 'SafetyAgreementBreachReported',
    );
    expect(breach?.data).toMatchObject({
      responsibleOrg: KEN,
      recipients: [
        { organisation: KEN, role: 'professional' },
        { organisation: KEN, role: 'team-lead' },
      ],
    });

    // Child k2 handed to Amsterdam and rejected (awaiting the sender's decision); k1 handed over and started.
    const h2 = await ok(
      api.post(KEN, '/handovers', { caseId, childIds: ['child-k2'], toOrg: AMS, reason: 'family-moved' }),
      201,
    );
    await ok(api.post(AMS, `/handovers/${h2.handoverId}/rejection`, { reason: 'niet onze regio' }));
    const h1 = await ok(
      api.post(KEN, '/handovers', { caseId, childIds: ['child-k1'], toOrg: AMS, reason: 'family-moved' }),
      201,
    );
    await ok(api.post(AMS, `/handovers/${h1.handoverId}/receipt`, {}));
    await ok(api.post(AMS, `/handovers/${h1.handoverId}/acceptance`, { plannedStartDate: iso(now).slice(0, 10) }));
    await ok(api.post(AMS, `/handovers/${h1.handoverId}/start-confirmation`, {}));

    // Nobody decided on the monitor role: Amsterdam inherits it, recorded as such.
    const moved = await until('the monitor role to move', async () => {
      const view = await ok(api.get(AMS, `/safety-agreements/${agreement.agreementId}`));
      return view.monitor.organisation === AMS ? view : undefined;
    });
    expect((moved.history as Json[]).find((e) => e.type === 'MonitorRoleTransferred')?.data).toMatchObject({
      basis: 'inherited-at-start',
      handoverId: h1.handoverId,
      from: { organisation: KEN },
      to: { organisation: AMS, role: 'professional' },
    });
    // The statutory clock of report C did not stop for the handover.
    expect((await ok(api.get(KEN, `/meldingen/${c.meldingId}`))).assessment.status).toBe('overdue');

    // The figures of Kennemerland from 120 days ago to 30 days ahead, counted by hand:
    // assessments due in the period: A met, B met (due in 5 working days), C overdue → 2 of 3;
    // investigations due: A missed (B's term ends after the period) → 0 of 1; no open handover
    // (k1 started, k2 rejected: awaiting a decision); two moments, one not kept, none missed yet;
    // the care-chain negotiation of two regions opened by the handover, unresolved; no mismatch.
    const from = iso(now - 120 * DAY).slice(0, 10);
    const to = iso(now + 30 * DAY).slice(0, 10);
    const path = `/management-figures?region=${KEN}&from=${from}&to=${to}`;
    const expected = {
      safetyAssessments: { due: 3, onTime: 2, late: 1, share: 2 / 3, norm: 0.9, meetsNorm: false },
      investigations: { due: 1, onTime: 0, late: 1, share: 0, norm: 0.8, meetsNorm: false },
      openHandovers: { total: 0, byAge: { '0-2': 0, '3-5': 0, '6-10': 0, '11+': 0 }, byLevel: [0, 0, 0, 0] },
      rejectedAwaitingDecision: 1,
      monitoringMoments: { total: 2, missed: 0, notKept: 1 },
      leadNegotiationsUnresolved: 1,
      mismatches: 0,
    };
    const figures = await until('the figures to follow the events', async () => {
      const answer = await api.send({ path, as: KEN, role: 'manager' });
      const body = answer.body as Json;
      return answer.status === 200 &&
        body.monitoringMoments.notKept === 1 &&
        body.leadNegotiationsUnresolved === 1 &&
        body.rejectedAwaitingDecision === 1
        ? body
        : undefined;
    });
    expect(figures).toMatchObject({ scope: { region: KEN }, ...expected });

    const municipal = await api.send({
      path: `/management-figures?municipality=${MUNICIPALITY}&from=${from}&to=${to}`,
      as: MUNICIPALITY,
      role: 'director',
    });
    expect(municipal.body).toMatchObject(expected);
    const csv = await api.send({ path: `${path}&format=csv`, as: INSPECTORATE, role: 'inspector' });
    expect(csv.contentType).toMatch(/text\/csv/);
    expect(csv.text).toContain('safetyAssessments.due,3');
    expect(csv.text).toContain('rejectedAwaitingDecision,1');
    const html = await api.send({ path: `${path}&format=html`, as: KEN, role: 'director' });
    expect(html.contentType).toMatch(/text\/html/);
    expect(html.text).toContain('Managementinformatie Veilig Thuis Kennemerland');
    expect(html.text).toContain('<svg');
    expect(html.text).toMatch(/66[.,]7 %/);

    // A professional, or a manager of another region, does not see Kennemerland's figures.
    expect((await api.send({ path, as: KEN, role: 'professional' })).status).toBe(403);
    expect((await api.send({ path, as: AMS, role: 'manager' })).status).toBe(403);

    // Who was told what: every recipient of every warning, passed term and broken agreement has a
    // notice (reminders at the top repeat by themselves), delivered to its team mailbox.
    const causes = ((await ok(api.get(KEN, `/cases/${caseId}/timeline`))).events as Json[]).filter(
      (e) =>
        ['StatutoryTermWarned', 'SafetyAgreementBreachReported'].includes(e.type) ||
        (['StatutoryTermEscalated', 'MonitoringEscalated'].includes(e.type) && e.data.repeat === 0),
    );
    const expectedNotices = causes.flatMap((e) =>
      (e.data.recipients as Json[]).map((r) => `${e.type} ${e.eventId} ${r.organisation} ${r.role}`),
    );
    expect(expectedNotices).toEqual(
      expect.arrayContaining([
        `StatutoryTermWarned ${warnedD.eventId} ${KEN} team-lead`,
        `SafetyAgreementBreachReported ${breach!.eventId} ${KEN} professional`,
        `SafetyAgreementBreachReported ${breach!.eventId} ${KEN} team-lead`,
        expect.stringMatching(new RegExp(`^StatutoryTermEscalated \\S+ ${KEN} manager$`)),
      ]),
    );
    const kinds = new Set(causes.map((e) => e.type));
    const notices = await eventually(
      'a delivered notice per recipient',
      async () => {
        const list = ((await ok(api.get(KEN, `/cases/${caseId}/notices`))).notices as Json[]).filter((n) =>
          kinds.has(n.causeType),
        );
        return list.length === expectedNotices.length && list.every((n) => n.status === 'sent') ? list : undefined;
      },
      90_000,
    );
    expect(
      notices.map((n) => `${n.causeType} ${n.causeEventId} ${n.recipient.organisation} ${n.recipient.role}`).sort(),
    ).toEqual([...expectedNotices].sort());
    // Each at its own rung: the team lead's notice of the broken agreement stands at level 1.
    for (const n of notices) expect(n.level).toBe(ESCALATION_ROLES.indexOf(n.recipient.role));

    const mails = smtp.messages().filter((m) => m.text.includes(caseId));
    const mailTo = (role: keyof typeof MAILBOX, subject: string) =>
      mails.filter((m) => m.to.includes(`${MAILBOX[role]}@${KEN}.example`) && m.subject.includes(subject));
    expect(mailTo('team-lead', 'wettelijke termijn melding verloopt bijna')).toHaveLength(1);
    expect(mailTo('manager', 'wettelijke termijn melding verstreken').length).toBeGreaterThanOrEqual(1);
    const [toLead] = mailTo('team-lead', 'veiligheidsafspraak niet nagekomen');
    const [toProfessional] = mailTo('professional', 'veiligheidsafspraak niet nagekomen');
    expect(toLead?.subject).toBe(`[Bericht, niveau 1] veiligheidsafspraak niet nagekomen — casus ${caseId}`);
    expect(toProfessional?.subject).toBe(`[Bericht] veiligheidsafspraak niet nagekomen — casus ${caseId}`);
    expect(toLead?.text).toContain(`/app/casussen/${caseId}`);
    // No personal data: nothing of the agreement's members, only pseudonymous ids and codes.
    for (const mail of mails) expect(mail.text).not.toMatch(/child-k1|parent-p1/);
  });
});
