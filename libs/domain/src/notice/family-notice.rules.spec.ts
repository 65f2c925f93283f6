import type { FamilyEscalated } from '../family/family.events';
import { mayCauseNotice, noticeCauseOf, stepSettled } from './notice.rules';

const escalated = (reason: FamilyEscalated['data']['reason'], subjectId: string, repeat = 0) => ({
  eventId: `e-${subjectId}`,
  type: 'FamilyEscalated',
  data: {
    caseId: 'case-9',
    reason,
    subjectId,
    organisations: ['vt-kennemerland'],
    level: 1,
    repeat,
    dueAt: '2026-12-31T09:00:00.000Z',
    recipients: [{ organisation: 'vt-kennemerland', role: 'team-lead', title: 'Teamleider' }],
    escalatedAt: '2026-12-31T09:00:01.000Z',
  } satisfies FamilyEscalated['data'],
});

describe('notices of the family (R5, R6)', () => {
  it('given a family escalation, when read by the notifier, then it tells each recipient it names; a reminder causes none', () => {
    const event = escalated('reassessment-overdue', 'chg-1');
    expect(mayCauseNotice(event)).toBe(true);
    expect(noticeCauseOf(event)).toMatchObject({
      causeType: 'FamilyEscalated',
      reason: 'reassessment-overdue',
      familySubjectId: 'chg-1',
      familyOrganisations: ['vt-kennemerland'],
      level: 1,
      recipients: [{ organisation: 'vt-kennemerland', role: 'team-lead' }],
    });
    expect(mayCauseNotice(escalated('reassessment-overdue', 'chg-1', 1))).toBe(false);
  });

  it("given an overdue re-assessment notice, when the organisation re-assessed, then its step is settled; another organisation's does not settle it", () => {
    const subject = {
      caseId: 'case-9',
      reason: 'reassessment-overdue' as const,
      familySubjectId: 'chg-1',
      familyOrganisations: ['vt-kennemerland'],
    };
    const change = {
      type: 'FamilyChangeRecorded',
      data: {
        caseId: 'case-9',
        changeId: 'chg-1',
        code: 'moved',
        occurredAt: '2026-12-20T09:00:00.000Z',
        recordedBy: 'gemeente-haarlemmermeer',
        recordedAt: '2026-12-23T09:00:00.000Z',
        reassessments: [
          { organisation: 'vt-kennemerland', dueAt: '2026-12-31T09:00:00.000Z', basis: 'working-days' },
          { organisation: 'vt-amsterdam-amstelland', dueAt: '2026-12-31T09:00:00.000Z', basis: 'working-days' },
        ],
      },
    };
    const by = (organisation: string) => ({
      type: 'RiskReassessed',
      data: {
        caseId: 'case-9',
        organisation,
        outcome: 'safe',
        documentRef: 'd-1',
        assessedAt: '2027-01-02T09:00:00.000Z',
        answers: ['chg-1'],
      },
    });
    expect(stepSettled(subject, [change])).toBe(false);
    expect(stepSettled(subject, [change, by('vt-amsterdam-amstelland')])).toBe(false);
    expect(stepSettled(subject, [change, by('vt-kennemerland')])).toBe(true);
  });

  it('given an overdue goal notice, when its result is recorded, then it is settled', () => {
    const subject = { caseId: 'case-9', reason: 'goal-overdue' as const, familySubjectId: 'goal-1' };
    const set = {
      type: 'PlanGoalSet',
      data: {
        caseId: 'case-9',
        goalId: 'goal-1',
        code: 'school-attendance',
        targetDate: '2026-12-01',
        dueAt: '2026-12-01T23:00:00.000Z',
        owner: 'vt-kennemerland',
        setBy: 'vt-kennemerland',
        setAt: '2026-11-01T09:00:00.000Z',
      },
    };
    const result = {
      type: 'PlanGoalResultRecorded',
      data: {
        caseId: 'case-9',
        goalId: 'goal-1',
        result: 'achieved',
        recordedBy: 'vt-kennemerland',
        recordedAt: '2026-12-03T09:00:00.000Z',
      },
    };
    expect(stepSettled(subject, [set])).toBe(false);
    expect(stepSettled(subject, [set, result])).toBe(true);
  });
});
