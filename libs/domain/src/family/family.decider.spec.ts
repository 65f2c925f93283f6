import { deadlineAt, interpretDeadline } from '../handover/handover.deadlines';
import { ladderOf } from '../organisations/directory';
import { DeciderSpecification } from '../shared/decider-specification';
import {
  DEFAULT_FAMILY_POLICY,
  decideFamily,
  decideFamilyDeadlines,
  endOfDayInAmsterdam,
  type FamilyCommand,
  type FamilyContext,
  type FamilyDeps,
} from './family.decider';
import type { FamilyEvent } from './family.events';
import { assessmentPredatesChange, foldFamilyFacts, nextFamilyWake, signalsInWindow } from './family.facts';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const GEM = 'gemeente-haarlemmermeer';
const POL = 'politie-noord-holland';

const context: FamilyContext = {
  caseId: 'case-7',
  parties: [KEN, AMS, GEM],
  responsible: [KEN, AMS],
  leads: [KEN, POL],
  childIds: ['child-a', 'child-b'],
  openHandoverIds: ['h-1'],
  ladders: Object.fromEntries([KEN, AMS, GEM, POL].map((o) => [o, ladderOf(o) ?? []])),
};
const deps: FamilyDeps = {
  calendar: (from, spec) => deadlineAt(new Date(from), interpretDeadline(spec)).toISOString(),
  policy: DEFAULT_FAMILY_POLICY,
};
const spec = DeciderSpecification.for<FamilyCommand, FamilyEvent, FamilyEvent[]>({
  initialState: [],
  evolve: (events, event) => [...events, event],
  decide: (command, events) => decideFamily(command, foldFamilyFacts(events), context, deps),
});
const actor = (organisation: string, role = 'professional') => ({ subject: 'ps-1', organisation, role });
// Thursday 23 April 2026: five working days on skip Monday 27 April, King's Day.
const NOW = '2026-04-23T08:00:00.000Z';

const change = (over: Partial<FamilyCommand> = {}): FamilyCommand =>
  ({
    type: 'RecordFamilyChange',
    actor: actor(GEM),
    now: NOW,
    caseId: 'case-7',
    changeId: 'chg-1',
    code: 'moved',
    occurredAt: '2026-04-20T10:00:00Z',
    ...over,
  }) as FamilyCommand;

const changeRecorded = (over: { dueKen?: string; basisKen?: 'hours' | 'working-days' } = {}): FamilyEvent => ({
  type: 'FamilyChangeRecorded',
  data: {
    caseId: 'case-7',
    changeId: 'chg-1',
    code: 'moved',
    occurredAt: '2026-04-20T10:00:00.000Z',
    recordedBy: GEM,
    recordedAt: NOW,
    reassessments: [
      { organisation: KEN, dueAt: over.dueKen ?? '2026-05-01T08:00:00.000Z', basis: over.basisKen ?? 'working-days' },
      { organisation: AMS, dueAt: '2026-05-01T08:00:00.000Z', basis: 'working-days' },
    ],
  },
});

const reassessment = (organisation: string, outcome = 'safe', now = '2026-04-24T09:00:00.000Z'): FamilyCommand => ({
  type: 'RecordRiskReassessment',
  actor: actor(organisation),
  now,
  caseId: 'case-7',
  outcome,
  documentRef: 'dossier:2026-0042',
});

describe('the family decider (R5, R6, R9)', () => {
  describe('a change of the family requires a re-assessment of each responsible organisation (R5)', () => {
    it("given two responsible organisations, when a party records a move, then each owes one within 5 working days, King's Day not counted", () => {
      spec.given([]).when(change()).then([changeRecorded()]);
    });

    it('given an acutely unsafe previous assessment, when the family changes, then that organisation owes it within hours', () => {
      spec
        .given([
          {
            type: 'RiskReassessed',
            data: {
              caseId: 'case-7',
              organisation: KEN,
              outcome: 'acutely-unsafe',
              documentRef: 'dossier:1',
              assessedAt: '2026-04-01T08:00:00.000Z',
              answers: [],
            },
          },
        ])
        .when(change())
        .then([changeRecorded({ dueKen: '2026-04-23T12:00:00.000Z', basisKen: 'hours' })]);
    });

    it.each([
      ['Jan Jansen', 'personal-data'],
      ['Kerkstraat 12', 'personal-data'],
      ['111222333', 'personal-data'],
      ['divorce', 'invalid'],
    ] as const)(
      'given a change code %j where a code is expected, when recorded, then it is refused as %s',
      (code, refusal) => {
        spec.given([]).when(change({ code })).thenRefused(refusal, /code/);
      },
    );

    it('given a change dated tomorrow, when recorded, then it is refused: record what happened', () => {
      spec
        .given([])
        .when(change({ occurredAt: '2026-04-24T08:00:00Z' }))
        .thenRefused('invalid', /future/);
    });

    it('given an organisation outside the case, when it records a change, then it is told the case is not found', () => {
      spec
        .given([])
        .when(change({ actor: actor('vt-zuid-limburg') }))
        .thenRefused('not-found');
    });

    it('given an inspector, when it records a change, then it is forbidden', () => {
      spec
        .given([])
        .when(change({ actor: actor(KEN, 'inspector') }))
        .thenRefused('forbidden', /Inspectors/);
    });

    it('given an owed re-assessment, when the organisation records it with a document reference, then it answers the change', () => {
      spec
        .given([changeRecorded()])
        .when(reassessment(KEN))
        .then([
          {
            type: 'RiskReassessed',
            data: {
              caseId: 'case-7',
              organisation: KEN,
              outcome: 'safe',
              documentRef: 'dossier:2026-0042',
              assessedAt: '2026-04-24T09:00:00.000Z',
              answers: ['chg-1'],
            },
          },
        ]);
    });

    it('given a document reference that is content, not a reference, when recorded, then it is refused as personal data', () => {
      spec
        .given([changeRecorded()])
        .when({ ...reassessment(KEN), documentRef: 'gesprek met moeder Jansen' } as FamilyCommand)
        .thenRefused('personal-data', /spaces/);
    });

    it('given an organisation not responsible for a child, when it records a re-assessment, then it is forbidden', () => {
      spec
        .given([changeRecorded()])
        .when(reassessment(GEM))
        .thenRefused('forbidden', /responsible/);
    });

    it('given a re-assessment past its deadline, when the timer ticks, then it escalates to the team lead of that organisation only, and on up one working day later', () => {
      const given = [
        changeRecorded(),
        ...decideFamily(reassessment(AMS), foldFamilyFacts([changeRecorded()]), context, deps),
      ];
      const facts = foldFamilyFacts(given);
      expect(decideFamilyDeadlines(facts, context, deps, '2026-05-01T07:59:00.000Z')).toEqual([]);
      const [first, ...rest] = decideFamilyDeadlines(facts, context, deps, '2026-05-01T08:00:00.000Z');
      expect(rest).toEqual([]);
      expect(first!.data).toMatchObject({
        reason: 'reassessment-overdue',
        subjectId: 'chg-1',
        organisations: [KEN],
        level: 1,
        recipients: [{ organisation: KEN, role: 'team-lead' }],
        dueAt: '2026-05-01T08:00:00.000Z',
        // Friday 1 May → Monday 4 May: one working day on.
        nextAt: '2026-05-04T08:00:00.000Z',
      });
      const after = foldFamilyFacts([...given, first!]);
      expect(decideFamilyDeadlines(after, context, deps, '2026-05-02T08:00:00.000Z')).toEqual([]);
      expect(nextFamilyWake(after)).toBe('2026-05-04T08:00:00.000Z');
      expect(decideFamilyDeadlines(after, context, deps, '2026-05-04T08:00:00.000Z')[0]!.data).toMatchObject({
        level: 2,
        recipients: [{ organisation: KEN, role: 'manager' }],
      });
    });
  });

  describe('care avoidance is a signal (R6)', () => {
    const signal = (signalId: string, now: string, over: Partial<FamilyCommand> = {}): FamilyCommand =>
      ({
        type: 'SignalCareAvoidance',
        actor: actor(AMS),
        now,
        caseId: 'case-7',
        signalId,
        code: 'no-show',
        occurredAt: now,
        ...over,
      }) as FamilyCommand;

    it('given no signal before, when a party signals a no-show, then the responsible organisations and the leads are told at once, nobody higher', () => {
      const events = spec.given([]).when(signal('sig-1', NOW)).events();
      expect(events.map((e) => e.type)).toEqual(['CareAvoidanceSignalled', 'FamilyEscalated']);
      expect(events[1]!.data).toMatchObject({
        reason: 'care-avoidance-signalled',
        level: 0,
        organisations: [KEN, AMS, POL],
        recipients: [
          { organisation: KEN, role: 'professional' },
          { organisation: AMS, role: 'professional' },
          { organisation: POL, role: 'professional' },
        ],
      });
    });

    it('given a signal 20 days ago, when a second one is signalled, then it also escalates to their team leads; 31 days ago it does not', () => {
      const first = decideFamily(signal('sig-1', '2026-04-03T08:00:00.000Z'), foldFamilyFacts([]), context, deps);
      const second = spec.given(first).when(signal('sig-2', NOW)).events();
      expect(second.map((e) => e.type)).toEqual(['CareAvoidanceSignalled', 'FamilyEscalated', 'FamilyEscalated']);
      expect(second[2]!.data).toMatchObject({
        reason: 'care-avoidance-repeated',
        level: 1,
        recipients: [{ role: 'team-lead' }, { role: 'team-lead' }, { role: 'team-lead' }],
      });
      const old = decideFamily(signal('sig-1', '2026-03-23T07:00:00.000Z'), foldFamilyFacts([]), context, deps);
      expect(spec.given(old).when(signal('sig-2', NOW)).events()).toHaveLength(2);
      expect(signalsInWindow(foldFamilyFacts([...first, ...second]), NOW, 30)).toHaveLength(2);
    });

    it('given a handover that is not open, when a signal names it, then it is refused', () => {
      spec
        .given([])
        .when(signal('sig-1', NOW, { handoverId: 'h-9' }))
        .thenRefused('wrong-state', /not open/);
    });

    it('given a signal code with a name in it, when signalled, then it is refused as personal data', () => {
      spec
        .given([])
        .when(signal('sig-1', NOW, { code: 'Piet de Vries' }))
        .thenRefused('personal-data', /name/);
    });
  });

  describe('one case director, named by two parties (R9)', () => {
    const propose = (by: string, organisation: string): FamilyCommand => ({
      type: 'ProposeCaseDirector',
      actor: actor(by),
      now: NOW,
      caseId: 'case-7',
      proposalId: 'p-1',
      organisation,
      professionalId: 'prof-77',
    });
    const confirm = (by: string): FamilyCommand => ({
      type: 'ConfirmCaseDirector',
      actor: actor(by),
      now: NOW,
      caseId: 'case-7',
      proposalId: 'p-1',
    });

    it("given a proposal of the municipality's professional by Veilig Thuis, when the municipality confirms, then it is the case director", () => {
      const proposed = decideFamily(propose(KEN, GEM), foldFamilyFacts([]), context, deps);
      spec
        .given(proposed)
        .when(confirm(GEM))
        .then([
          {
            type: 'CaseDirectorConfirmed',
            data: {
              caseId: 'case-7',
              proposalId: 'p-1',
              organisation: GEM,
              professionalId: 'prof-77',
              proposedBy: KEN,
              confirmedBy: GEM,
              confirmedAt: NOW,
            },
          },
        ]);
      expect(
        foldFamilyFacts([...proposed, ...spec.given(proposed).when(confirm(GEM)).events()]).director,
      ).toMatchObject({ organisation: GEM, professionalId: 'prof-77' });
    });

    it('given a proposal, when the proposer or a third party confirms it, then it is forbidden', () => {
      const proposed = decideFamily(propose(KEN, GEM), foldFamilyFacts([]), context, deps);
      spec
        .given(proposed)
        .when(confirm(KEN))
        .thenRefused('forbidden', /you proposed/);
      spec
        .given(proposed)
        .when(confirm(AMS))
        .thenRefused('forbidden', /confirms the proposal/);
    });

    it('given an organisation that proposes its own professional, when another party confirms, then it is recorded', () => {
      const proposed = decideFamily(propose(GEM, GEM), foldFamilyFacts([]), context, deps);
      expect(spec.given(proposed).when(confirm(AMS)).events()[0]!.type).toBe('CaseDirectorConfirmed');
    });

    it('given a professional id that is an e-mail address, when proposed, then it is refused as personal data', () => {
      spec
        .given([])
        .when({ ...propose(KEN, GEM), professionalId: 'j.jansen@gemeente.nl' } as FamilyCommand)
        .thenRefused('personal-data', /e-mail/);
    });

    it('given no proposal, when one confirms, then it is the wrong state', () => {
      spec
        .given([])
        .when(confirm(GEM))
        .thenRefused('wrong-state', /propose one first/);
    });
  });

  describe('the family plan (002 §2.1)', () => {
    const goal = (over: Partial<FamilyCommand> = {}): FamilyCommand =>
      ({
        type: 'SetPlanGoal',
        actor: actor(GEM),
        now: NOW,
        caseId: 'case-7',
        goalId: 'goal-1',
        code: 'school-attendance',
        label: 'dagelijks naar school',
        targetDate: '2026-05-08',
        owner: AMS,
        ...over,
      }) as FamilyCommand;

    it('given a goal, when set, then it is due at the end of its target date in Amsterdam', () => {
      expect(spec.given([]).when(goal()).events()[0]!.data).toMatchObject({
        code: 'school-attendance',
        label: 'dagelijks naar school',
        targetDate: '2026-05-08',
        dueAt: '2026-05-08T22:00:00.000Z',
        owner: AMS,
      });
      expect(endOfDayInAmsterdam('2026-12-24')).toBe('2026-12-24T23:00:00.000Z');
    });

    it.each([
      [{ code: 'Jan Jansen' }, 'personal-data'],
      [{ label: 'bezoek Kerkstraat 12' }, 'personal-data'],
      [{ label: 'moeder 111222333' }, 'personal-data'],
      [{ label: 'Jan de Vries helpt' }, 'personal-data'],
      [{ code: 'school attendance' }, 'invalid'],
      [{ targetDate: '2026-04-01' }, 'invalid'],
      [{ owner: 'vt-zuid-limburg' }, 'wrong-state'],
    ] as const)('given %j, when the goal is set, then it is refused as %s', (over, refusal) => {
      spec.given([]).when(goal(over)).thenRefused(refusal);
    });

    it('given a goal past its date without a result, when the timer ticks, then it escalates at its owner; with a result it does not', () => {
      const set = decideFamily(goal(), foldFamilyFacts([]), context, deps);
      const facts = foldFamilyFacts(set);
      expect(decideFamilyDeadlines(facts, context, deps, '2026-05-08T21:59:00.000Z')).toEqual([]);
      expect(decideFamilyDeadlines(facts, context, deps, '2026-05-08T22:00:00.000Z')[0]!.data).toMatchObject({
        reason: 'goal-overdue',
        subjectId: 'goal-1',
        organisations: [AMS],
        level: 1,
        recipients: [{ organisation: AMS, role: 'team-lead' }],
      });
      const result = decideFamily(
        {
          type: 'RecordGoalResult',
          actor: actor(AMS),
          now: NOW,
          caseId: 'case-7',
          goalId: 'goal-1',
          result: 'achieved',
        },
        facts,
        context,
        deps,
      );
      expect(
        decideFamilyDeadlines(foldFamilyFacts([...set, ...result]), context, deps, '2026-06-01T00:00:00Z'),
      ).toEqual([]);
    });

    it('given a goal, when a party other than its owner records the result, then it is forbidden', () => {
      const set = decideFamily(goal(), foldFamilyFacts([]), context, deps);
      spec
        .given(set)
        .when({
          type: 'RecordGoalResult',
          actor: actor(KEN),
          now: NOW,
          caseId: 'case-7',
          goalId: 'goal-1',
          result: 'achieved',
        })
        .thenRefused('forbidden', /owner/);
    });
  });

  describe('a handover after a change (002 §2.4)', () => {
    it("given a change after the sender's latest assessment, when asked, then the assessment predates it; after a re-assessment it does not", () => {
      const facts = foldFamilyFacts([changeRecorded()]);
      expect(assessmentPredatesChange(facts, KEN)).toMatchObject({ latestChange: { changeId: 'chg-1' } });
      const done = foldFamilyFacts([changeRecorded(), ...decideFamily(reassessment(KEN), facts, context, deps)]);
      expect(assessmentPredatesChange(done, KEN)).toBeUndefined();
    });
  });
});
