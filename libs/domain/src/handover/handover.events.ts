import type { EscalationLevel, EscalationRole } from '../organisations/organisation';

/**
 * Everything that can happen to a handover, as stored in the event store, carried in Temporal
 * payloads and published on Kafka. Times are ISO-8601 strings; people are referenced by
 * pseudonymous subject ids in the event metadata, children and cases by pseudonymous ids.
 */

/** Why the sender hands the child/family over. */
export const HANDOVER_REASONS = [
  'family-moved',
  'care-indicated-after-investigation',
  'end-of-intensive-care',
  'other',
] as const;
export type HandoverReason = (typeof HANDOVER_REASONS)[number];

/** A deadline as requested: whole working days, or (demo mode only) an ISO-8601 duration. */
export type DeadlineSpec = number | string;

export interface LadderRecipient {
  readonly organisation: string;
  readonly role: EscalationRole;
  /** The job title the organisation uses for that role, for the notice. */
  readonly title: string;
}

/** The escalation ladders in force when the handover was requested, frozen into it. */
export interface FrozenLadders {
  readonly directoryVersion: string;
  readonly from: readonly { readonly level: EscalationLevel; readonly role: EscalationRole; readonly title: string }[];
  readonly to: readonly { readonly level: EscalationLevel; readonly role: EscalationRole; readonly title: string }[];
}

export interface HandoverRequested {
  readonly type: 'HandoverRequested';
  readonly data: {
    readonly handoverId: string;
    readonly caseId: string;
    readonly childIds: readonly string[];
    readonly fromOrg: string;
    readonly toOrg: string;
    readonly reason: HandoverReason;
    readonly reasonNote?: string;
    readonly riskAssessmentRef?: string;
    readonly safetyAgreementRefs: readonly string[];
    readonly deadlines: {
      readonly receipt: DeadlineSpec;
      readonly start: DeadlineSpec;
      readonly escalationInterval: DeadlineSpec;
      /** After a rejection or withdrawal, the sender's time to decide (absent before this existed: 5 working days). */
      readonly followUp?: DeadlineSpec;
    };
    readonly receiptDueAt: string;
    readonly startDueAt: string;
    readonly ladders: FrozenLadders;
    readonly requestedAt: string;
  };
}

export interface HandoverReceived {
  readonly type: 'HandoverReceived';
  readonly data: { readonly handoverId: string; readonly caseId: string; readonly receivedAt: string };
}

export interface HandoverAccepted {
  readonly type: 'HandoverAccepted';
  readonly data: {
    readonly handoverId: string;
    readonly caseId: string;
    /** Calendar date (YYYY-MM-DD) the receiver plans to start care. */
    readonly plannedStartDate: string;
    readonly acceptedAt: string;
  };
}

/** Care has started at the receiver: from `startedAt` on, the receiver is responsible (R1). */
export interface HandoverStarted {
  readonly type: 'HandoverStarted';
  readonly data: {
    readonly handoverId: string;
    readonly caseId: string;
    readonly fromOrg: string;
    readonly toOrg: string;
    /** When care actually started (effective time), as confirmed by the receiver. */
    readonly startedAt: string;
    /** Pseudonymous id of the professional who started care. */
    readonly startedBy: string;
    readonly confirmedAt: string;
  };
}

export interface HandoverRejected {
  readonly type: 'HandoverRejected';
  readonly data: {
    readonly handoverId: string;
    readonly caseId: string;
    readonly reason: string;
    readonly rejectedAt: string;
  };
}

export interface HandoverWithdrawn {
  readonly type: 'HandoverWithdrawn';
  readonly data: {
    readonly handoverId: string;
    readonly caseId: string;
    readonly reason: string;
    readonly withdrawnAt: string;
  };
}

/** The family did not show up or cannot be reached (care avoidance, R6). */
export interface HandoverContactFailed {
  readonly type: 'HandoverContactFailed';
  readonly data: {
    readonly handoverId: string;
    readonly caseId: string;
    readonly reason: string;
    readonly occurredAt: string;
  };
}

/**
 * receipt-overdue and start-overdue: a deadline of the open handover passed; contact-failed: a
 * party reported that the family could not be reached; follow-up-overdue: the handover was
 * rejected or withdrawn and the sender recorded neither a keep-decision nor a new handover in time
 * (R2a), so it escalates up the sender's ladder only.
 */
export type EscalationReason = 'receipt-overdue' | 'start-overdue' | 'contact-failed' | 'follow-up-overdue';

export interface HandoverEscalated {
  readonly type: 'HandoverEscalated';
  readonly data: {
    readonly handoverId: string;
    readonly caseId: string;
    readonly level: EscalationLevel;
    readonly reason: EscalationReason;
    /** The deadline that was missed (absent for a contact failure). */
    readonly dueAt?: string;
    /** 0 for the first escalation to this level, 1, 2… for reminders at the top of the ladder. */
    readonly repeat: number;
    readonly recipients: readonly LadderRecipient[];
    /** Who is responsible while this is escalated: always the sender until care has started. */
    readonly responsibleOrg: string;
    readonly escalatedAt: string;
  };
}

export type HandoverEvent =
  | HandoverRequested
  | HandoverReceived
  | HandoverAccepted
  | HandoverStarted
  | HandoverRejected
  | HandoverWithdrawn
  | HandoverContactFailed
  | HandoverEscalated;

export type HandoverEventType = HandoverEvent['type'];

export const HANDOVER_EVENT_TYPES: readonly HandoverEventType[] = [
  'HandoverRequested',
  'HandoverReceived',
  'HandoverAccepted',
  'HandoverStarted',
  'HandoverRejected',
  'HandoverWithdrawn',
  'HandoverContactFailed',
  'HandoverEscalated',
];

export function handoverStreamId(handoverId: string): string {
  return `handover-${handoverId}`;
}
