import { HANDOVER_EVENT_TYPES, type HandoverEvent } from '../handover/handover.events';
import type { LeadEvent, LeadRegionMismatch } from '../lead/lead.events';
import type { FamilyEvent } from '../family/family.events';
import type { NoticeEvent } from '../notice/notice.events';
import type { CaseEvent } from './case.decisions';
import type { CaseOwnEvent } from './case.events';

/**
 * A case's events carry two clocks. The recorded time is when the store wrote the event; the
 * effective time is when it happened in the world, in the event's own data (a start of care
 * confirmed two days late has `startedAt` two days before it was recorded). Reconstruction
 * (R10) needs both: "what was true at T" and "what did the system know at R".
 */

/** An event of a case as the audit projections need it, e.g. a RecordedEvent of the store. */
export interface CaseRecord {
  readonly type: string;
  readonly data: unknown;
  /** ISO-8601: when the event store recorded it. */
  readonly recordedAt: string;
}

/** Every event a case's timeline holds: handovers, the case's own decisions, leads, notices. */
export type AnyCaseEvent = HandoverEvent | CaseOwnEvent | LeadEvent | LeadRegionMismatch | NoticeEvent | FamilyEvent;

/** The event as its domain type; the store's type and data are the event's own. */
export function asCaseEvent(record: CaseRecord): AnyCaseEvent {
  return { type: record.type, data: record.data } as AnyCaseEvent;
}

/**
 * When the event took effect: the time field of its own data. Event types this code does not
 * know (added later) fall back to their recorded time, so they still sort into place.
 */
export function effectiveTime(record: CaseRecord): string {
  const event = asCaseEvent(record);
  switch (event.type) {
    case 'HandoverRequested':
      return event.data.requestedAt;
    case 'HandoverReceived':
      return event.data.receivedAt;
    case 'HandoverAccepted':
      return event.data.acceptedAt;
    case 'HandoverStarted':
      return event.data.startedAt;
    case 'HandoverRejected':
      return event.data.rejectedAt;
    case 'HandoverWithdrawn':
      return event.data.withdrawnAt;
    case 'HandoverContactFailed':
      return event.data.occurredAt;
    case 'HandoverEscalated':
    case 'LeadNegotiationEscalated':
      return event.data.escalatedAt;
    case 'CaseOpened':
      return event.data.openedAt;
    case 'ChildrenAdded':
      return event.data.addedAt;
    case 'PartyInvolved':
      return event.data.involvedAt;
    case 'CaseKeptBySender':
    case 'LeadDecided':
    case 'LeadDecisionTaken':
      return event.data.decidedAt;
    case 'LeadDecisionConfirmed':
      return event.data.confirmation.at;
    case 'LeadNegotiationOpened':
    case 'LeadRenegotiationOpened':
      return event.data.openedAt;
    case 'LeadProposed':
      return event.data.proposedAt;
    case 'LeadProposalAccepted':
      return event.data.acceptance.at;
    case 'LeadAgreed':
      return event.data.agreedAt;
    case 'LeadRegionMismatch':
      return event.data.detectedAt;
    case 'NoticeAttemptFailed':
    case 'NoticeFailed':
      return event.data.failedAt;
    case 'NoticeSent':
      return event.data.sentAt;
    case 'NoticeAcknowledged':
      return event.data.acknowledgedAt;
    case 'FamilyChangeRecorded':
    case 'CareAvoidanceSignalled':
      return event.data.occurredAt;
    case 'RiskReassessed':
      return event.data.assessedAt;
    case 'CaseDirectorProposed':
      return event.data.proposedAt;
    case 'CaseDirectorConfirmed':
      return event.data.confirmedAt;
    case 'PlanGoalSet':
      return event.data.setAt;
    case 'PlanGoalResultRecorded':
      return event.data.recordedAt;
    case 'FamilyEscalated':
      return event.data.escalatedAt;
    default:
      return record.recordedAt;
  }
}

const LEAD_EVENT_TYPES: readonly string[] = [
  'LeadNegotiationOpened',
  'LeadProposed',
  'LeadProposalAccepted',
  'LeadAgreed',
  'LeadDecided',
  'LeadDecisionTaken',
  'LeadDecisionConfirmed',
  'LeadNegotiationEscalated',
  'LeadRenegotiationOpened',
] satisfies readonly LeadEvent['type'][];
const NOTICE_EVENT_TYPES: readonly string[] = [
  'NoticeAttemptFailed',
  'NoticeSent',
  'NoticeFailed',
  'NoticeAcknowledged',
] satisfies readonly NoticeEvent['type'][];

export function isHandoverEvent(event: AnyCaseEvent): event is HandoverEvent {
  return (HANDOVER_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Handover events and the case's own decisions: what unresolvedHandover folds. */
export function isCaseDecisionEvent(event: AnyCaseEvent): event is CaseEvent {
  return isHandoverEvent(event) || event.type === 'CaseKeptBySender';
}

export function isLeadEvent(event: AnyCaseEvent): event is LeadEvent {
  return LEAD_EVENT_TYPES.includes(event.type);
}

export function isLeadOrMismatch(event: AnyCaseEvent): event is LeadEvent | LeadRegionMismatch {
  return isLeadEvent(event) || event.type === 'LeadRegionMismatch';
}

export function isNoticeEvent(event: AnyCaseEvent): event is NoticeEvent {
  return NOTICE_EVENT_TYPES.includes(event.type);
}
