import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SmtpCapture, startSmtpCapture } from '@warm-handover/infra';
import { findOrganisation } from '@warm-handover/domain';
import { runFamilyDemo } from '../../scripts/demo-family';
import { ApiClient, newChildId, providerToken } from '../support/api-client';
import { eventually } from '../support/notices';
import { startService, type RunningService } from '../support/service';

/** Veilig Thuis Zuid-Limburg and the municipality of Heerlen: the family of seed 003. */
const VT = 'vt-zuid-limburg';
const GEM = 'gemeente-heerlen';
const OUTSIDER = 'vt-kennemerland';

type Json = Record<string, any>;

/**
 * The family as the case (issue 14) through the running apps (api, worker, notifier) on the real
 * Temporal dev server, PostgreSQL and Kafka, DEMO_MODE: the re-assessment deadline is seconds.
 */
describe('the family: re-assessment, care avoidance, one overview (e2e)', () => {
  let dir: string;
  let smtp: SmtpCapture;
  let service: RunningService;
  let api: ApiClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'family-e2e-'));
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

  const family = (caseId: string, query = '') => api.get(VT, `/cases/${caseId}/family${query}`);
  const timeline = async (caseId: string) => (await api.get(VT, `/cases/${caseId}/timeline`)).body.events as Json[];
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('given the Heerlen family, when it moves, a new partner arrives, the re-assessment is late and the family avoids care, then it escalates, everyone is told, and the overview at three past moments is as written', async () => {
    const [c1, c2] = [newChildId(), newChildId()];
    const caseId = await api.openCase(VT, [c1, c2]);
    expect(
      (await api.post(VT, `/cases/${caseId}/involvements`, { organisation: GEM, reason: 'municipality' })).status,
    ).toBe(201);

    // The municipality proposes its own professional as case director; Veilig Thuis confirms.
    const proposal = await api.post(
      GEM,
      `/cases/${caseId}/family/director-proposals`,
      {
        organisation: GEM,
        professionalId: 'prof-h17',
      },
      `director-proposal-${caseId}`,
    );
    expect(proposal.status).toBe(201);
    const proposalId = proposal.body.events[0].data.proposalId as string;
    const confirmed = await api.post(VT, `/cases/${caseId}/family/director-proposals/${proposalId}/confirmation`, {});
    expect(confirmed.status).toBe(200);
    const directorSince = confirmed.body.events[0].data.confirmedAt as string;
    await pause(1100);
    const t1 = new Date().toISOString();
    await pause(1100);

    // The family moved yesterday; the municipality records it with a demo deadline of 4 seconds.
    const movedAt = new Date(Date.now() - 86_400_000).toISOString();
    const moved = await api.post(
      GEM,
      `/cases/${caseId}/family/changes`,
      { code: 'moved', occurredAt: movedAt, deadline: 'PT4S' },
      `family-move-${caseId}`,
    );
    expect(moved.status).toBe(201);
    const move = moved.body.events[0].data as Json;
    expect(move.reassessments).toEqual([{ organisation: VT, dueAt: expect.any(String), basis: 'working-days' }]);
    // The same Idempotency-Key answers the same, and records nothing twice.
    const again = await api.post(
      GEM,
      `/cases/${caseId}/family/changes`,
      { code: 'moved', occurredAt: movedAt, deadline: 'PT4S' },
      `family-move-${caseId}`,
    );
    expect(again.body).toEqual(moved.body);

    // Nobody re-assesses: it escalates to Veilig Thuis Zuid-Limburg's team lead.
    const escalation = await eventually('the re-assessment escalated', async () =>
      (await timeline(caseId)).find((e) => e.type === 'FamilyEscalated' && e.data.reason === 'reassessment-overdue'),
    );
    expect(escalation.data).toMatchObject({
      subjectId: move.changeId,
      level: 1,
      recipients: [{ organisation: VT, role: 'team-lead' }],
    });
    const t2 = new Date(Date.parse(escalation.data.escalatedAt) + 500).toISOString();
    await pause(1100);

    // A new partner arrives; Veilig Thuis re-assesses once, answering both changes.
    const partnerAt = new Date().toISOString();
    const partner = await api.post(GEM, `/cases/${caseId}/family/changes`, {
      code: 'new-partner',
      occurredAt: partnerAt,
    });
    expect(partner.status).toBe(201);
    const reassessed = await api.post(VT, `/cases/${caseId}/family/reassessments`, {
      outcome: 'unsafe-conditions-needed',
      documentRef: 'vtzl:dossier:2026-0042',
    });
    expect(reassessed.status).toBe(201);
    expect(reassessed.body.events[0].data.answers).toEqual([move.changeId, partner.body.events[0].data.changeId]);

    // The family does not show up, twice within 30 days: told at once, then the team leads too.
    const first = await api.post(GEM, `/cases/${caseId}/family/care-avoidance`, {
      code: 'no-show',
      occurredAt: new Date().toISOString(),
    });
    expect(first.body.events.map((e: Json) => e.type)).toEqual(['CareAvoidanceSignalled', 'FamilyEscalated']);
    const second = await api.post(GEM, `/cases/${caseId}/family/care-avoidance`, {
      code: 'refused-contact',
      occurredAt: new Date().toISOString(),
    });
    expect(second.body.events.map((e: Json) => [e.type, e.data.reason ?? e.data.code])).toEqual([
      ['CareAvoidanceSignalled', 'refused-contact'],
      ['FamilyEscalated', 'care-avoidance-signalled'],
      ['FamilyEscalated', 'care-avoidance-repeated'],
    ]);

    // Notices accounted for: every recipient of every family escalation has one. Veilig Thuis
    // Zuid-Limburg has no contact points in the demo seed, so each is recorded as failed at once
    // (unaddressable), which escalates it a rung up: never silent.
    const escalations = (await timeline(caseId)).filter((e) => e.type === 'FamilyEscalated');
    const expected = escalations.flatMap((e) =>
      (e.data.recipients as Json[]).map((r) => `${e.eventId} ${r.organisation} ${r.role}`),
    );
    expect(expected).toHaveLength(4);
    const notices = await eventually('a notice per recipient', async () => {
      const list = ((await api.get(VT, `/cases/${caseId}/notices`)).body.notices as Json[]).filter(
        (n) => n.causeType === 'FamilyEscalated',
      );
      return list.length === expected.length && list.every((n) => n.status !== 'pending') ? list : undefined;
    });
    expect(notices.map((n) => `${n.causeEventId} ${n.recipient.organisation} ${n.recipient.role}`).sort()).toEqual(
      expected.sort(),
    );
    expect(notices.map((n) => n.status)).toEqual(expected.map(() => 'failed'));

    // The overview at three past moments, as the system knew it then.
    const director = {
      proposalId,
      organisation: GEM,
      professionalId: 'prof-h17',
      proposedBy: GEM,
      confirmedBy: VT,
      since: directorSince,
    };
    const opened = (await timeline(caseId)).find((e) => e.type === 'CaseOpened')!.data.openedAt as string;
    const children = [
      { childId: c1, responsible: VT, since: opened },
      { childId: c2, responsible: VT, since: opened },
    ];
    const organisations = [
      { organisation: VT, bases: ['opened-the-case'], leads: [], responsibleFor: [c1, c2], caseDirector: false },
      {
        organisation: GEM,
        bases: ['involved-by-a-party'],
        reasons: ['municipality'],
        leads: [],
        responsibleFor: [],
        caseDirector: true,
      },
    ];
    const at = (t: string) => family(caseId, `?at=${t}&asRecordedAt=${t}`);

    expect((await at(t1)).body).toEqual({
      caseId,
      at: t1,
      asRecordedAt: t1,
      basis: 'effective-time',
      children,
      organisations,
      leads: {},
      caseDirector: director,
      changes: [],
      latestAssessments: [],
      signals: { count: 0, windowDays: 30, inWindow: 0, list: [] },
      goals: [],
    });

    const moveView = (state: string, level: number, answered?: Json) => ({
      changeId: move.changeId,
      code: 'moved',
      occurredAt: movedAt,
      recordedBy: GEM,
      recordedAt: move.recordedAt,
      reassessed: state === 'reassessed',
      reassessments: [
        {
          organisation: VT,
          dueAt: move.reassessments[0].dueAt,
          basis: 'working-days',
          state,
          ...answered,
          escalationLevel: level,
        },
      ],
    });
    expect((await at(t2)).body).toEqual({
      caseId,
      at: t2,
      asRecordedAt: t2,
      basis: 'effective-time',
      children,
      organisations,
      leads: {},
      caseDirector: director,
      changes: [moveView('overdue', 1)],
      latestAssessments: [],
      signals: { count: 0, windowDays: 30, inWindow: 0, list: [] },
      goals: [],
    });

    const t3 = new Date().toISOString();
    const assessment = reassessed.body.events[0].data as Json;
    const answered = {
      assessedAt: assessment.assessedAt,
      outcome: 'unsafe-conditions-needed',
      documentRef: 'vtzl:dossier:2026-0042',
    };
    const now = (await at(t3)).body;
    expect(now).toEqual({
      caseId,
      at: t3,
      asRecordedAt: t3,
      basis: 'effective-time',
      children,
      organisations,
      leads: {},
      caseDirector: director,
      changes: [
        moveView('reassessed', 1, answered),
        {
          changeId: partner.body.events[0].data.changeId,
          code: 'new-partner',
          occurredAt: partnerAt,
          recordedBy: GEM,
          recordedAt: partner.body.events[0].data.recordedAt,
          reassessed: true,
          reassessments: [
            {
              organisation: VT,
              dueAt: partner.body.events[0].data.reassessments[0].dueAt,
              basis: 'working-days',
              state: 'reassessed',
              ...answered,
              escalationLevel: 0,
            },
          ],
        },
      ],
      latestAssessments: [{ organisation: VT, ...answered }],
      signals: {
        count: 2,
        windowDays: 30,
        inWindow: 2,
        list: [first.body.events[0].data, second.body.events[0].data].map(({ caseId: _c, ...s }: Json) => s),
      },
      goals: [],
    });
    // Not a party: 404, as for a case that does not exist.
    expect((await api.get(OUTSIDER, `/cases/${caseId}/family`)).status).toBe(404);
  });

  it('given free text that looks like a name, BSN or address where a code or reference is expected, when recorded, then 422 personal-data and nothing is recorded', async () => {
    const caseId = await api.openCase(VT, [newChildId()]);
    await api.post(VT, `/cases/${caseId}/involvements`, { organisation: GEM, reason: 'municipality' });
    const before = (await timeline(caseId)).length;
    const now = new Date().toISOString();
    const attempts: [string, Json][] = [
      ['changes', { code: 'Jan Jansen', occurredAt: now }],
      ['changes', { code: 'moved naar Kerkstraat 12', occurredAt: now }],
      ['care-avoidance', { code: '111222333', occurredAt: now }],
      ['reassessments', { outcome: 'safe', documentRef: 'j.jansen@example.nl' }],
      ['reassessments', { outcome: 'safe', documentRef: 'gesprek met moeder' }],
      ['goals', { code: 'school-attendance', label: 'bezoek Kerkstraat 12', targetDate: '2099-01-01', owner: VT }],
      ['goals', { code: 'Piet de Vries', targetDate: '2099-01-01', owner: VT }],
      ['director-proposals', { organisation: GEM, professionalId: '123456782' }],
    ];
    for (const [path, body] of attempts) {
      const answer = await api.post(VT, `/cases/${caseId}/family/${path}`, body);
      expect({ path, body, status: answer.status, type: answer.body.type }).toEqual({
        path,
        body,
        status: 422,
        type: '/problems/personal-data',
      });
    }
    const unknown = await api.post(VT, `/cases/${caseId}/family/changes`, { code: 'divorce', occurredAt: now });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toMatch(/code must be one of moved, new-partner/);
    expect((await timeline(caseId)).length).toBe(before);
  });

  it('given the narrated demo of the Heerlen family, when it runs through HTTP, then it tells in Dutch how the re-assessment escalated, the signals, and who is involved', async () => {
    const lines: string[] = [];
    const { caseId } = await runFamilyDemo({
      baseUrl: service.baseUrl,
      say: (line) => lines.push(line),
      token: (organisation) => providerToken(organisation),
      name: (organisation) => findOrganisation(organisation)?.name ?? organisation,
      mailDir: smtp.dir,
    });
    const text = lines.join('\n');
    expect(text).toMatch(/Te laat: de herbeoordeling escaleert naar de teamleider van Veilig Thuis Zuid-Limburg/);
    expect(text).toMatch(/Regisseur: regisseur-\w+ van Gemeente Heerlen/);
    expect(text).toMatch(
      /verhuisd .*Veilig Thuis Zuid-Limburg opnieuw ingeschat — onveilig, voorwaarden nodig, geëscaleerd tot teamleider/,
    );
    expect(text).toMatch(/Signalen van zorgmijding: 2 \(2 in de laatste 30 dagen\)/);
    for (const org of ['Gemeente Heerlen', 'Yulius']) expect(text).toContain(`    ${org}: betrokken door een partij`);
    const overview = await family(caseId);
    expect(overview.body.organisations.map((o: Json) => o.organisation)).toEqual([
      VT,
      GEM,
      'politie-limburg',
      'ggz-yulius',
    ]);
  });
});
