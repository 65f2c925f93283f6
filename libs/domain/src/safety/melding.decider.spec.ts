import { DeciderSpecification } from '../shared/decider-specification';
import type { LadderStep } from '../organisations/organisation';
import { decideMelding, evolveMelding, initialMeldingState, termStatus } from './melding.decider';
import type { MeldingEvent, MeldingReceived } from './melding.events';

const spec = DeciderSpecification.for({
  decide: decideMelding,
  evolve: evolveMelding,
  initialState: initialMeldingState,
});
const ladder: LadderStep[] = [
  { level: 0, role: 'professional', title: 'Medewerker' },
  { level: 1, role: 'team-lead', title: 'Teamleider' },
  { level: 2, role: 'manager', title: 'Manager' },
  { level: 3, role: 'director', title: 'Directeur-bestuurder' },
];
const vt = { subject: 'ps-1', organisation: 'vt-kennemerland', role: 'professional' };
const system = { subject: 'system:timer', organisation: 'warm-handover', role: 'system' };
const received: MeldingReceived = {
  type: 'MeldingReceived',
  data: {
    meldingId: 'm-1',
    caseId: 'case-1',
    veiligThuis: 'vt-kennemerland',
    reporterKind: 'professional',
    receivedAt: '2026-04-22T10:00:00.000Z',
    assessmentDueAt: '2026-04-30T10:00:00.000Z',
    ladder,
  },
};
const assessed = (completedAt: string, outcome: 'investigation' | 'advice-given' = 'investigation'): MeldingEvent => ({
  type: 'SafetyAssessmentCompleted',
  data: {
    meldingId: 'm-1',
    caseId: 'case-1',
    outcome,
    completedAt,
    dueAt: '2026-04-30T10:00:00.000Z',
    withinTerm: Date.parse(completedAt) <= Date.parse('2026-04-30T10:00:00.000Z'),
  },
});

describe('melding decider (R8 statutory terms)', () => {
  it('given nothing, when Veilig Thuis records a report, then it is received with the assessment due', () => {
    spec
      .given([])
      .when({
        type: 'ReceiveMelding',
        actor: vt,
        now: '2026-04-22T10:05:00.000Z',
        meldingId: 'm-1',
        caseId: 'case-1',
        reporterKind: 'professional',
        receivedAt: '2026-04-22T10:00:00.000Z',
        assessmentDueAt: '2026-04-30T10:00:00.000Z',
        ladder,
      })
      .then([received]);
  });

  it('given a report, when the assessment is completed on the due day, then it is within the term; a second later it is not', () => {
    spec
      .given([received])
      .when({
        type: 'CompleteSafetyAssessment',
        actor: vt,
        now: '2026-05-01T00:00:00.000Z',
        outcome: 'investigation',
        completedAt: '2026-04-30T10:00:00.000Z',
      })
      .then([assessed('2026-04-30T10:00:00.000Z')]);
    const [late] = spec
      .given([received])
      .when({
        type: 'CompleteSafetyAssessment',
        actor: vt,
        now: '2026-05-01T00:00:00.000Z',
        outcome: 'investigation',
        completedAt: '2026-04-30T10:00:01.000Z',
      })
      .events();
    expect(late?.type === 'SafetyAssessmentCompleted' && late.data.withinTerm).toBe(false);
  });

  it('given a report, when another organisation completes the assessment, then it is forbidden', () => {
    spec
      .given([received])
      .when({
        type: 'CompleteSafetyAssessment',
        actor: { ...vt, organisation: 'vt-amsterdam-amstelland' },
        now: '2026-04-23T10:00:00.000Z',
        outcome: 'advice-given',
        completedAt: '2026-04-23T10:00:00.000Z',
      })
      .thenRefused('forbidden', /vt-kennemerland/);
  });

  it('given an assessment that decided advice, when an investigation is started, then it is a wrong state', () => {
    spec
      .given([received, assessed('2026-04-23T10:00:00.000Z', 'advice-given')])
      .when({
        type: 'StartInvestigation',
        actor: vt,
        now: '2026-04-24T10:00:00.000Z',
        startedAt: '2026-04-24T10:00:00.000Z',
        dueAt: '2026-07-03T10:00:00.000Z',
      })
      .thenRefused('wrong-state', /decided on one/);
  });

  it('given a running assessment, when the reporter is to be told, then it says to complete the assessment first', () => {
    spec
      .given([received])
      .when({
        type: 'InformReporter',
        actor: vt,
        now: '2026-04-23T10:00:00.000Z',
        about: 'safety-assessment',
        informedAt: '2026-04-23T10:00:00.000Z',
      })
      .thenRefused('wrong-state', /once the safety-assessment is completed/);
  });

  it('given a completed assessment, when the reporter is told, then it is recorded once', () => {
    const informed = spec
      .given([received, assessed('2026-04-23T10:00:00.000Z')])
      .when({
        type: 'InformReporter',
        actor: vt,
        now: '2026-04-23T11:00:00.000Z',
        about: 'safety-assessment',
        informedAt: '2026-04-23T11:00:00.000Z',
      })
      .events();
    expect(informed.map((e) => e.type)).toEqual(['ReporterInformed']);
    spec
      .given([received, assessed('2026-04-23T10:00:00.000Z'), ...informed])
      .when({
        type: 'InformReporter',
        actor: vt,
        now: '2026-04-23T12:00:00.000Z',
        about: 'safety-assessment',
        informedAt: '2026-04-23T12:00:00.000Z',
      })
      .thenRefused('wrong-state', /already told/);
  });

  it('given a running assessment, when warned and escalated, then the team lead is warned once and escalation climbs from the manager', () => {
    const warn = spec
      .given([received])
      .when({ type: 'WarnTerm', actor: system, now: '2026-04-29T10:00:00.000Z', term: 'safety-assessment' })
      .events();
    expect(warn[0]?.type === 'StatutoryTermWarned' && warn[0].data.recipients[0]?.role).toBe('team-lead');
    spec
      .given([received, ...warn])
      .when({ type: 'WarnTerm', actor: system, now: '2026-04-29T11:00:00.000Z', term: 'safety-assessment' })
      .then([]);
    let history: MeldingEvent[] = [received, ...warn];
    const levels: string[] = [];
    for (let i = 0; i < 3; i++) {
      const events = spec
        .given(history)
        .when({
          type: 'EscalateTerm',
          actor: system,
          now: `2026-05-0${i + 1}T10:00:00.000Z`,
          term: 'safety-assessment',
        })
        .events();
      const e = events[0] as Extract<MeldingEvent, { type: 'StatutoryTermEscalated' }>;
      levels.push(`${e.data.recipients[0]!.role}:${e.data.repeat}`);
      history = [...history, ...events];
    }
    expect(levels).toEqual(['manager:0', 'director:0', 'director:1']);
  });

  it('given a completed assessment, when the timer escalates it, then nothing happens', () => {
    spec
      .given([received, assessed('2026-04-23T10:00:00.000Z')])
      .when({ type: 'EscalateTerm', actor: system, now: '2026-05-01T10:00:00.000Z', term: 'safety-assessment' })
      .then([]);
  });

  it('given terms, when their status is asked, then running, overdue, met and missed are told apart', () => {
    const state = [received].reduce(evolveMelding, initialMeldingState);
    expect(termStatus(state.assessment, '2026-04-30T10:00:00.000Z')).toBe('running');
    expect(termStatus(state.assessment, '2026-04-30T10:00:01.000Z')).toBe('overdue');
    const met = [received, assessed('2026-04-29T10:00:00.000Z')].reduce(evolveMelding, initialMeldingState);
    expect(termStatus(met.assessment, '2026-06-01T00:00:00.000Z')).toBe('met');
    const missed = [received, assessed('2026-05-01T10:00:00.000Z')].reduce(evolveMelding, initialMeldingState);
    expect(termStatus(missed.assessment, '2026-06-01T00:00:00.000Z')).toBe('missed');
  });
});
