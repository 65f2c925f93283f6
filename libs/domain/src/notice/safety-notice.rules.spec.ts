import type { StatutoryTermEscalated, StatutoryTermWarned } from '../safety/melding.events';
import type { MonitoringEscalated, SafetyAgreementBreachReported } from '../safety/safety-agreement.events';
import { isInformational, mayCauseNotice, noticeCauseOf, noticeLevelOf, stepSettled } from './notice.rules';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';

const monitoringEscalated = (repeat = 0, level: MonitoringEscalated['data']['level'] = 1) => ({
  eventId: 'e-monitoring',
  type: 'MonitoringEscalated',
  data: {
    agreementId: 'agr-1',
    caseId: 'case-7',
    moment: '2027-04-26',
    reason: 'monitoring-result-overdue',
    dueAt: '2027-04-28T07:00:00.000Z',
    level,
    repeat,
    recipients: [{ organisation: KEN, role: 'team-lead', title: 'Teamleider' }],
    escalatedAt: '2027-04-28T07:00:01.000Z',
  } satisfies MonitoringEscalated['data'],
});

const breach = {
  eventId: 'e-breach',
  type: 'SafetyAgreementBreachReported',
  data: {
    agreementId: 'agr-1',
    caseId: 'case-7',
    moment: '2027-04-26',
    responsibleOrg: KEN,
    leadOrgs: [AMS],
    recipients: [
      { organisation: KEN, role: 'professional', title: 'Medewerker' },
      { organisation: KEN, role: 'team-lead', title: 'Teamleider' },
      { organisation: AMS, role: 'professional', title: 'Medewerker' },
    ],
    reportedAt: '2027-04-26T13:00:00.000Z',
  } satisfies SafetyAgreementBreachReported['data'],
};

const warned = (term: StatutoryTermWarned['data']['term']) => ({
  eventId: `e-warned-${term}`,
  type: 'StatutoryTermWarned',
  data: {
    meldingId: 'mld-1',
    caseId: 'case-7',
    term,
    dueAt: '2027-05-03T10:00:00.000Z',
    recipients: [{ organisation: KEN, role: 'team-lead', title: 'Teamleider' }],
    warnedAt: '2027-04-30T10:00:00.000Z',
  } satisfies StatutoryTermWarned['data'],
});

const termEscalated = (term: StatutoryTermEscalated['data']['term'], repeat = 0) => ({
  eventId: `e-term-${term}-${repeat}`,
  type: 'StatutoryTermEscalated',
  data: {
    meldingId: 'mld-1',
    caseId: 'case-7',
    term,
    reason: 'statutory-term-passed',
    dueAt: '2027-05-03T10:00:00.000Z',
    level: repeat > 0 ? 3 : 2,
    repeat,
    recipients: [{ organisation: KEN, role: repeat > 0 ? 'director' : 'manager', title: 'Manager' }],
    escalatedAt: '2027-05-03T10:00:01.000Z',
  } satisfies StatutoryTermEscalated['data'],
});

describe('notices of safety agreements (R7)', () => {
  it("given a monitoring moment's escalation, when read by the notifier, then it tells the monitor's rung it names about that moment; a reminder at the top causes none", () => {
    const event = monitoringEscalated();
    expect(mayCauseNotice(event)).toBe(true);
    expect(noticeCauseOf(event)).toMatchObject({
      causeType: 'MonitoringEscalated',
      caseId: 'case-7',
      reason: 'monitoring-result-overdue',
      agreementId: 'agr-1',
      moment: '2027-04-26',
      dueAt: '2027-04-28T07:00:00.000Z',
      level: 1,
      recipients: [{ organisation: KEN, role: 'team-lead' }],
    });
    expect(isInformational('monitoring-result-overdue')).toBe(false);
    const reminder = monitoringEscalated(1, 3);
    expect(mayCauseNotice(reminder)).toBe(false);
    expect(noticeCauseOf(reminder)).toBeUndefined();
  });

  it("given an overdue moment's notice, when that moment's result is recorded or the agreement ends, then its step is settled; another moment's result does not settle it", () => {
    const subject = {
      caseId: 'case-7',
      reason: 'monitoring-result-overdue' as const,
      agreementId: 'agr-1',
      moment: '2027-04-26',
    };
    const result = (agreementId: string, moment: string) => ({
      type: 'MonitoringResultRecorded',
      data: { agreementId, caseId: 'case-7', moment, outcome: 'kept' },
    });
    expect(stepSettled(subject, [monitoringEscalated()])).toBe(false);
    expect(stepSettled(subject, [result('agr-1', '2027-05-03')])).toBe(false);
    expect(stepSettled(subject, [result('agr-2', '2027-04-26')])).toBe(false);
    expect(stepSettled(subject, [result('agr-1', '2027-04-26')])).toBe(true);
    expect(stepSettled(subject, [{ type: 'SafetyAgreementEnded', data: { agreementId: 'agr-1' } }])).toBe(true);
  });

  it('given an agreement not kept, when read by the notifier, then the responsible organisation and the lead are told at once, each at its own rung, once', () => {
    expect(mayCauseNotice(breach)).toBe(true);
    const cause = noticeCauseOf(breach)!;
    expect(cause).toMatchObject({
      causeType: 'SafetyAgreementBreachReported',
      reason: 'safety-agreement-not-kept',
      agreementId: 'agr-1',
      moment: '2027-04-26',
      level: 0,
      occurredAt: '2027-04-26T13:00:00.000Z',
    });
    expect(cause.recipients.map((r) => `${r.organisation} ${r.role}`)).toEqual([
      `${KEN} professional`,
      `${KEN} team-lead`,
      `${AMS} professional`,
    ]);
    // The team lead's notice stands at its own rung, so a failure of it escalates to the manager.
    expect(cause.recipients.map((r) => noticeLevelOf(cause, r))).toEqual([0, 1, 0]);
    expect(isInformational(cause.reason)).toBe(true);
    expect(stepSettled(cause, [])).toBe(true);
  });
});

describe('notices of statutory terms (R8)', () => {
  it('given a term about to pass, when read by the notifier, then the Veilig Thuis team lead is warned once, with the due instant', () => {
    const event = warned('safety-assessment');
    expect(mayCauseNotice(event)).toBe(true);
    const cause = noticeCauseOf(event)!;
    expect(cause).toMatchObject({
      causeType: 'StatutoryTermWarned',
      reason: 'statutory-term-warning',
      meldingId: 'mld-1',
      term: 'safety-assessment',
      dueAt: '2027-05-03T10:00:00.000Z',
      level: 1,
      occurredAt: '2027-04-30T10:00:00.000Z',
      recipients: [{ organisation: KEN, role: 'team-lead' }],
    });
    expect(stepSettled(cause, [])).toBe(true);
  });

  it('given a passed term, when read by the notifier, then it escalates to the rung it names; a reminder at the top causes none', () => {
    const event = termEscalated('investigation');
    expect(mayCauseNotice(event)).toBe(true);
    expect(noticeCauseOf(event)).toMatchObject({
      causeType: 'StatutoryTermEscalated',
      reason: 'statutory-term-passed',
      meldingId: 'mld-1',
      term: 'investigation',
      level: 2,
      recipients: [{ organisation: KEN, role: 'manager' }],
    });
    expect(mayCauseNotice(termEscalated('investigation', 1))).toBe(false);
    expect(noticeCauseOf(termEscalated('investigation', 1))).toBeUndefined();
  });

  it("given a passed term's notice, when that term's work is completed for that report, then its step is settled; the other term or report does not settle it", () => {
    const assessment = {
      caseId: 'case-7',
      reason: 'statutory-term-passed' as const,
      meldingId: 'mld-1',
      term: 'safety-assessment' as const,
    };
    const investigation = { ...assessment, term: 'investigation' as const };
    const done = (type: string, meldingId: string) => ({ type, data: { meldingId, caseId: 'case-7' } });
    expect(stepSettled(assessment, [done('SafetyAssessmentCompleted', 'mld-2')])).toBe(false);
    expect(stepSettled(assessment, [done('InvestigationCompleted', 'mld-1')])).toBe(false);
    expect(stepSettled(assessment, [done('SafetyAssessmentCompleted', 'mld-1')])).toBe(true);
    expect(stepSettled(investigation, [done('SafetyAssessmentCompleted', 'mld-1')])).toBe(false);
    expect(stepSettled(investigation, [done('InvestigationCompleted', 'mld-1')])).toBe(true);
  });
});
