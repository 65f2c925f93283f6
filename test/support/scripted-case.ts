import { type CaseState, effectiveTime } from '@warm-handover/domain';

/**
 * One region-crossing case scripted event by event (seed case 1 in short), with the answers a
 * reconstruction must give at ten moments, written by hand. The projection's unit test folds
 * these events with scripted recording times; the e2e test appends them to the store (recorded
 * now) and asks the API, so both check the same expectations.
 */

export const KEN = 'vt-kennemerland';
export const AMS = 'vt-amsterdam-amstelland';
export const PAMS = 'politie-amsterdam';
export const PNH = 'politie-noord-holland';

export interface ScriptedEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** When the scripted store recorded it: a moment after the effective time, or much later. */
  readonly recordedAt: string;
  readonly actor: { readonly subject: string; readonly organisation: string; readonly role: string };
}

const HANDOVER = '6b1f3c2e-0d4a-4c1e-9f7a-2a9e5c8d1b01';
const CARE = '7c2a4d3f-1e5b-4d2f-8a8b-3b0f6d9e2c02';
const SAFETY = '8d3b5e4a-2f6c-4e3a-9b9c-4c1a7e0f3d03';

/** Effective times: every step happens at its own moment of November 2025 (UTC). */
const T = (dayHour: string) => `2025-11-${dayHour}Z`;
/** The start of care was confirmed two days after it happened. */
export const STARTED_AT = T('10T09:00:00.000');
export const START_CONFIRMED_AT = T('12T15:00:00.000');

const person = (organisation: string, role = 'professional') => ({
  subject: `ps-${organisation}-${role}`,
  organisation,
  role,
});
const system = { subject: 'system:workflow', organisation: KEN, role: 'professional' };
const ladder = (organisation: string, role: string) => ({ organisation, role, title: role });
const recipient = (organisation: string, role: string, channel: 'email' | 'webhook') => ({
  organisation,
  role,
  contactPointId: `cp-${organisation}-${role}`,
  contactPointVersion: 1,
  channel,
  address: channel === 'email' ? `${role}@${organisation}.example` : `https://${organisation}.example/hooks/notices`,
});
const acceptance = (organisation: string, at: string) => ({
  organisation,
  subject: `ps-${organisation}-professional`,
  role: 'professional',
  at,
});

export function scriptedCase(caseId: string): ScriptedEvent[] {
  const h = { handoverId: HANDOVER, caseId };
  const care = { negotiationId: CARE, caseId, chain: 'care' };
  const safety = { negotiationId: SAFETY, caseId, chain: 'safety' };
  const notice = (noticeId: string, level: number, to: ReturnType<typeof recipient>) => ({
    noticeId: `${noticeId}-${caseId}`,
    caseId,
    causeEventId: `${caseId}-escalation-${level}`,
    causeType: 'HandoverEscalated',
    handoverId: HANDOVER,
    level,
    recipient: to,
  });
  const proposed = (
    ids: typeof care,
    proposalId: string,
    by: string,
    rationale: string,
    counter: boolean,
    proposedAt: string,
  ) => ({
    streamId: `lead-${ids.negotiationId}`,
    type: 'LeadProposed',
    actor: person(by),
    data: {
      ...ids,
      proposalId,
      round: 1,
      lead: by,
      proposedBy: by,
      proposer: { subject: `ps-${by}-professional`, role: 'professional' },
      rationale,
      counter,
      proposedAt,
    },
  });
  /** `by` accepts the proposal of `lead`, which makes it agreed: two events at one moment. */
  const agreed = (ids: typeof care, proposalId: string, lead: string, proposedAt: string, by: string, at: string) => [
    {
      streamId: `lead-${ids.negotiationId}`,
      type: 'LeadProposalAccepted',
      actor: person(by),
      data: { ...ids, proposalId, round: 1, acceptance: acceptance(by, at) },
    },
    {
      streamId: `lead-${ids.negotiationId}`,
      type: 'LeadAgreed',
      actor: system,
      data: {
        ...ids,
        round: 1,
        lead,
        proposalId,
        acceptances: [acceptance(lead, proposedAt), acceptance(by, at)],
        agreedAt: at,
      },
    },
  ];
  const events: Omit<ScriptedEvent, 'recordedAt'>[] = [
    {
      streamId: `handover-${HANDOVER}`,
      type: 'HandoverRequested',
      actor: person(KEN),
      data: {
        ...h,
        childIds: [`${caseId}-child-a`],
        fromOrg: KEN,
        toOrg: AMS,
        reason: 'family-moved',
        safetyAgreementRefs: [],
        deadlines: { receipt: 1, start: 10, escalationInterval: 1 },
        receiptDueAt: T('04T09:00:00.000'),
        startDueAt: T('17T09:00:00.000'),
        ladders: { directoryVersion: 'test', from: [], to: [] },
        requestedAt: T('03T09:00:00.000'),
      },
    },
    {
      streamId: `lead-${CARE}`,
      type: 'LeadNegotiationOpened',
      actor: { ...system, subject: 'system:region-crossing' },
      data: {
        ...care,
        parties: [KEN, AMS],
        deadlines: { agreement: 2, escalationInterval: 1 },
        deadlineAt: T('05T09:00:00.000'),
        ladders: {},
        openedAt: T('03T09:00:01.000'),
      },
    },
    {
      streamId: `handover-${HANDOVER}`,
      type: 'HandoverEscalated',
      actor: system,
      data: {
        ...h,
        level: 1,
        reason: 'receipt-overdue',
        dueAt: T('04T09:00:00.000'),
        repeat: 0,
        recipients: [ladder(KEN, 'team-lead'), ladder(AMS, 'team-lead')],
        responsibleOrg: KEN,
        escalatedAt: T('04T09:00:00.000'),
      },
    },
    {
      streamId: `notice-n1-${caseId}`,
      type: 'NoticeSent',
      actor: system,
      data: {
        ...notice('n1', 1, recipient(KEN, 'team-lead', 'email')),
        attempt: 1,
        subject: 'Overdracht: ontvangst te laat',
        sentAt: T('04T09:01:00.000'),
      },
    },
    proposed(care, 'p1', KEN, 'wij kennen het gezin', false, T('04T10:00:00.000')),
    proposed(care, 'p2', AMS, 'het gezin woont nu in onze regio', true, T('04T11:00:00.000')),
    {
      streamId: `handover-${HANDOVER}`,
      type: 'HandoverEscalated',
      actor: system,
      data: {
        ...h,
        level: 2,
        reason: 'receipt-overdue',
        dueAt: T('05T09:00:00.000'),
        repeat: 0,
        recipients: [ladder(KEN, 'manager'), ladder(AMS, 'manager')],
        responsibleOrg: KEN,
        escalatedAt: T('05T09:00:00.000'),
      },
    },
    {
      streamId: `lead-${CARE}`,
      type: 'LeadNegotiationEscalated',
      actor: system,
      data: {
        ...care,
        round: 1,
        level: 1,
        reason: 'disagreement',
        dueAt: T('05T09:00:00.000'),
        repeat: 0,
        recipients: [ladder(KEN, 'team-lead'), ladder(AMS, 'team-lead')],
        escalatedAt: T('05T09:00:30.000'),
      },
    },
    {
      streamId: `notice-n2-${caseId}`,
      type: 'NoticeSent',
      actor: system,
      data: {
        ...notice('n2', 2, recipient(AMS, 'manager', 'email')),
        attempt: 1,
        subject: 'Overdracht: ontvangst te laat',
        sentAt: T('05T09:01:00.000'),
      },
    },
    {
      streamId: `notice-n3-${caseId}`,
      type: 'NoticeAttemptFailed',
      actor: system,
      data: {
        ...notice('n3', 2, recipient(KEN, 'manager', 'webhook')),
        attempt: 1,
        error: 'HTTP 503',
        nextAttemptAt: T('05T09:06:00.000'),
        failedAt: T('05T09:01:00.000'),
      },
    },
    {
      streamId: `notice-n1-${caseId}`,
      type: 'NoticeAcknowledged',
      actor: person(KEN, 'team-lead'),
      data: {
        noticeId: `n1-${caseId}`,
        caseId,
        acknowledgedBy: { subject: `ps-${KEN}-team-lead`, organisation: KEN, role: 'team-lead' },
        acknowledgedAt: T('05T10:00:00.000'),
      },
    },
    {
      streamId: `notice-n3-${caseId}`,
      type: 'NoticeFailed',
      actor: system,
      data: {
        ...notice('n3', 2, recipient(KEN, 'manager', 'webhook')),
        attempts: 5,
        lastError: 'HTTP 503',
        failedAt: T('05T11:00:00.000'),
      },
    },
    {
      streamId: `handover-${HANDOVER}`,
      type: 'HandoverReceived',
      actor: person(AMS),
      data: { ...h, receivedAt: T('05T12:00:00.000') },
    },
    ...agreed(care, 'p2', AMS, T('04T11:00:00.000'), KEN, T('06T09:00:00.000')),
    {
      streamId: `handover-${HANDOVER}`,
      type: 'HandoverAccepted',
      actor: person(AMS),
      data: { ...h, plannedStartDate: '2025-11-10', acceptedAt: T('06T10:00:00.000') },
    },
    {
      streamId: `lead-${SAFETY}`,
      type: 'LeadNegotiationOpened',
      actor: person(PAMS),
      data: {
        ...safety,
        parties: [PAMS, PNH],
        deadlines: { agreement: 2, escalationInterval: 1 },
        deadlineAt: T('10T11:00:00.000'),
        ladders: {},
        openedAt: T('06T11:00:00.000'),
      },
    },
    proposed(safety, 'p3', PNH, 'de wijkagent kent het adres', false, T('07T09:00:00.000')),
    ...agreed(safety, 'p3', PNH, T('07T09:00:00.000'), PAMS, T('07T10:00:00.000')),
    {
      streamId: `case-${caseId}`,
      type: 'LeadRegionMismatch',
      actor: system,
      data: {
        caseId,
        careLead: AMS,
        careLeadPoliceUnit: PAMS,
        safetyLead: PNH,
        recipients: [
          { organisation: AMS, role: 'team-lead' },
          { organisation: PNH, role: 'team-lead' },
          { organisation: 'gemeente-haarlemmermeer', role: 'team-lead' },
        ],
        suggestedAction: 'renegotiate',
        detectedAt: T('07T10:00:01.000'),
      },
    },
    {
      streamId: `handover-${HANDOVER}`,
      type: 'HandoverStarted',
      actor: person(AMS),
      data: {
        ...h,
        fromOrg: KEN,
        toOrg: AMS,
        startedAt: STARTED_AT,
        startedBy: `ps-${AMS}-professional`,
        confirmedAt: START_CONFIRMED_AT,
      },
    },
  ];
  return events.map((event) => ({
    ...event,
    recordedAt:
      event.type === 'HandoverStarted'
        ? START_CONFIRMED_AT
        : new Date(Date.parse(effectiveTime({ ...event, recordedAt: '' })) + 50).toISOString(),
  }));
}

/**
 * A moment to ask about: `at` on the effective clock, and what the system had recorded: everything,
 * or only what was recorded before the start of care was confirmed.
 */
export interface ScriptedMoment {
  readonly at: string;
  readonly knowledge: 'everything' | 'before-start-confirmation';
  readonly expected: CaseSummary;
}

/** The answer in short, so each moment's expectation fits on a few lines and is compared whole. */
export interface CaseSummary {
  readonly responsible: string | null;
  readonly openHandovers: readonly string[];
  readonly care: string | null;
  readonly safety: string | null;
  readonly mismatch: string | null;
  readonly notices: readonly string[];
}

export function summarise(state: CaseState): CaseSummary {
  const chain = (c: CaseState['chains']['care']) => {
    if (!c) return null;
    const n = c.negotiation;
    const negotiation = `negotiation ${n.status} round ${n.round} escalation ${n.escalation.level}${n.currentProposal ? `, proposal ${n.currentProposal.lead}${n.currentProposal.counter ? ' (counter)' : ''}` : ''}`;
    if (!c.lead) return negotiation;
    const how =
      c.lead.how === 'agreed'
        ? `agreed by ${(c.lead.acceptances ?? []).map((a) => a.organisation).join(', ')}`
        : `decided by ${c.lead.decidedBy?.organisation} ${c.lead.decidedBy?.role}`;
    return `${c.lead.organisation} since ${c.lead.since} ${how}; ${negotiation}`;
  };
  return {
    responsible: state.responsible ? `${state.responsible.organisation} since ${state.responsible.since}` : null,
    openHandovers: state.openHandovers.map(
      (h) =>
        `${h.status}, ${h.pending?.step} due ${h.pending?.dueAt}${h.pending?.overdue ? ' overdue' : ''}, escalation ${h.escalation.level}`,
    ),
    care: chain(state.chains.care),
    safety: chain(state.chains.safety),
    mismatch: state.mismatch ? `${state.mismatch.careLead} / ${state.mismatch.safetyLead}` : null,
    notices: state.notices.map(
      (n) =>
        `${n.noticeId.slice(0, 2)} level ${n.level} to ${n.recipient.organisation} ${n.recipient.role}: ${n.status}${n.acknowledgedBy ? ` by ${n.acknowledgedBy.role}` : ''}`,
    ),
  };
}

const care1 = `negotiation open round 1 escalation 0`;
const careCounter = `${care1}, proposal ${AMS} (counter)`;
const careAgreed = `${AMS} since ${T('06T09:00:00.000')} agreed by ${AMS}, ${KEN}; negotiation agreed round 1 escalation 1`;
const safetyAgreed = `${PNH} since ${T('07T10:00:00.000')} agreed by ${PNH}, ${PAMS}; negotiation agreed round 1 escalation 0`;
const kenResponsible = `${KEN} since ${T('03T09:00:00.000')}`;
const n1Sent = `n1 level 1 to ${KEN} team-lead: sent`;
const n1Acknowledged = `n1 level 1 to ${KEN} team-lead: acknowledged by team-lead`;
const n2Sent = `n2 level 2 to ${AMS} manager: sent`;
const n3Failed = `n3 level 2 to ${KEN} manager: failed`;
const accepted = `accepted, start due ${T('17T09:00:00.000')}, escalation 0`;

export const TEN_MOMENTS: readonly ScriptedMoment[] = [
  {
    at: T('03T08:00:00.000'),
    knowledge: 'everything',
    expected: { responsible: null, openHandovers: [], care: null, safety: null, mismatch: null, notices: [] },
  },
  {
    at: T('03T12:00:00.000'),
    knowledge: 'everything',
    expected: {
      responsible: kenResponsible,
      openHandovers: [`requested, receipt due ${T('04T09:00:00.000')}, escalation 0`],
      care: care1,
      safety: null,
      mismatch: null,
      notices: [],
    },
  },
  {
    at: T('04T12:00:00.000'),
    knowledge: 'everything',
    expected: {
      responsible: kenResponsible,
      openHandovers: [`requested, receipt due ${T('04T09:00:00.000')} overdue, escalation 1`],
      care: careCounter,
      safety: null,
      mismatch: null,
      notices: [n1Sent],
    },
  },
  {
    at: T('05T09:30:00.000'),
    knowledge: 'everything',
    expected: {
      responsible: kenResponsible,
      openHandovers: [`requested, receipt due ${T('04T09:00:00.000')} overdue, escalation 2`],
      care: careCounter.replace('escalation 0', 'escalation 1'),
      safety: null,
      mismatch: null,
      notices: [n1Sent, n2Sent, `n3 level 2 to ${KEN} manager: retrying`],
    },
  },
  {
    at: T('05T13:00:00.000'),
    knowledge: 'everything',
    expected: {
      responsible: kenResponsible,
      openHandovers: [`received, start due ${T('17T09:00:00.000')}, escalation 0`],
      care: careCounter.replace('escalation 0', 'escalation 1'),
      safety: null,
      mismatch: null,
      notices: [n1Acknowledged, n2Sent, n3Failed],
    },
  },
  {
    at: T('06T12:00:00.000'),
    knowledge: 'everything',
    expected: {
      responsible: kenResponsible,
      openHandovers: [accepted],
      care: careAgreed,
      safety: 'negotiation open round 1 escalation 0',
      mismatch: null,
      notices: [n1Acknowledged, n2Sent, n3Failed],
    },
  },
  {
    at: T('07T12:00:00.000'),
    knowledge: 'everything',
    expected: {
      responsible: kenResponsible,
      openHandovers: [accepted],
      care: careAgreed,
      safety: safetyAgreed,
      mismatch: `${AMS} / ${PNH}`,
      notices: [n1Acknowledged, n2Sent, n3Failed],
    },
  },
  {
    // With hindsight: care started on the 10th, though it was confirmed only on the 12th.
    at: T('11T12:00:00.000'),
    knowledge: 'everything',
    expected: {
      responsible: `${AMS} since ${STARTED_AT}`,
      openHandovers: [],
      care: careAgreed,
      safety: safetyAgreed,
      mismatch: `${AMS} / ${PNH}`,
      notices: [n1Acknowledged, n2Sent, n3Failed],
    },
  },
  {
    // What the system knew before the confirmation: the sender was still responsible (R1).
    at: STARTED_AT,
    knowledge: 'before-start-confirmation',
    expected: {
      responsible: kenResponsible,
      openHandovers: [accepted],
      care: careAgreed,
      safety: safetyAgreed,
      mismatch: `${AMS} / ${PNH}`,
      notices: [n1Acknowledged, n2Sent, n3Failed],
    },
  },
  {
    // The same moment with everything recorded: the receiver, from the start of care on.
    at: STARTED_AT,
    knowledge: 'everything',
    expected: {
      responsible: `${AMS} since ${STARTED_AT}`,
      openHandovers: [],
      care: careAgreed,
      safety: safetyAgreed,
      mismatch: `${AMS} / ${PNH}`,
      notices: [n1Acknowledged, n2Sent, n3Failed],
    },
  },
];
