import { createTestDatabase, type TestDatabase, withClient } from '../../../../test/support/database';
import { testEvent } from '../../../../test/support/events';
import { EventStore } from '../event-store/event-store';
import { managementFigures } from './management-figures.query';
import { projectManagementFigures, rebuildManagementFigures } from './management-figures.projector';

const KEN = 'vt-kennemerland';
const HMM = 'gemeente-haarlemmermeer';

/**
 * A small Veilig Thuis Kennemerland year in events, projected and asked for figures that were
 * counted by hand; then rebuilt from scratch and compared with the live read model.
 */
describe('management figures read model (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
    const e = testEvent;
    await store.append('case-c1', [
      e('CaseOpened', { caseId: 'c1', openedBy: KEN, childIds: ['k1'], openedAt: '2026-03-01T09:00:00Z' }, 'c1'),
    ]);
    await store.append(
      'case-c1',
      [
        e(
          'PartyInvolved',
          {
            caseId: 'c1',
            organisation: HMM,
            reason: 'municipality',
            involvedBy: KEN,
            involvedAt: '2026-03-01T09:10:00Z',
          },
          'c1',
        ),
      ],
      { expectedVersion: 1 },
    );
    // Three reports: assessed in time, assessed late, and one overdue still open at the end of March.
    const melding = (id: string, receivedAt: string, dueAt: string) =>
      e(
        'MeldingReceived',
        {
          meldingId: id,
          caseId: 'c1',
          veiligThuis: KEN,
          reporterKind: 'professional',
          receivedAt,
          assessmentDueAt: dueAt,
          ladder: [],
        },
        'c1',
      );
    await store.append('melding-m1', [
      melding('m1', '2026-03-02T09:00:00Z', '2026-03-09T09:00:00Z'),
      e(
        'SafetyAssessmentCompleted',
        {
          meldingId: 'm1',
          caseId: 'c1',
          outcome: 'investigation',
          completedAt: '2026-03-05T09:00:00Z',
          dueAt: '2026-03-09T09:00:00Z',
          withinTerm: true,
        },
        'c1',
      ),
      e(
        'InvestigationStarted',
        { meldingId: 'm1', caseId: 'c1', startedAt: '2026-03-06T09:00:00Z', dueAt: '2026-05-15T09:00:00Z' },
        'c1',
      ),
      e(
        'InvestigationCompleted',
        {
          meldingId: 'm1',
          caseId: 'c1',
          outcome: 'abuse-established',
          completedAt: '2026-05-20T09:00:00Z',
          dueAt: '2026-05-15T09:00:00Z',
          withinTerm: false,
        },
        'c1',
      ),
    ]);
    await store.append('melding-m2', [
      melding('m2', '2026-03-10T09:00:00Z', '2026-03-17T09:00:00Z'),
      e(
        'SafetyAssessmentCompleted',
        {
          meldingId: 'm2',
          caseId: 'c1',
          outcome: 'advice-given',
          completedAt: '2026-03-18T09:00:00Z',
          dueAt: '2026-03-17T09:00:00Z',
          withinTerm: false,
        },
        'c1',
      ),
    ]);
    await store.append('melding-m3', [melding('m3', '2026-03-20T09:00:00Z', '2026-03-27T09:00:00Z')]);
    // One agreement with two moments in March: one escalated (missed), one not kept.
    await store.append('safety-a1', [
      e(
        'SafetyAgreementMade',
        {
          agreementId: 'a1',
          caseId: 'c1',
          code: 'no-contact-with-suspect',
          memberIds: ['k1'],
          monitor: { organisation: 'lokaal-team-haarlemmermeer', role: 'professional', ladder: [] },
          moments: ['2026-03-13', '2026-03-20'],
          madeBy: KEN,
          madeAt: '2026-03-06T09:00:00Z',
        },
        'c1',
      ),
      e(
        'MonitoringEscalated',
        {
          agreementId: 'a1',
          caseId: 'c1',
          moment: '2026-03-13',
          level: 1,
          repeat: 0,
          escalatedAt: '2026-03-16T08:00:00Z',
        },
        'c1',
      ),
      e(
        'MonitoringResultRecorded',
        {
          agreementId: 'a1',
          caseId: 'c1',
          moment: '2026-03-20',
          outcome: 'not-kept',
          recordedAt: '2026-03-20T15:00:00Z',
        },
        'c1',
      ),
    ]);
    // Handovers: one open and escalated to level 2, one rejected without a decision.
    await store.append('handover-h1', [
      e(
        'HandoverRequested',
        {
          handoverId: 'h1',
          caseId: 'c1',
          fromOrg: KEN,
          toOrg: 'vt-amsterdam-amstelland',
          requestedAt: '2026-03-25T09:00:00Z',
        },
        'c1',
      ),
      e(
        'HandoverEscalated',
        { handoverId: 'h1', caseId: 'c1', level: 1, reason: 'receipt-overdue', escalatedAt: '2026-03-26T09:00:00Z' },
        'c1',
      ),
      e(
        'HandoverEscalated',
        { handoverId: 'h1', caseId: 'c1', level: 2, reason: 'receipt-overdue', escalatedAt: '2026-03-27T09:00:00Z' },
        'c1',
      ),
    ]);
    await store.append('handover-h2', [
      e(
        'HandoverRequested',
        {
          handoverId: 'h2',
          childIds: ['k2'],
          caseId: 'c1',
          fromOrg: KEN,
          toOrg: 'lokaal-team-haarlemmermeer',
          requestedAt: '2026-03-11T09:00:00Z',
        },
        'c1',
      ),
      e(
        'HandoverRejected',
        { handoverId: 'h2', caseId: 'c1', reason: 'geen capaciteit', rejectedAt: '2026-03-12T09:00:00Z' },
        'c1',
      ),
    ]);
    await store.append('lead-n1', [
      e(
        'LeadNegotiationOpened',
        {
          negotiationId: 'n1',
          caseId: 'c1',
          chain: 'care',
          parties: [KEN, 'vt-amsterdam-amstelland'],
          openedAt: '2026-03-25T10:00:00Z',
        },
        'c1',
      ),
      // Agreed in April, renegotiated after a move, decided in May.
      e(
        'LeadAgreed',
        { negotiationId: 'n1', caseId: 'c1', chain: 'care', round: 1, lead: KEN, agreedAt: '2026-04-02T10:00:00Z' },
        'c1',
      ),
      e(
        'LeadRenegotiationOpened',
        {
          negotiationId: 'n1',
          caseId: 'c1',
          chain: 'care',
          round: 2,
          reason: 'gezin verhuisd',
          openedBy: KEN,
          leadInForce: KEN,
          deadlineAt: '2026-04-27T10:00:00Z',
          openedAt: '2026-04-20T10:00:00Z',
        },
        'c1',
      ),
      e(
        'LeadDecided',
        { negotiationId: 'n1', caseId: 'c1', chain: 'care', round: 2, lead: KEN, decidedAt: '2026-05-10T10:00:00Z' },
        'c1',
      ),
    ]);
    await store.append(
      'case-c1',
      [
        e(
          'LeadRegionMismatch',
          { caseId: 'c1', careLead: KEN, safetyLead: 'politie-amsterdam', detectedAt: '2026-03-28T10:00:00Z' },
          'c1',
        ),
      ],
      { expectedVersion: 2 },
    );
    while ((await projectManagementFigures(db.dataSource, store)) > 0);
  });
  afterAll(() => db?.drop());

  const march = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', now: '2026-06-01T00:00:00Z' };

  it('given March of Kennemerland, when the figures are asked, then they equal the hand count', async () => {
    const f = await managementFigures(db.dataSource, { scope: { region: KEN }, ...march });
    // Due in March: m1 (on time), m2 (late), m3 (overdue at the end of March): 1 of 3.
    expect(f.safetyAssessments).toMatchObject({ due: 3, onTime: 1, late: 2, norm: 0.9, meetsNorm: false });
    expect(f.safetyAssessments.share).toBeCloseTo(1 / 3);
    expect(f.investigations.due).toBe(0);
    expect(f.openHandovers).toEqual({
      total: 1,
      byAge: { '0-2': 0, '3-5': 0, '6-10': 1, '11+': 0 },
      byLevel: [0, 0, 1, 0],
    });
    expect(f.rejectedAwaitingDecision).toBe(1);
    expect(f.monitoringMoments).toEqual({ total: 2, missed: 1, notKept: 1 });
    expect(f.leadNegotiationsUnresolved).toBe(1);
    expect(f.mismatches).toBe(1);
  });

  it('given May, when asked for the municipality, then the late investigation counts against the 80 % norm', async () => {
    const f = await managementFigures(db.dataSource, {
      scope: { municipality: HMM },
      from: '2026-05-01T00:00:00Z',
      to: '2026-06-01T00:00:00Z',
      now: '2026-06-01T00:00:00Z',
    });
    expect(f.investigations).toMatchObject({ due: 1, onTime: 0, late: 1, share: 0, norm: 0.8, meetsNorm: false });
  });

  it('given a lead agreed in April and renegotiated, when past periods are asked, then the negotiation is unresolved exactly while a round was open', async () => {
    const unresolvedAt = async (to: string) =>
      (
        await managementFigures(db.dataSource, {
          scope: { region: KEN },
          from: '2026-03-01T00:00:00Z',
          to,
          now: '2026-06-01T00:00:00Z',
        })
      ).leadNegotiationsUnresolved;
    expect(await unresolvedAt('2026-04-01T00:00:00Z')).toBe(1); // round 1 open
    expect(await unresolvedAt('2026-04-10T00:00:00Z')).toBe(0); // agreed on 2 April
    expect(await unresolvedAt('2026-05-01T00:00:00Z')).toBe(1); // renegotiated on 20 April
    expect(await unresolvedAt('2026-06-01T00:00:00Z')).toBe(0); // decided on 10 May
  });

  it('given another region, when asked, then it sees nothing of Kennemerland', async () => {
    const f = await managementFigures(db.dataSource, { scope: { region: 'vt-utrecht' }, ...march });
    expect([f.safetyAssessments.due, f.openHandovers.total, f.monitoringMoments.total]).toEqual([0, 0, 0]);
  });

  it('given the live read model, when rebuilt from scratch, then it is proven equal; a live row changed behind its back is found and repaired', async () => {
    const equal = await rebuildManagementFigures(db.dataSource, store);
    expect(equal.equal).toBe(true);
    expect(equal.rows.terms).toBe(4);
    expect(equal.rows.lead_rounds).toBe(2);
    await withClient(db.url, (c) => c.query(`UPDATE mi_terms SET completed_at = NULL WHERE melding_id = 'm2'`));
    const repaired = await rebuildManagementFigures(db.dataSource, store);
    expect(repaired.equal).toBe(false);
    expect(repaired.differences.terms).toEqual({ onlyLive: 1, onlyRebuilt: 1 });
    expect((await rebuildManagementFigures(db.dataSource, store)).equal).toBe(true);
  });
});
