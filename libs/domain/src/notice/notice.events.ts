import type { EscalationLevel, EscalationRole } from '../organisations/organisation';

/**
 * Escalation notices (R3): who was told what, when, over which channel, and whether they
 * acknowledged it. Each notice is one (cause event, recipient) pair; its events go to the stream
 * `notice-<noticeId>` with `metadata.caseId` set, so they appear on the case's timeline.
 * No personal data: recipients are functional contact points of an organisation and role.
 */

/**
 * The events that cause notices: handover escalations, contact failures, lead escalations; and,
 * added later (stored notices keep their meaning), the informational notices of a handover's
 * steps to the organisation on the other side, and a lead-area mismatch to everyone concerned.
 */
export const NOTICE_CAUSE_TYPES = [
  'HandoverEscalated',
  'HandoverContactFailed',
  'LeadNegotiationEscalated',
  'HandoverRequested',
  'HandoverReceived',
  'HandoverAccepted',
  'HandoverRejected',
  'HandoverStarted',
  'LeadRegionMismatch',
  // The family (R5, R6): overdue re-assessments and goals, care-avoidance signals.
  'FamilyEscalated',
  // Safety agreements (R7) and Veilig Thuis statutory terms (R8).
  'MonitoringEscalated',
  'SafetyAgreementBreachReported',
  'StatutoryTermWarned',
  'StatutoryTermEscalated',
] as const;
export type NoticeCauseType = (typeof NOTICE_CAUSE_TYPES)[number] | 'NoticeFailed';

export type NoticeChannel = 'email' | 'webhook';

export interface NoticeRecipient {
  readonly organisation: string;
  readonly role: EscalationRole;
  /** Id of the contact point used, and the directory version it was taken from. */
  readonly contactPointId: string;
  readonly contactPointVersion: number;
  readonly channel: NoticeChannel;
  /** Functional address: a team mailbox or a webhook URL. */
  readonly address: string;
  /**
   * True when the organisation had no contact point for the role at the time: the notice could
   * not be addressed, is recorded as failed at once and escalates (contactPointId is then
   * `none:<organisation>:<role>`, version 0 and address empty).
   */
  readonly unaddressable?: boolean;
}

interface NoticeIds {
  /** Deterministic: derived from the cause event id and the recipient, so a redelivery maps to the same notice. */
  readonly noticeId: string;
  readonly caseId: string;
  readonly causeEventId: string;
  readonly causeType: NoticeCauseType;
  readonly handoverId?: string;
  readonly negotiationId?: string;
  readonly level: EscalationLevel;
  readonly recipient: NoticeRecipient;
}

/** One delivery attempt that did not succeed; a later attempt may still succeed. */
export interface NoticeAttemptFailed {
  readonly type: 'NoticeAttemptFailed';
  readonly data: NoticeIds & {
    readonly attempt: number;
    /** Which daily repeat of a top-level notice this attempt belonged to (0 = the first notice). */
    readonly repeat?: number;
    readonly error: string;
    readonly nextAttemptAt: string;
    readonly failedAt: string;
  };
}

/** The notice was delivered (SMTP accepted it, or the webhook answered 2xx). */
export interface NoticeSent {
  readonly type: 'NoticeSent';
  readonly data: NoticeIds & {
    readonly attempt: number;
    /** 0 for the first delivery; 1, 2… for the daily repeats of an unacknowledged top-level notice. */
    readonly repeat?: number;
    /** What the notice said, in short (Dutch), without personal data. */
    readonly subject: string;
    readonly sentAt: string;
  };
}

/** Every attempt up to the cap failed; the notice escalates to the next level itself. */
export interface NoticeFailed {
  readonly type: 'NoticeFailed';
  readonly data: NoticeIds & {
    readonly attempts: number;
    readonly lastError: string;
    readonly failedAt: string;
  };
}

/** The recipient followed the acknowledgement link. */
export interface NoticeAcknowledged {
  readonly type: 'NoticeAcknowledged';
  readonly data: {
    readonly noticeId: string;
    readonly caseId: string;
    /** Pseudonymous subject id of who acknowledged, and for which organisation and role. */
    readonly acknowledgedBy: { readonly subject: string; readonly organisation: string; readonly role: string };
    readonly acknowledgedAt: string;
  };
}

export type NoticeEvent = NoticeAttemptFailed | NoticeSent | NoticeFailed | NoticeAcknowledged;
export type NoticeEventType = NoticeEvent['type'];

export function noticeStreamId(noticeId: string): string {
  return `notice-${noticeId}`;
}
