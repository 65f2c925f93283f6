import type { RecordedEvent } from '@warm-handover/contracts';
import {
  type CaseEvent,
  DIRECTORY_VERSION,
  ladderOf,
  type LeadEvent,
  type LeadRegionMismatch,
  type NoticeEvent,
} from '@warm-handover/domain';

/** Every event the service records, by the domain's own unions. */
export type RecordedDomainEvent = CaseEvent | LeadEvent | LeadRegionMismatch | NoticeEvent;

type Examples = { readonly [T in RecordedDomainEvent['type']]: Extract<RecordedDomainEvent, { type: T }>['data'] };

const CASE = 'case-3f9a1c2e';
const HANDOVER = '5d0c6a8e-2b7f-4e1a-9c3d-8f2e1a0b7c64';
const NEGOTIATION = 'a81e3b5c-7d2f-4c9a-b6e0-1f4d8c2a9e73';
const NOTICE = 'c2e7a9f1-3b8d-4f6a-8e1c-5d9b0a7f2e48';
const AT = '2026-11-23T09:00:00.000Z';
const FROM = 'vt-kennemerland';
const TO = 'vt-amsterdam-amstelland';
const from = ladderOf(FROM)!;
const to = ladderOf(TO)!;
const recipients = [{ organisation: FROM, role: 'team-lead' as const, title: from[1]!.title }];
const recipient = {
  organisation: FROM,
  role: 'team-lead' as const,
  contactPointId: 'cp-vt-kennemerland-team-lead',
  contactPointVersion: 1,
  channel: 'email' as const,
  address: 'teamleiders@vt-kennemerland.example',
};
const notice = {
  noticeId: NOTICE,
  caseId: CASE,
  causeEventId: '7e1d4c9a-0b3f-4a8e-9d2c-6f5b1e8a3c07',
  causeType: 'HandoverEscalated' as const,
  handoverId: HANDOVER,
  level: 1 as const,
  recipient,
};
const lead = { negotiationId: NEGOTIATION, caseId: CASE, chain: 'care' as const };
const acceptance = { organisation: TO, subject: 'subject-8c1f', role: 'professional', at: AT };

/**
 * One example of the data of every event type, as the deciders write them. A new event type
 * without an example here does not compile, so checks over "every event type" stay complete.
 */
export const EVENT_EXAMPLES: Examples = {
  HandoverRequested: {
    handoverId: HANDOVER,
    caseId: CASE,
    childIds: ['child-1a', 'child-1b'],
    fromOrg: FROM,
    toOrg: TO,
    reason: 'family-moved',
    reasonNote: 'verhuisd naar Amsterdam-Oost',
    riskAssessmentRef: 'risk-assessment-1',
    safetyAgreementRefs: ['safety-agreement-1'],
    deadlines: { receipt: 1, start: 10, escalationInterval: 1 },
    receiptDueAt: AT,
    startDueAt: AT,
    ladders: { directoryVersion: DIRECTORY_VERSION, from, to },
    requestedAt: AT,
  },
  HandoverReceived: { handoverId: HANDOVER, caseId: CASE, receivedAt: AT },
  HandoverAccepted: { handoverId: HANDOVER, caseId: CASE, plannedStartDate: '2026-11-30', acceptedAt: AT },
  HandoverStarted: {
    handoverId: HANDOVER,
    caseId: CASE,
    fromOrg: FROM,
    toOrg: TO,
    startedAt: AT,
    startedBy: 'subject-4b2e',
    confirmedAt: AT,
  },
  HandoverRejected: { handoverId: HANDOVER, caseId: CASE, reason: 'not-in-our-region', rejectedAt: AT },
  HandoverWithdrawn: { handoverId: HANDOVER, caseId: CASE, reason: 'sent-to-wrong-region', withdrawnAt: AT },
  HandoverContactFailed: { handoverId: HANDOVER, caseId: CASE, reason: 'no-show', occurredAt: AT },
  HandoverEscalated: {
    handoverId: HANDOVER,
    caseId: CASE,
    level: 1,
    reason: 'receipt-overdue',
    dueAt: AT,
    repeat: 0,
    recipients,
    responsibleOrg: FROM,
    escalatedAt: AT,
  },
  CaseKeptBySender: { caseId: CASE, organisation: FROM, handoverId: HANDOVER, reason: 'stays-with-us', decidedAt: AT },
  LeadNegotiationOpened: {
    ...lead,
    parties: [FROM, TO],
    municipality: 'gemeente-haarlemmermeer',
    suggestedLead: { organisation: TO, rule: 'region-where-child-lives', basis: 'child lives in Amsterdam-Amstelland' },
    deadlines: { agreement: 2, escalationInterval: 1 },
    deadlineAt: AT,
    ladders: { [FROM]: from, [TO]: to },
    openedAt: AT,
  },
  LeadProposed: {
    ...lead,
    proposalId: 'proposal-1',
    round: 1,
    lead: TO,
    proposedBy: FROM,
    proposer: { subject: 'subject-1d7a', role: 'professional' },
    rationale: 'child lives there',
    counter: false,
    proposedAt: AT,
  },
  LeadProposalAccepted: { ...lead, proposalId: 'proposal-1', round: 1, acceptance },
  LeadAgreed: { ...lead, round: 1, lead: TO, proposalId: 'proposal-1', acceptances: [acceptance], agreedAt: AT },
  LeadDecided: {
    ...lead,
    round: 1,
    lead: TO,
    decidedBy: { organisation: TO, subject: 'subject-9e3c', role: 'director' },
    rationale: 'no agreement after escalation',
    decidedAt: AT,
    decisionId: 'decision-1',
    confirmations: [{ organisation: FROM, subject: 'subject-6a1d', role: 'director', at: AT }],
  },
  LeadDecisionTaken: {
    ...lead,
    decisionId: 'decision-1',
    round: 1,
    lead: TO,
    decidedBy: { organisation: TO, subject: 'subject-9e3c', role: 'director' },
    rationale: 'no agreement after escalation',
    counter: false,
    awaiting: [FROM],
    decidedAt: AT,
  },
  LeadDecisionConfirmed: {
    ...lead,
    decisionId: 'decision-1',
    round: 1,
    confirmation: { organisation: FROM, subject: 'subject-6a1d', role: 'director', at: AT },
  },
  LeadNegotiationEscalated: {
    ...lead,
    round: 1,
    level: 1,
    reason: 'silence',
    dueAt: AT,
    repeat: 0,
    recipients,
    escalatedAt: AT,
  },
  LeadRenegotiationOpened: {
    ...lead,
    round: 2,
    reason: 'family moved again',
    openedBy: TO,
    leadInForce: TO,
    deadlineAt: AT,
    openedAt: AT,
  },
  LeadRegionMismatch: {
    caseId: CASE,
    careLead: TO,
    careLeadPoliceUnit: 'politie-amsterdam',
    safetyLead: 'politie-noord-holland',
    recipients: [{ organisation: 'gemeente-haarlemmermeer', role: 'manager' }],
    suggestedAction: 'renegotiate',
    detectedAt: AT,
  },
  NoticeAttemptFailed: { ...notice, attempt: 1, error: 'SMTP 451', nextAttemptAt: AT, failedAt: AT },
  NoticeSent: { ...notice, attempt: 2, subject: 'Overdracht niet ontvangen', sentAt: AT },
  NoticeFailed: { ...notice, attempts: 5, lastError: 'SMTP 451', failedAt: AT },
  NoticeAcknowledged: {
    noticeId: NOTICE,
    caseId: CASE,
    acknowledgedBy: { subject: 'subject-2f8b', organisation: FROM, role: 'team-lead' },
    acknowledgedAt: AT,
  },
};

/** The examples as the store records them, with pseudonymous actors in the metadata. */
export function recordedExamples(): RecordedEvent[] {
  return Object.entries(EVENT_EXAMPLES).map(([type, data], i) => ({
    globalPosition: i + 1,
    eventId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    streamId: `handover-${HANDOVER}`,
    streamVersion: i + 1,
    type,
    data,
    metadata: {
      actor: { subject: 'subject-4b2e', organisation: FROM, role: 'professional' },
      correlationId: '0f6e2d1c-9b8a-4765-a4f3-e2d1c0b9a887',
      causationId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      idempotencyKey: 'key-1',
      caseId: CASE,
    },
    recordedAt: AT,
  }));
}
