import type { NoticeFailed, NoticeSubject } from '@warm-handover/domain';
import type { NewEvent } from './events';

/** Default task queue of the notifier's own Temporal worker; NOTIFIER_TASK_QUEUE overrides it. */
export const DEFAULT_NOTIFIER_TASK_QUEUE = 'warm-handover-notices';

/** Who a notice is, without its outcome: the fields every notice event carries. */
export type NoticeIdentity = Omit<NoticeFailed['data'], 'attempts' | 'lastError' | 'failedAt'>;

/** What the notice text says, besides the identity: facts only, pseudonymous ids, no personal data. */
export interface NoticeFacts {
  readonly subject: NoticeSubject;
  /** The job title of the recipient's role in its organisation, from the frozen ladder. */
  readonly recipientTitle: string;
  /**
   * Set by notifiers before issue 11 (copied from the escalation). Content no longer reads it:
   * the delivery names who is responsible at that moment, from the case.
   */
  readonly responsibleOrg?: string;
  readonly escalatedAt: string;
  /** For a notice caused by an undeliverable one: the title of whom it could not reach. */
  readonly unreachedTitle?: string;
}

export interface RetrySettings {
  readonly initialIntervalMs: number;
  readonly maximumIntervalMs: number;
  readonly maximumAttempts: number;
}

export interface NoticeWorkflowInput {
  readonly streamId: string;
  readonly notice: NoticeIdentity;
  readonly facts: NoticeFacts;
  readonly retry: RetrySettings;
  /**
   * Set for a top-level escalation notice: repeat it this often until the step happens; an
   * acknowledgement pauses the repeats for the acknowledgement timeout only.
   */
  readonly repeatEveryMs?: number;
}

export type NoticeOutcome = 'sent' | 'failed' | 'acknowledged' | 'settled';

export interface DeliverNoticeInput {
  readonly notice: NoticeIdentity;
  readonly facts: NoticeFacts;
  readonly repeat: number;
  readonly attempt: number;
}

/** A refused delivery is an answer, not an error: the workflow records it and decides when to retry. */
export type DeliveryResult =
  { readonly delivered: true; readonly subject: string } | { readonly delivered: false; readonly error: string };

export interface NoticeStatus {
  readonly acknowledged: boolean;
  readonly settled: boolean;
  /**
   * When acknowledged: the end of the acknowledgement timeout (NOTICE_ACK_TIMEOUT after the last
   * acknowledgement, in working days), computed here so the holiday calendar stays out of the
   * workflow and the instant is recorded in its history. Absent in histories of older notifiers.
   */
  readonly silencedUntil?: string;
}

export interface NoticeActivities {
  /** One SMTP transaction or one webhook POST. */
  deliverNotice(input: DeliverNoticeInput): Promise<DeliveryResult>;
  /** Appends notice events idempotently (same event ids = stored once). */
  recordNoticeEvents(input: { readonly streamId: string; readonly events: readonly NewEvent[] }): Promise<void>;
  /** Whether the notice was acknowledged, and whether the step it is about has happened since. */
  noticeStatus(input: { readonly noticeId: string; readonly subject: NoticeSubject }): Promise<NoticeStatus>;
}

/** One workflow per notice: its id makes a notice start once per (cause event, recipient). */
export const noticeWorkflowId = (noticeId: string) => `notice-${noticeId}`;
