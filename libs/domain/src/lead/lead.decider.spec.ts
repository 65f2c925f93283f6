import { CommandRefused } from '../shared/command-refused';
import { findOrganisation } from '../organisations/directory';
import type { LeadCommand, OpenNegotiation } from './lead.commands';
import { decideLead } from './lead.decider';
import type { LeadEvent } from './lead.events';
import { foldLead, toLeadView } from './lead.state';
import { leadRegionMismatch } from './lead.alignment';

const NOW = '2026-11-23T09:00:00.000Z';
const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const person = (organisation: string, role = 'professional') => ({
  subject: `p:${organisation}:${role}`,
  organisation,
  role,
});

const open: OpenNegotiation = {
  type: 'OpenNegotiation',
  actor: person(KEN),
  now: NOW,
  negotiationId: 'n-1',
  caseId: 'case-1',
  chain: 'care',
  parties: [KEN, AMS],
  municipality: 'gemeente-haarlemmermeer',
  suggestedLead: {
    organisation: KEN,
    rule: 'region-where-child-lives',
    basis: 'child lives in gemeente-haarlemmermeer',
  },
  deadlines: { agreement: 2, escalationInterval: 1 },
  deadlineAt: '2026-11-25T09:00:00.000Z',
  ladders: { [KEN]: findOrganisation(KEN)!.ladder, [AMS]: findOrganisation(AMS)!.ladder },
};

function run(...commands: LeadCommand[]): LeadEvent[] {
  const events: LeadEvent[] = [];
  for (const command of commands) events.push(...decideLead(command, foldLead(events)));
  return events;
}
const propose = (org: string, lead: string, proposalId = `p-${org}-${lead}`): LeadCommand => ({
  type: 'ProposeLead',
  actor: person(org),
  now: NOW,
  proposalId,
  lead,
  rationale: 'The child lives in this region.',
});
const accept = (org: string, proposalId: string, role = 'professional'): LeadCommand => ({
  type: 'AcceptProposal',
  actor: person(org, role),
  now: NOW,
  proposalId,
});
const escalate: LeadCommand = {
  type: 'EscalateNegotiation',
  actor: { subject: 'system:timer', organisation: 'warm-handover', role: 'system' },
  now: NOW,
};
/** A decision as negotiations from before §6 took it: one director put the lead in force. */
const decide = (org: string, role = 'director'): LeadCommand => ({
  type: 'DecideLead',
  actor: person(org, role),
  now: NOW,
  decisionId: 'd-old',
  lead: AMS,
  rationale: 'Amsterdam holds most of the picture.',
  confirmationRequired: false,
});

function refusal(fn: () => unknown): CommandRefused {
  try {
    fn();
  } catch (e) {
    if (e instanceof CommandRefused) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('lead negotiation decider', () => {
  it('given a party, when it opens a negotiation, then the suggestion is shown and no lead is imposed', () => {
    const view = toLeadView(foldLead(run(open)));
    expect(view).toMatchObject({
      status: 'open',
      round: 1,
      suggestedLead: { organisation: KEN, rule: 'region-where-child-lives' },
    });
    expect(view.lead).toBeUndefined();
  });

  it('given an open negotiation, when a non-party or an inspector acts, then it is forbidden', () => {
    const state = foldLead(run(open));
    expect(refusal(() => decideLead(propose('vt-utrecht', KEN), state)).code).toBe('forbidden');
    expect(refusal(() => decideLead({ ...propose(KEN, KEN), actor: person(KEN, 'inspector') }, state)).code).toBe(
      'forbidden',
    );
    expect(refusal(() => decideLead({ ...open, actor: person('vt-utrecht') }, foldLead([]))).code).toBe('forbidden');
  });

  it('given one party or the same party twice, when opened, then it is invalid', () => {
    expect(refusal(() => decideLead({ ...open, parties: [KEN] }, foldLead([]))).code).toBe('invalid');
    expect(refusal(() => decideLead({ ...open, parties: [KEN, KEN] }, foldLead([]))).code).toBe('invalid');
  });

  it('given a proposal, when every other party accepts it, then the lead is agreed with every acceptance recorded', () => {
    const events = run(open, propose(KEN, KEN, 'p1'), accept(AMS, 'p1', 'team-lead'));
    const agreed = events.at(-1)!;
    expect(agreed).toMatchObject({ type: 'LeadAgreed', data: { lead: KEN, proposalId: 'p1' } });
    expect(agreed.type === 'LeadAgreed' && agreed.data.acceptances.map((a) => [a.organisation, a.role])).toEqual([
      [KEN, 'professional'],
      [AMS, 'team-lead'],
    ]);
    expect(toLeadView(foldLead(events))).toMatchObject({
      status: 'agreed',
      lead: { organisation: KEN, how: 'agreed' },
    });
  });

  it('given a proposal, when another party counter-proposes, then there is an open disagreement and the old proposal can no longer be accepted', () => {
    const events = run(open, propose(KEN, KEN, 'p1'), propose(AMS, AMS, 'p2'));
    expect(events.at(-1)).toMatchObject({ type: 'LeadProposed', data: { counter: true, lead: AMS } });
    const state = foldLead(events);
    expect(toLeadView(state).disagreement).toBe(true);
    expect(refusal(() => decideLead(accept(AMS, 'p1'), state)).code).toBe('wrong-state');
    expect(run(open, propose(KEN, KEN, 'p1'), propose(AMS, AMS, 'p2'), accept(KEN, 'p2')).at(-1)).toMatchObject({
      type: 'LeadAgreed',
      data: { lead: AMS },
    });
  });

  it('given a proposal without a rationale or for a non-party, when proposed, then it is invalid', () => {
    const state = foldLead(run(open));
    expect(
      refusal(() => decideLead({ ...propose(KEN, KEN), rationale: ' ' } as LeadCommand, state)).details.field,
    ).toBe('rationale');
    expect(refusal(() => decideLead(propose(KEN, 'vt-utrecht'), state)).details.field).toBe('lead');
  });

  it('given silence past the deadline, when escalated repeatedly, then all parties’ ladders are climbed to the directors and it keeps reminding', () => {
    const events = run(open, escalate, escalate, escalate, escalate);
    const levels = events
      .filter((e) => e.type === 'LeadNegotiationEscalated')
      .map((e) => e.type === 'LeadNegotiationEscalated' && [e.data.level, e.data.repeat, e.data.reason]);
    expect(levels).toEqual([
      [1, 0, 'silence'],
      [2, 0, 'silence'],
      [3, 0, 'silence'],
      [3, 1, 'silence'],
    ]);
  });

  it('given an unresolved counter-proposal, when escalated, then the reason is disagreement', () => {
    expect(run(open, propose(KEN, KEN, 'p1'), propose(AMS, AMS, 'p2'), escalate).at(-1)).toMatchObject({
      data: { reason: 'disagreement', level: 1 },
    });
  });

  it('given a negotiation from before decisions were taken together, when escalation is below director level a director is refused; at director level one director decides and the lead is in force', () => {
    const atManagers = foldLead(run(open, escalate, escalate));
    expect(refusal(() => decideLead(decide(AMS), atManagers)).message).toMatch(/reached level 2.*level 3/);
    const atDirectors = foldLead(run(open, escalate, escalate, escalate));
    expect(refusal(() => decideLead(decide(AMS, 'manager'), atDirectors)).code).toBe('forbidden');
    const [decided] = decideLead(decide(AMS), atDirectors);
    expect(decided).toMatchObject({
      type: 'LeadDecided',
      data: {
        lead: AMS,
        decidedBy: { organisation: AMS, role: 'director' },
        rationale: 'Amsterdam holds most of the picture.',
      },
    });
  });

  it('given an agreed lead, when re-negotiated, then the lead stays in force until a new one is agreed, and history keeps both', () => {
    const renegotiate: LeadCommand = {
      type: 'Renegotiate',
      actor: person(AMS),
      now: NOW,
      reason: 'The family moved to Amsterdam.',
      deadlineAt: '2026-11-27T09:00:00.000Z',
    };
    const events = run(open, propose(KEN, KEN, 'p1'), accept(AMS, 'p1'), renegotiate);
    const during = toLeadView(foldLead(events));
    expect(during).toMatchObject({ status: 'open', round: 2, lead: { organisation: KEN } });
    const after = toLeadView(
      foldLead([...events, ...decideLeadAll(events, propose(AMS, AMS, 'p3'), accept(KEN, 'p3'))]),
    );
    expect(after).toMatchObject({ status: 'agreed', round: 2, lead: { organisation: AMS } });
    expect(after.leadHistory.map((l) => l.organisation)).toEqual([KEN, AMS]);
  });

  it('given an open negotiation, when re-negotiation is asked, then it is refused: there is no lead to change yet', () => {
    const renegotiate: LeadCommand = {
      type: 'Renegotiate',
      actor: person(AMS),
      now: NOW,
      reason: 'moved',
      deadlineAt: NOW,
    };
    expect(refusal(() => decideLead(renegotiate, foldLead(run(open)))).code).toBe('wrong-state');
  });
});

function decideLeadAll(prior: LeadEvent[], ...commands: LeadCommand[]): LeadEvent[] {
  const added: LeadEvent[] = [];
  for (const c of commands) added.push(...decideLead(c, foldLead([...prior, ...added])));
  return added;
}

describe('cross-chain alignment (R4)', () => {
  it('given a Veilig Thuis lead in Kennemerland and a police lead in Amsterdam, when checked, then the mismatch is flagged to both leads and the municipality', () => {
    const mismatch = leadRegionMismatch(
      'case-1',
      { care: KEN, safety: 'politie-amsterdam' },
      'gemeente-haarlemmermeer',
      NOW,
    );
    expect(mismatch).toMatchObject({
      type: 'LeadRegionMismatch',
      data: {
        careLead: KEN,
        careLeadPoliceUnit: 'politie-noord-holland',
        safetyLead: 'politie-amsterdam',
        suggestedAction: 'renegotiate',
      },
    });
    expect(mismatch!.data.recipients.map((r) => r.organisation)).toEqual([
      KEN,
      'politie-amsterdam',
      'gemeente-haarlemmermeer',
    ]);
  });

  it('given leads in the same working area, or a lead in one chain only, when checked, then nothing is flagged', () => {
    expect(
      leadRegionMismatch('case-1', { care: KEN, safety: 'politie-noord-holland' }, undefined, NOW),
    ).toBeUndefined();
    expect(leadRegionMismatch('case-1', { care: KEN }, undefined, NOW)).toBeUndefined();
  });
});
