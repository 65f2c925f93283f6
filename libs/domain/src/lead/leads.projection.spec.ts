import type { LeadEvent, LeadRegionMismatch } from './lead.events';
import { leadsAt } from './leads.projection';

const ids = (chain: 'care' | 'safety') => ({ negotiationId: `n-${chain}`, caseId: 'case-1', chain });
const opened = (chain: 'care' | 'safety', at: string) =>
  ({ type: 'LeadNegotiationOpened', data: { ...ids(chain), parties: [], openedAt: at } }) as unknown as LeadEvent;
const agreed = (chain: 'care' | 'safety', lead: string, at: string, round = 1) =>
  ({
    type: 'LeadAgreed',
    data: { ...ids(chain), round, lead, proposalId: 'p', acceptances: [], agreedAt: at },
  }) as LeadEvent;
const decided = (chain: 'care' | 'safety', lead: string, at: string, round: number) =>
  ({
    type: 'LeadDecided',
    data: {
      ...ids(chain),
      round,
      lead,
      decidedBy: { organisation: lead, subject: 's', role: 'director' },
      rationale: 'r',
      decidedAt: at,
    },
  }) as LeadEvent;
const mismatch = (careLead: string, safetyLead: string, at: string): LeadRegionMismatch => ({
  type: 'LeadRegionMismatch',
  data: {
    caseId: 'case-1',
    careLead,
    careLeadPoliceUnit: 'politie-amsterdam',
    safetyLead,
    recipients: [],
    suggestedAction: 'renegotiate',
    detectedAt: at,
  },
});

describe('leads of a case at a moment', () => {
  const events = [
    opened('care', '2026-11-02T09:00:00Z'),
    agreed('care', 'vt-amsterdam-amstelland', '2026-11-03T09:00:00Z'),
    opened('safety', '2026-11-02T09:00:00Z'),
    agreed('safety', 'politie-noord-holland', '2026-11-05T09:00:00Z'),
    mismatch('vt-amsterdam-amstelland', 'politie-noord-holland', '2026-11-05T09:00:01Z'),
    decided('safety', 'politie-amsterdam', '2026-11-10T09:00:00Z', 2),
  ];

  it.each([
    ['2026-11-02T12:00:00Z', undefined, undefined, false],
    ['2026-11-04T12:00:00Z', 'vt-amsterdam-amstelland', undefined, false],
    ['2026-11-06T12:00:00Z', 'vt-amsterdam-amstelland', 'politie-noord-holland', true],
    ['2026-11-11T12:00:00Z', 'vt-amsterdam-amstelland', 'politie-amsterdam', false],
  ])(
    'given the case, when asked at %s, then care is %s, safety %s and a mismatch is shown: %s',
    (at, care, safety, flagged) => {
      const leads = leadsAt('case-1', events, at);
      expect(leads.care?.organisation).toBe(care);
      expect(leads.safety?.organisation).toBe(safety);
      expect(Boolean(leads.mismatch)).toBe(flagged);
      expect(leads.negotiations).toEqual({ care: 'n-care', safety: 'n-safety' });
    },
  );

  it('given a re-negotiated safety lead decided by a director, when asked afterwards, then it says how it was reached', () => {
    expect(leadsAt('case-1', events, '2026-11-11T00:00:00Z').safety).toMatchObject({ how: 'decided', round: 2 });
  });
});

describe('leads decided at the top, before and since decisions are taken together (issue 11 §6)', () => {
  const base = {
    ...ids('care'),
    round: 1,
    lead: 'vt-amsterdam-amstelland',
    decidedBy: { organisation: 'vt-amsterdam-amstelland', subject: 's-ams', role: 'director' },
    rationale: 'r',
  };
  const taken = {
    type: 'LeadDecisionTaken',
    data: {
      ...base,
      decisionId: 'd-1',
      counter: false,
      awaiting: ['vt-kennemerland'],
      decidedAt: '2026-11-10T09:00:00Z',
    },
  } as LeadEvent;
  const confirmation = {
    organisation: 'vt-kennemerland',
    subject: 's-ken',
    role: 'director',
    at: '2026-11-11T09:00:00Z',
  };

  it('given an old LeadDecided without confirmations, when asked afterwards, then it is a lead in force decided by one director', () => {
    const old = { type: 'LeadDecided', data: { ...base, decidedAt: '2026-11-10T09:00:00Z' } } as LeadEvent;
    const care = leadsAt('case-1', [opened('care', '2026-11-02T09:00:00Z'), old], '2026-11-12T00:00:00Z').care;
    expect(care).toMatchObject({ organisation: 'vt-amsterdam-amstelland', how: 'decided', decidedBy: base.decidedBy });
    expect(care?.confirmations).toBeUndefined();
  });

  it('given a decision taken by one director, when asked before and after the other director confirmed, then there is no lead before and afterwards the lead shows who decided and who confirmed', () => {
    const events = [
      opened('care', '2026-11-02T09:00:00Z'),
      taken,
      {
        type: 'LeadDecisionConfirmed',
        data: { ...ids('care'), decisionId: 'd-1', round: 1, confirmation },
      } as LeadEvent,
      {
        type: 'LeadDecided',
        data: { ...base, decidedAt: confirmation.at, decisionId: 'd-1', confirmations: [confirmation] },
      } as LeadEvent,
    ];
    expect(leadsAt('case-1', events.slice(0, 2), '2026-11-12T00:00:00Z').care).toBeUndefined();
    expect(leadsAt('case-1', events, '2026-11-10T12:00:00Z').care).toBeUndefined();
    expect(leadsAt('case-1', events, '2026-11-12T00:00:00Z').care).toEqual({
      organisation: 'vt-amsterdam-amstelland',
      how: 'decided',
      since: confirmation.at,
      negotiationId: 'n-care',
      round: 1,
      decidedBy: base.decidedBy,
      confirmations: [confirmation],
    });
  });
});
