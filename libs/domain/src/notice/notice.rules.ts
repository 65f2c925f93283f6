import type { EscalationReason, HandoverEscalated, LadderRecipient } from '../handover/handover.events';
import type { LeadNegotiationEscalated } from '../lead/lead.events';
import { ESCALATION_ROLES, type EscalationLevel } from '../organisations/organisation';
import type { NoticeCauseType, NoticeEvent, NoticeFailed, NoticeRecipient } from './notice.events';

/**
 * Which recorded facts cause escalation notices, what each notice is about, and which later step
 * makes a repeating notice unnecessary. Pure; the notifier does the reading and sending.
 */

/** What a notice is about: the overdue handover step or the stalled lead negotiation. */
export interface NoticeSubject {
  readonly caseId: string;
  readonly handoverId?: string;
  readonly negotiationId?: string;
  /** The negotiation round that stalled; a later round's agreement also settles it. */
  readonly round?: number;
  /** receipt-overdue, start-overdue, contact-failed (handover); silence, disagreement (lead). */
  readonly reason: EscalationReason | 'silence' | 'disagreement';
  /** The missed deadline; absent for a contact failure. */
  readonly dueAt?: string;
}

export interface NoticeCause extends NoticeSubject {
  readonly causeEventId: string;
  readonly causeType: NoticeCauseType;
  readonly level: EscalationLevel;
  readonly occurredAt: string;
  /** Organisation, role and job title per recipient, from the ladders frozen in the case. */
  readonly recipients: readonly LadderRecipient[];
  /** Who is responsible for the children while this is open, when the cause says so. */
  readonly responsibleOrg?: string;
}

export const TOP_LEVEL = (ESCALATION_ROLES.length - 1) as EscalationLevel;

interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
}

/**
 * The notice cause an event is, or undefined when it causes no notice of its own:
 * - HandoverContactFailed: the HandoverEscalated recorded with it (reason contact-failed) names
 *   the recipients; notifying on both would tell everyone twice about one fact.
 * - A reminder at the top of the ladder (repeat ≥ 1): the first top-level notice to each
 *   recipient repeats daily by itself until it is acknowledged or the step happens, so that an
 *   acknowledgement actually stops the reminders.
 * NoticeFailed causes the next rung's notice through {@link escalationOfFailedNotice}.
 */
export function noticeCauseOf(event: StoredEvent): NoticeCause | undefined {
  if (event.type === 'HandoverEscalated') {
    const d = event.data as HandoverEscalated['data'];
    if (d.repeat > 0) return undefined;
    return {
      causeEventId: event.eventId,
      causeType: 'HandoverEscalated',
      caseId: d.caseId,
      handoverId: d.handoverId,
      reason: d.reason,
      ...(d.dueAt ? { dueAt: d.dueAt } : {}),
      level: d.level,
      occurredAt: d.escalatedAt,
      recipients: d.recipients,
      responsibleOrg: d.responsibleOrg,
    };
  }
  if (event.type === 'LeadNegotiationEscalated') {
    const d = event.data as LeadNegotiationEscalated['data'];
    if (d.repeat > 0) return undefined;
    return {
      causeEventId: event.eventId,
      causeType: 'LeadNegotiationEscalated',
      caseId: d.caseId,
      negotiationId: d.negotiationId,
      round: d.round,
      reason: d.reason,
      dueAt: d.dueAt,
      level: d.level,
      occurredAt: d.escalatedAt,
      recipients: d.recipients,
    };
  }
  return undefined;
}

/**
 * A notice that could not be delivered (or addressed) escalates itself: one rung up the frozen
 * ladder of the same organisation, about the same subject. At the top (the director) there is no
 * rung left: the failure stays recorded on the case, GET /cases/{id}/notices lists it as
 * undelivered, and the notifier logs it as an error for the operators; the case workflow's own
 * top-level reminders keep the case visible.
 */
export function escalationOfFailedNotice(
  failedEventId: string,
  failed: NoticeFailed['data'],
  subject: NoticeSubject,
  titleOf: (organisation: string, level: EscalationLevel) => string,
): NoticeCause | undefined {
  if (failed.level >= TOP_LEVEL) return undefined;
  const level = (failed.level + 1) as EscalationLevel;
  const organisation = failed.recipient.organisation;
  return {
    ...subject,
    causeEventId: failedEventId,
    causeType: 'NoticeFailed',
    level,
    occurredAt: failed.failedAt,
    recipients: [{ organisation, role: ESCALATION_ROLES[level], title: titleOf(organisation, level) }],
  };
}

const CLOSING = ['HandoverStarted', 'HandoverRejected', 'HandoverWithdrawn'];

/**
 * The underlying step that ends a repeating notice, per cause, defined here only: an overdue
 * receipt by the receipt or the handover's end (started, rejected, withdrawn); an overdue start
 * and a failed contact by the handover's end; a stalled lead negotiation by an agreement or a
 * director's decision in that round or a later one.
 */
export function stepSettled(subject: NoticeSubject, events: readonly Omit<StoredEvent, 'eventId'>[]): boolean {
  if (subject.handoverId) {
    const settling = subject.reason === 'receipt-overdue' ? ['HandoverReceived', ...CLOSING] : CLOSING;
    return events.some(
      (e) => settling.includes(e.type) && (e.data as { handoverId?: string }).handoverId === subject.handoverId,
    );
  }
  if (subject.negotiationId) {
    return events.some((e) => {
      if (e.type !== 'LeadAgreed' && e.type !== 'LeadDecided') return false;
      const d = e.data as { negotiationId: string; round: number };
      return d.negotiationId === subject.negotiationId && d.round >= (subject.round ?? 0);
    });
  }
  return false;
}

/** One notice as a case's reader sees it: who was told what, when, how, and whether they acknowledged. */
export interface NoticeView {
  readonly noticeId: string;
  readonly causeType: NoticeCauseType;
  readonly causeEventId: string;
  readonly handoverId?: string;
  readonly negotiationId?: string;
  readonly level: EscalationLevel;
  readonly recipient: NoticeRecipient;
  /** pending: attempts failed so far, more will follow; sent: delivered; failed: gave up after the cap. */
  readonly status: 'pending' | 'sent' | 'failed';
  readonly subject?: string;
  /** Delivery attempts, failed ones included. */
  readonly attempts: number;
  readonly firstSentAt?: string;
  /** How often it was delivered: more than once for a daily repeat at the top level. */
  readonly deliveries: number;
  readonly lastError?: string;
  readonly failedAt?: string;
  readonly acknowledged?: { readonly by: { subject: string; organisation: string; role: string }; readonly at: string };
}

/** Folds the notice events of a case (in recorded order) into one view per notice. */
export function noticesOfCase(events: readonly { type: string; data: unknown }[]): NoticeView[] {
  const views = new Map<string, NoticeView>();
  for (const raw of events) {
    const event = raw as NoticeEvent;
    switch (event.type) {
      case 'NoticeAttemptFailed':
      case 'NoticeSent':
      case 'NoticeFailed': {
        const d = event.data;
        const before = views.get(d.noticeId);
        const base: NoticeView = before ?? {
          noticeId: d.noticeId,
          causeType: d.causeType,
          causeEventId: d.causeEventId,
          ...(d.handoverId ? { handoverId: d.handoverId } : {}),
          ...(d.negotiationId ? { negotiationId: d.negotiationId } : {}),
          level: d.level,
          recipient: d.recipient,
          status: 'pending',
          attempts: 0,
          deliveries: 0,
        };
        views.set(d.noticeId, withOutcome(base, event));
        break;
      }
      case 'NoticeAcknowledged': {
        const view = views.get(event.data.noticeId);
        if (view && !view.acknowledged) {
          views.set(event.data.noticeId, {
            ...view,
            acknowledged: { by: event.data.acknowledgedBy, at: event.data.acknowledgedAt },
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return [...views.values()];
}

function withOutcome(view: NoticeView, event: Exclude<NoticeEvent, { type: 'NoticeAcknowledged' }>): NoticeView {
  switch (event.type) {
    case 'NoticeAttemptFailed':
      return {
        ...view,
        status: view.status === 'sent' ? 'sent' : 'pending',
        attempts: view.attempts + 1,
        lastError: event.data.error,
      };
    case 'NoticeSent':
      return {
        ...view,
        status: 'sent',
        subject: event.data.subject,
        attempts: view.attempts + 1,
        firstSentAt: view.firstSentAt ?? event.data.sentAt,
        deliveries: view.deliveries + 1,
      };
    case 'NoticeFailed':
      return {
        ...view,
        status: 'failed',
        attempts: view.attempts + (event.data.attempts > 0 ? 1 : 0),
        lastError: event.data.lastError,
        failedAt: event.data.failedAt,
      };
    default: {
      const unknown: never = event;
      throw new Error(`unknown notice event ${JSON.stringify(unknown)}`);
    }
  }
}
