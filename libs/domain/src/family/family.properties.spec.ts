import fc from 'fast-check';
import { deadlineAt, interpretDeadline } from '../handover/handover.deadlines';
import { CommandRefused } from '../shared/command-refused';
import {
  DEFAULT_FAMILY_POLICY,
  decideFamily,
  decideFamilyDeadlines,
  type FamilyCommand,
  type FamilyContext,
  type FamilyDeps,
} from './family.decider';
import { FAMILY_CHANGE_CODES, type FamilyEvent, RISK_OUTCOMES } from './family.events';
import { foldFamilyFacts, nextFamilyWake } from './family.facts';

/**
 * R5 over random histories, run through the same pure functions the API and the family
 * workflow use: changes by any party, re-assessments by the responsible organisations at random
 * moments, time passing with the workflow waking whenever `nextFamilyWake` says. Whatever the
 * order, once the deadlines have passed every family change has, for each organisation
 * responsible when it was recorded, a re-assessment or an escalation at that organisation:
 * never neither. And nothing escalates before its deadline.
 */

const ORGS = ['vt-kennemerland', 'vt-amsterdam-amstelland', 'gemeente-haarlemmermeer'] as const;
const context: FamilyContext = {
  caseId: 'case-p',
  parties: [...ORGS],
  responsible: ['vt-kennemerland', 'vt-amsterdam-amstelland'],
  leads: [],
  childIds: ['c-1', 'c-2'],
  openHandoverIds: [],
  ladders: {},
};
const deps: FamilyDeps = {
  calendar: (from, spec) => deadlineAt(new Date(from), interpretDeadline(spec)).toISOString(),
  policy: DEFAULT_FAMILY_POLICY,
};

type Step =
  | { kind: 'change'; by: number; code: number }
  | { kind: 'assess'; by: number; outcome: number }
  | { kind: 'wait'; hours: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), by: fc.nat(2), code: fc.nat(FAMILY_CHANGE_CODES.length - 1) }),
  fc.record({ kind: fc.constant('assess' as const), by: fc.nat(2), outcome: fc.nat(2) }),
  fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 24 * 9 }) }),
);

const START = Date.parse('2026-04-20T08:00:00.000Z');

/** Runs the steps; the "workflow" wakes at each instant nextFamilyWake names while time passes. */
function run(steps: readonly Step[]): { events: FamilyEvent[]; early: string[] } {
  const events: FamilyEvent[] = [];
  const early: string[] = [];
  let now = START;
  let n = 0;
  const tickUntil = (until: number) => {
    for (;;) {
      const wake = nextFamilyWake(foldFamilyFacts(events));
      if (!wake || Date.parse(wake) > until) break;
      now = Math.max(now, Date.parse(wake));
      const escalations = decideFamilyDeadlines(foldFamilyFacts(events), context, deps, new Date(now).toISOString());
      for (const e of escalations)
        if (e.data.dueAt && Date.parse(e.data.escalatedAt) < Date.parse(e.data.dueAt)) early.push(e.data.subjectId);
      if (escalations.length === 0) break;
      events.push(...escalations);
    }
    now = Math.max(now, until);
  };
  const decide = (command: FamilyCommand) => {
    try {
      events.push(...decideFamily(command, foldFamilyFacts(events), context, deps));
    } catch (error) {
      if (!(error instanceof CommandRefused)) throw error;
    }
  };
  for (const s of steps) {
    const iso = new Date(now).toISOString();
    const actor = { subject: 'ps-p', organisation: ORGS[s.kind === 'wait' ? 0 : s.by]!, role: 'professional' };
    if (s.kind === 'wait') tickUntil(now + s.hours * 3_600_000);
    else if (s.kind === 'change')
      decide({
        type: 'RecordFamilyChange',
        actor,
        now: iso,
        caseId: 'case-p',
        changeId: `chg-${n++}`,
        code: FAMILY_CHANGE_CODES[s.code]!,
        occurredAt: iso,
      });
    else
      decide({
        type: 'RecordRiskReassessment',
        actor,
        now: iso,
        caseId: 'case-p',
        outcome: RISK_OUTCOMES[s.outcome]!,
        documentRef: `doc-${n++}`,
      });
  }
  // Past every deadline (5 working days, a long holiday weekend included).
  tickUntil(now + 14 * 24 * 3_600_000);
  return { events, early };
}

describe('family changes and re-assessments (R5), property-based', () => {
  it('given any history, when the deadlines have passed, then every change is re-assessed or escalated at each responsible organisation, never neither, and never escalated early', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const { events, early } = run(steps);
        expect(early).toEqual([]);
        for (const change of events.filter((e) => e.type === 'FamilyChangeRecorded')) {
          for (const organisation of context.responsible) {
            const reassessed = events.some(
              (e) =>
                e.type === 'RiskReassessed' &&
                e.data.organisation === organisation &&
                e.data.answers.includes(change.data.changeId),
            );
            const escalated = events.some(
              (e) =>
                e.type === 'FamilyEscalated' &&
                e.data.reason === 'reassessment-overdue' &&
                e.data.subjectId === change.data.changeId &&
                e.data.organisations.includes(organisation),
            );
            expect({ change: change.data.changeId, organisation, answered: reassessed || escalated }).toEqual({
              change: change.data.changeId,
              organisation,
              answered: true,
            });
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
