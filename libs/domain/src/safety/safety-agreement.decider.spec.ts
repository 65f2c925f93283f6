import { DeciderSpecification } from '../shared/decider-specification';
import type { LadderStep } from '../organisations/organisation';
import {
  decideSafetyAgreement,
  evolveSafetyAgreement,
  initialSafetyAgreementState,
  type MakeSafetyAgreement,
  type RecordMonitoringResult,
} from './safety-agreement.decider';
import type { SafetyAgreementEvent, SafetyAgreementMade } from './safety-agreement.events';

const spec = DeciderSpecification.for({
  decide: decideSafetyAgreement,
  evolve: evolveSafetyAgreement,
  initialState: initialSafetyAgreementState,
});

const ladder = (org: string): LadderStep[] => [
  { level: 0, role: 'professional', title: `${org} medewerker` },
  { level: 1, role: 'team-lead', title: `${org} teamleider` },
  { level: 2, role: 'manager', title: `${org} manager` },
  { level: 3, role: 'director', title: `${org} bestuurder` },
];
const monitor = { organisation: 'lt-haarlemmermeer', role: 'professional' as const, ladder: ladder('lt') };
const actor = (organisation: string) => ({ subject: 'ps-1', organisation, role: 'professional' });
const NOW = '2026-04-20T10:00:00.000Z';

const make: MakeSafetyAgreement = {
  type: 'MakeSafetyAgreement',
  actor: actor('vt-kennemerland'),
  now: NOW,
  agreementId: 'sa-1',
  caseId: 'case-1',
  code: 'no-contact-with-suspect',
  memberIds: ['child-1', 'parent-1'],
  monitor,
  moments: ['2026-05-01', '2026-04-24'],
};
const made: SafetyAgreementMade = {
  type: 'SafetyAgreementMade',
  data: {
    agreementId: 'sa-1',
    caseId: 'case-1',
    code: 'no-contact-with-suspect',
    memberIds: ['child-1', 'parent-1'],
    monitor,
    moments: ['2026-04-24', '2026-05-01'],
    madeBy: 'vt-kennemerland',
    madeAt: NOW,
  },
};
const result = (over: Partial<RecordMonitoringResult> = {}): RecordMonitoringResult => ({
  type: 'RecordMonitoringResult',
  actor: actor('lt-haarlemmermeer'),
  now: '2026-04-24T15:00:00.000Z',
  moment: '2026-04-24',
  outcome: 'kept',
  effects: [
    { memberId: 'child-1', effect: 'safe' },
    { memberId: 'parent-1', effect: 'improved' },
  ],
  checkedOn: '2026-04-24',
  responsibleOrg: 'vt-kennemerland',
  leadOrgs: ['vt-kennemerland'],
  breachRecipients: [
    { organisation: 'vt-kennemerland', role: 'professional', title: 'Medewerker' },
    { organisation: 'vt-kennemerland', role: 'team-lead', title: 'Teamleider' },
  ],
  ...over,
});

describe('safety agreement decider (R7)', () => {
  it('given nothing, when an agreement is made with dates, then it records the monitor and the moments sorted', () => {
    spec.given([]).when(make).then([made]);
  });

  it('given nothing, when an agreement is made with a two-weekly rhythm, then the moments are its dates', () => {
    const [event] = spec
      .given([])
      .when({ ...make, moments: undefined, rhythm: { every: 'two-weeks', from: '2026-04-22', until: '2026-05-31' } })
      .events();
    expect(event?.type === 'SafetyAgreementMade' && event.data.moments).toEqual([
      '2026-04-22',
      '2026-05-06',
      '2026-05-20',
    ]);
  });

  it.each([
    ['Vader mag niet bij Jan komen', /looks like a name/],
    ['bellen naar 0612345678', /long number/],
    ['verblijf op 2011 AB', /postcode/],
    ['melden via info@example.nl', /e-mail/],
  ])('given code "other" with %j, when made, then it is refused as personal data', (description, message) => {
    spec
      .given([])
      .when({ ...make, code: 'other', description })
      .thenRefused('personal-data', message);
  });

  it('given code "other" with a neutral description, when made, then the description is kept', () => {
    const [event] = spec
      .given([])
      .when({ ...make, code: 'other', description: 'vader woont tijdelijk elders' })
      .events();
    expect(event?.type === 'SafetyAgreementMade' && event.data.description).toBe('vader woont tijdelijk elders');
  });

  it('given a member id that is a BSN, when made, then it is refused and names the field', () => {
    spec
      .given([])
      .when({ ...make, memberIds: ['123456782'] })
      .thenRefused('personal-data', /BSN/);
  });

  it('given neither dates nor rhythm, when made, then it says to give one', () => {
    spec
      .given([])
      .when({ ...make, moments: undefined })
      .thenRefused('invalid', /either as dates/);
  });

  it('given an agreement, when the monitor records "kept" with an effect per member, then only the result is recorded', () => {
    const events = spec.given([made]).when(result()).events();
    expect(events.map((e) => e.type)).toEqual(['MonitoringResultRecorded']);
  });

  it('given an agreement, when the monitor records "not kept", then the responsible organisation and the lead are told at once', () => {
    const events = spec
      .given([made])
      .when(
        result({
          outcome: 'not-kept',
          effects: [
            { memberId: 'child-1', effect: 'unsafe' },
            { memberId: 'parent-1', effect: 'worse' },
          ],
        }),
      )
      .events();
    expect(events.map((e) => e.type)).toEqual(['MonitoringResultRecorded', 'SafetyAgreementBreachReported']);
    const breach = events[1] as Extract<SafetyAgreementEvent, { type: 'SafetyAgreementBreachReported' }>;
    expect(breach.data.recipients.map((r) => `${r.organisation}/${r.role}`)).toEqual([
      'vt-kennemerland/professional',
      'vt-kennemerland/team-lead',
    ]);
  });

  it('given an agreement, when a result leaves out a family member, then it says whose effect is missing', () => {
    spec
      .given([made])
      .when(result({ effects: [{ memberId: 'child-1', effect: 'safe' }] }))
      .thenRefused('invalid', /missing: parent-1/);
  });

  it('given an agreement, when another organisation than the monitor records a result, then it is forbidden', () => {
    spec
      .given([made])
      .when(result({ actor: actor('vt-kennemerland') }))
      .thenRefused('forbidden', /Only the monitor \(lt-haarlemmermeer\)/);
  });

  it('given a recorded result, when it is recorded again, then it is a wrong state', () => {
    const recorded = spec.given([made]).when(result()).events();
    spec
      .given([made, ...recorded])
      .when(result())
      .thenRefused('wrong-state', /already recorded/);
  });

  it('given an overdue moment, when escalated repeatedly, then it climbs the monitor ladder from the rung above it and repeats at the top', () => {
    const escalate = {
      type: 'EscalateMonitoring' as const,
      actor: actor('system'),
      moment: '2026-04-24',
      dueAt: '2026-04-28T07:00:00.000Z',
    };
    let history: SafetyAgreementEvent[] = [made];
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const events = spec
        .given(history)
        .when({ ...escalate, now: `2026-04-2${8 + i}T07:00:00.000Z` })
        .events();
      const e = events[0] as Extract<SafetyAgreementEvent, { type: 'MonitoringEscalated' }>;
      seen.push(`${e.data.level}:${e.data.repeat}:${e.data.recipients[0]!.role}`);
      history = [...history, ...events];
    }
    expect(seen).toEqual(['1:0:team-lead', '2:0:manager', '3:0:director', '3:1:director']);
  });

  it('given a result recorded, when the timer escalates that moment, then nothing happens', () => {
    const recorded = spec.given([made]).when(result()).events();
    spec
      .given([made, ...recorded])
      .when({ type: 'EscalateMonitoring', actor: actor('system'), now: NOW, moment: '2026-04-24', dueAt: NOW })
      .then([]);
  });

  const move = {
    type: 'ApplyResponsibilityMove' as const,
    actor: actor('system'),
    now: '2026-05-04T10:00:00.000Z',
    handoverId: 'h-1',
    fromOrg: 'lt-haarlemmermeer',
    toOrg: 'vt-amsterdam-amstelland',
    toLadder: ladder('vt-aa'),
    startedAt: '2026-05-04T09:00:00.000Z',
  };

  it('given no monitor decision, when a handover from the monitor starts, then the receiver inherits the role, recorded as inherited', () => {
    spec
      .given([made])
      .when(move)
      .then([
        {
          type: 'MonitorRoleTransferred',
          data: {
            agreementId: 'sa-1',
            caseId: 'case-1',
            from: { organisation: 'lt-haarlemmermeer', role: 'professional' },
            to: { organisation: 'vt-amsterdam-amstelland', role: 'professional', ladder: ladder('vt-aa') },
            basis: 'inherited-at-start',
            handoverId: 'h-1',
            transferredAt: '2026-05-04T10:00:00.000Z',
          },
        },
      ]);
  });

  it('given the monitor decided to keep the role, when the handover starts, then it is recorded as kept', () => {
    const decided = spec
      .given([made])
      .when({
        type: 'DecideMonitorRole',
        actor: actor('lt-haarlemmermeer'),
        now: NOW,
        handoverId: 'h-1',
        decision: 'keep',
      })
      .events();
    const events = spec
      .given([made, ...decided])
      .when(move)
      .events();
    expect(events.map((e) => e.type)).toEqual(['MonitorRoleKept']);
  });

  it('given the monitor decided to hand over to the team lead, when the handover starts, then the receiver monitors at that rung', () => {
    const decided = spec
      .given([made])
      .when({
        type: 'DecideMonitorRole',
        actor: actor('lt-haarlemmermeer'),
        now: NOW,
        handoverId: 'h-1',
        decision: 'hand-over',
        toRole: 'team-lead',
      })
      .events();
    const [event] = spec
      .given([made, ...decided])
      .when(move)
      .events();
    expect(event?.type === 'MonitorRoleTransferred' && [event.data.basis, event.data.to.role]).toEqual([
      'handed-over',
      'team-lead',
    ]);
  });

  it('given a monitor that is not the sender, when a handover starts, then the monitor role stays where it is', () => {
    spec
      .given([made])
      .when({ ...move, fromOrg: 'vt-kennemerland' })
      .then([]);
  });

  it('given an ended agreement, when a result is recorded, then it says the agreement has ended', () => {
    spec
      .given([
        made,
        {
          type: 'SafetyAgreementEnded',
          data: {
            agreementId: 'sa-1',
            caseId: 'case-1',
            reason: 'fulfilled',
            endedBy: 'lt-haarlemmermeer',
            endedAt: NOW,
          },
        },
      ])
      .when(result())
      .thenRefused('wrong-state', /has ended/);
  });
});
