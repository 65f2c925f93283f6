import { findOrganisation } from '../organisations/directory';
import { DeciderSpecification } from '../shared/decider-specification';
import type { LeadCommand } from './lead.commands';
import { decideLead, topDecisionsOpenTo } from './lead.decider';
import type { LeadEvent } from './lead.events';
import { evolveLead, foldLead, initialLeadState, toLeadView } from './lead.state';

/** Issue 11 §6: a decision at the top is taken together. */
const spec = DeciderSpecification.for({ decide: decideLead, evolve: evolveLead, initialState: initialLeadState });

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const UTR = 'vt-utrecht';
const T0 = '2026-11-23T09:00:00.000Z';
const T1 = '2026-11-30T09:00:00.000Z';
const T2 = '2026-12-01T09:00:00.000Z';
const T3 = '2026-12-02T09:00:00.000Z';
const ids = { negotiationId: 'n-1', caseId: 'case-1', chain: 'care' as const };
const person = (organisation: string, role = 'director') => ({
  subject: `p:${organisation}:${role}`,
  organisation,
  role,
});

const opened = (parties = [KEN, AMS]): LeadEvent => ({
  type: 'LeadNegotiationOpened',
  data: {
    ...ids,
    parties,
    deadlines: { agreement: 2, escalationInterval: 1 },
    deadlineAt: '2026-11-25T09:00:00.000Z',
    ladders: Object.fromEntries(parties.map((p) => [p, findOrganisation(p)!.ladder])),
    openedAt: T0,
  },
});
const escalated = (level: 1 | 2 | 3, parties = [KEN, AMS]): LeadEvent => ({
  type: 'LeadNegotiationEscalated',
  data: {
    ...ids,
    round: 1,
    level,
    reason: 'silence',
    dueAt: '2026-11-25T09:00:00.000Z',
    repeat: 0,
    recipients: parties.map((organisation) => ({ organisation, role: 'director', title: 'Bestuurder' })),
    escalatedAt: T0,
  },
});
/** Opened, and escalation climbed to the directors. */
const atTheTop = (parties = [KEN, AMS]) => [
  opened(parties),
  escalated(1, parties),
  escalated(2, parties),
  escalated(3, parties),
];

const decide = (org: string, lead: string, decisionId = `d-${org}`, role = 'director', now = T1): LeadCommand => ({
  type: 'DecideLead',
  actor: person(org, role),
  now,
  decisionId,
  lead,
  rationale: `${org}: the lead fits ${lead}.`,
  confirmationRequired: true,
});
const confirm = (org: string, decisionId: string, now = T2, role = 'director'): LeadCommand => ({
  type: 'ConfirmDecision',
  actor: person(org, role),
  now,
  decisionId,
});
const taken = (org: string, lead: string, awaiting: string[], counter = false, decisionId = `d-${org}`): LeadEvent => ({
  type: 'LeadDecisionTaken',
  data: {
    ...ids,
    decisionId,
    round: 1,
    lead,
    decidedBy: person(org),
    rationale: `${org}: the lead fits ${lead}.`,
    counter,
    awaiting,
    decidedAt: T1,
  },
});
const confirmed = (org: string, decisionId: string, at = T2): LeadEvent => ({
  type: 'LeadDecisionConfirmed',
  data: { ...ids, decisionId, round: 1, confirmation: { ...person(org), at } },
});

describe('a decision at the top is taken together (issue 11 §6)', () => {
  it('given escalation reached the directors, when one party’s director decides, then it is recorded as that party’s decision, awaiting the other directors, and no lead is in force', () => {
    spec
      .given(atTheTop())
      .when(decide(AMS, AMS))
      .then([taken(AMS, AMS, [KEN])]);
    const view = toLeadView(foldLead([...atTheTop(), taken(AMS, AMS, [KEN])]));
    expect(view).toMatchObject({
      status: 'open',
      disagreement: true,
      pendingDecision: { lead: AMS, decidedBy: { organisation: AMS }, confirmedBy: [], waitingFor: [KEN] },
    });
    expect(view.lead).toBeUndefined();
  });

  it('given a decision by one director, when every other party’s director confirms it, then the lead is in force, recording who decided and who confirmed', () => {
    spec
      .given([...atTheTop(), taken(AMS, AMS, [KEN])])
      .when(confirm(KEN, `d-${AMS}`))
      .then([
        confirmed(KEN, `d-${AMS}`),
        {
          type: 'LeadDecided',
          data: {
            ...ids,
            round: 1,
            lead: AMS,
            decidedBy: person(AMS),
            rationale: `${AMS}: the lead fits ${AMS}.`,
            decidedAt: T2,
            decisionId: `d-${AMS}`,
            confirmations: [{ ...person(KEN), at: T2 }],
          },
        },
      ]);
  });

  it('given three parties, when only some of the other directors confirmed, then the decision still waits and it escalates as a disagreement; the last confirmation puts it in force', () => {
    const three = [KEN, AMS, UTR];
    const history = [...atTheTop(three), taken(AMS, AMS, [KEN, UTR])];
    spec
      .given(history)
      .when(confirm(KEN, `d-${AMS}`))
      .then([confirmed(KEN, `d-${AMS}`)]);
    const waiting = [...history, confirmed(KEN, `d-${AMS}`)];
    expect(toLeadView(foldLead(waiting)).pendingDecision).toMatchObject({ confirmedBy: [KEN], waitingFor: [UTR] });
    const reminder = spec
      .given(waiting)
      .when({ type: 'EscalateNegotiation', actor: person('warm-handover', 'system'), now: T3 })
      .events();
    expect(reminder).toMatchObject([{ data: { level: 3, repeat: 1, reason: 'disagreement' } }]);
    spec
      .given(waiting)
      .when(confirm(KEN, `d-${AMS}`))
      .thenRefused('wrong-state', /already confirmed.*vt-utrecht/);
    const [, inForce] = spec
      .given(waiting)
      .when(confirm(UTR, `d-${AMS}`, T3))
      .events();
    expect(inForce).toMatchObject({
      type: 'LeadDecided',
      data: { lead: AMS, confirmations: [{ organisation: KEN }, { organisation: UTR, at: T3 }] },
    });
  });

  it('given a decision by one director, when another party’s director decides otherwise, then that is their own counter-decision: the first can no longer be confirmed and the disagreement goes on', () => {
    const history = [...atTheTop(), taken(AMS, AMS, [KEN])];
    spec
      .given(history)
      .when(decide(KEN, KEN))
      .then([taken(KEN, KEN, [AMS], true)]);
    const countered = [...history, taken(KEN, KEN, [AMS], true)];
    expect(toLeadView(foldLead(countered))).toMatchObject({
      status: 'open',
      disagreement: true,
      pendingDecision: { lead: KEN, counter: true, waitingFor: [AMS] },
    });
    spec
      .given(countered)
      .when(confirm(KEN, `d-${AMS}`))
      .thenRefused('wrong-state', /no longer the open one/);
    expect(
      spec
        .given(countered)
        .when(confirm(AMS, `d-${KEN}`))
        .events()
        .at(-1),
    ).toMatchObject({ type: 'LeadDecided', data: { lead: KEN, decidedBy: { organisation: KEN } } });
  });

  it('given a decision by one director, when the same party decides again, confirms its own decision, or another director decides the same lead, then it is refused with what to do', () => {
    const history = [...atTheTop(), taken(AMS, AMS, [KEN])];
    spec
      .given(history)
      .when(decide(AMS, KEN, 'd-again'))
      .thenRefused('wrong-state', /waits for confirmation by the directors of vt-kennemerland/);
    spec
      .given(history)
      .when(confirm(AMS, `d-${AMS}`))
      .thenRefused('wrong-state', /your own director's decision/);
    spec
      .given(history)
      .when(decide(KEN, AMS))
      .thenRefused('wrong-state', /confirm that decision/);
  });

  it('given a decision at the top, when someone who is not a director of a party decides or confirms, then it is forbidden', () => {
    const history = [...atTheTop(), taken(AMS, AMS, [KEN])];
    spec
      .given(atTheTop())
      .when(decide(AMS, AMS, 'd-1', 'manager'))
      .thenRefused('forbidden', /Only a director/);
    spec
      .given(history)
      .when(confirm(KEN, `d-${AMS}`, T2, 'manager'))
      .thenRefused('forbidden', /Only a director/);
    spec
      .given(history)
      .when(confirm(KEN, `d-${AMS}`, T2, 'inspector'))
      .thenRefused('forbidden', /Inspectors/);
    spec
      .given(history)
      .when(confirm(UTR, `d-${AMS}`))
      .thenRefused('forbidden', /Only the parties/);
  });

  it('given escalation has not reached the directors, when a director decides or confirms, then it is refused', () => {
    spec
      .given([opened(), escalated(1), escalated(2)])
      .when(decide(AMS, AMS))
      .thenRefused('wrong-state', /reached level 2.*only once it has reached the directors/);
    spec
      .given([opened()])
      .when(confirm(KEN, 'd-x'))
      .thenRefused('wrong-state', /no decision at the top to confirm/);
  });

  it('given a lead decided together, when re-negotiated, then the new round starts without an open decision or disagreement', () => {
    const history = [
      ...atTheTop(),
      taken(AMS, AMS, [KEN]),
      ...decideLead(confirm(KEN, `d-${AMS}`), foldLead([...atTheTop(), taken(AMS, AMS, [KEN])])),
    ];
    const renegotiated = spec
      .given(history)
      .when({ type: 'Renegotiate', actor: person(KEN, 'professional'), now: T3, reason: 'moved', deadlineAt: T3 })
      .events();
    const view = toLeadView(foldLead([...history, ...renegotiated]));
    expect(view).toMatchObject({ status: 'open', round: 2, disagreement: false, lead: { organisation: AMS } });
    expect(view.pendingDecision).toBeUndefined();
    expect(view.lead?.confirmations?.map((c) => c.organisation)).toEqual([KEN]);
  });
});

describe('the decisions at the top a page offers (topDecisionsOpenTo)', () => {
  const three = [KEN, AMS, UTR];
  const histories: Record<string, LeadEvent[]> = {
    'before the directors': [opened(three), escalated(1, three), escalated(2, three)],
    'at the top': atTheTop(three),
    'a decision by Amsterdam': [...atTheTop(three), taken(AMS, AMS, [KEN, UTR])],
    'confirmed by Kennemerland': [...atTheTop(three), taken(AMS, AMS, [KEN, UTR]), confirmed(KEN, `d-${AMS}`)],
    'decided together': [
      ...atTheTop(),
      taken(AMS, AMS, [KEN]),
      ...decideLead(confirm(KEN, `d-${AMS}`), foldLead([...atTheTop(), taken(AMS, AMS, [KEN])])),
    ],
  };
  const accepted = (command: LeadCommand, events: LeadEvent[]) => {
    try {
      decideLead(command, foldLead(events));
      return true;
    } catch {
      return false;
    }
  };

  it.each(Object.keys(histories))(
    'given %s, when a page asks what each person may decide or confirm, then it offers exactly what the decider accepts',
    (name) => {
      const events = histories[name]!;
      const view = toLeadView(foldLead(events));
      for (const org of [...three, 'vt-zuid-limburg']) {
        for (const role of ['professional', 'manager', 'director', 'inspector']) {
          const actor = person(org, role);
          const offered = topDecisionsOpenTo(actor, view);
          for (const lead of three) {
            expect({ org, role, lead, decide: offered.decide.includes(lead) }).toEqual({
              org,
              role,
              lead,
              decide: accepted(decide(org, lead, `d-new-${org}`, role), events),
            });
          }
          const open = view.pendingDecision?.decisionId;
          expect({ org, role, confirm: offered.confirm?.decisionId }).toEqual({
            org,
            role,
            confirm: open && accepted(confirm(org, open, T3, role), events) ? open : undefined,
          });
        }
      }
    },
  );

  it('given a decision by Amsterdam, when Kennemerland’s director looks, then confirming it and deciding for another party are offered, deciding for Amsterdam again is not', () => {
    const view = toLeadView(foldLead(histories['a decision by Amsterdam']!));
    expect(topDecisionsOpenTo(person(KEN), view)).toEqual({
      decide: [KEN, UTR],
      confirm: { decisionId: `d-${AMS}`, lead: AMS, decidedBy: AMS },
    });
    expect(topDecisionsOpenTo(person(AMS), view)).toEqual({ decide: [] });
  });
});
