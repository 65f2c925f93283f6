import { foldCaseFacts, followUpResolved, responsibleOrganisationsNow } from '../case/case.facts';
import type { FamilyEscalated, FamilyEscalationReason } from '../family/family.events';
import { foldFamilyFacts } from '../family/family.facts';
import type {
  EscalationReason,
  HandoverAccepted,
  HandoverEscalated,
  HandoverReceived,
  HandoverRejected,
  HandoverRequested,
  HandoverStarted,
  LadderRecipient,
} from '../handover/handover.events';
import type { LeadNegotiationEscalated, LeadRegionMismatch } from '../lead/lead.events';
import { ladderOf } from '../organisations/directory';
import type { StatutoryTerm, StatutoryTermEscalated, StatutoryTermWarned } from '../safety/melding.events';
import type { MonitoringEscalated, SafetyAgreementBreachReported } from '../safety/safety-agreement.events';
import { ESCALATION_ROLES, type EscalationLevel } from '../organisations/organisation';
import type { NoticeCauseType, NoticeEvent, NoticeFailed, NoticeRecipient } from './notice.events';

/**
 * Which recorded facts cause notices, what each notice is about, and which later step makes a
 * repeating notice unnecessary. Pure; the notifier does the reading and sending.
 */

/**
 * Notices that tell what happened rather than that something is overdue: delivered once (with
 * retries, and a failure escalates one rung up like any notice), never repeated.
 */
export const INFORMATIONAL_REASONS = [
  'handover-arrived',
  'handover-received',
  'handover-accepted',
  'handover-rejected',
  'handover-started',
  'lead-region-mismatch',
  // R6: a care-avoidance signal is news to weigh, told once; it does not wait for a step.
  'care-avoidance-signalled',
  'care-avoidance-repeated',
  // R7: an agreement not kept is news for the responsible organisation and the lead, at once.
  'safety-agreement-not-kept',
  // R8: a term about to pass warns the team lead once; the term passing is the escalation.
  'statutory-term-warning',
] as const;
export type InformationalReason = (typeof INFORMATIONAL_REASONS)[number];

/** receipt-overdue, start-overdue, contact-failed, follow-up-overdue (handover); silence, disagreement (lead); or news. */
export type NoticeReason =
  | EscalationReason
  | 'silence'
  | 'disagreement'
  | InformationalReason
  | FamilyEscalationReason
  | MonitoringEscalated['data']['reason']
  | StatutoryTermEscalated['data']['reason'];

export function isInformational(reason: NoticeReason): reason is InformationalReason {
  return (INFORMATIONAL_REASONS as readonly string[]).includes(reason);
}

/** What a notice is about: the overdue handover step, the stalled lead negotiation, or what happened. */
export interface NoticeSubject {
  readonly caseId: string;
  readonly handoverId?: string;
  readonly negotiationId?: string;
  /** The negotiation round that stalled; a later round's agreement also settles it. */
  readonly round?: number;
  readonly reason: NoticeReason;
  /** The missed deadline; absent for a contact failure. For an arrived handover: when receipt is due. */
  readonly dueAt?: string;
  /** An accepted handover: the calendar date (YYYY-MM-DD) the receiver plans to start care. */
  readonly plannedStartDate?: string;
  /** A started handover: when care started (effective time). */
  readonly startedAt?: string;
  /** A lead-area mismatch: the two leads whose working areas differ. */
  readonly careLead?: string;
  readonly safetyLead?: string;
  /** A family escalation: the change, signal or goal it is about, and the organisations it concerns. */
  readonly familySubjectId?: string;
  readonly familyOrganisations?: readonly string[];
  /** A safety agreement's moment (YYYY-MM-DD): overdue, or not kept. */
  readonly agreementId?: string;
  readonly moment?: string;
  /** A report to Veilig Thuis: the statutory term about to pass, or passed. */
  readonly meldingId?: string;
  readonly term?: StatutoryTerm;
}

export interface NoticeCause extends NoticeSubject {
  readonly causeEventId: string;
  readonly causeType: NoticeCauseType;
  readonly level: EscalationLevel;
  readonly occurredAt: string;
  /** Organisation, role and job title per recipient, from the ladders frozen in the case. */
  readonly recipients: readonly LadderRecipient[];
  /**
   * Who the escalation said was responsible when it was recorded. Notices do not print it: they
   * name who is responsible at delivery, from the case ({@link responsibleForNotice}).
   */
  readonly responsibleOrg?: string;
}

export const TOP_LEVEL = (ESCALATION_ROLES.length - 1) as EscalationLevel;

interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
}

/** The events whose notice needs the case (the handover's request names sender and receiver). */
const HANDOVER_STEP_NEWS: Readonly<Record<string, InformationalReason>> = {
  HandoverReceived: 'handover-received',
  HandoverAccepted: 'handover-accepted',
  HandoverRejected: 'handover-rejected',
  HandoverStarted: 'handover-started',
};

/** Escalations whose reminders at the top (repeat ≥ 1) cause no notice: the top-level notice repeats itself. */
const ESCALATIONS = [
  'HandoverEscalated',
  'LeadNegotiationEscalated',
  'FamilyEscalated',
  'MonitoringEscalated',
  'StatutoryTermEscalated',
];
/** Facts that tell their recipients once. */
const NEWS = ['HandoverRequested', 'LeadRegionMismatch', 'SafetyAgreementBreachReported', 'StatutoryTermWarned'];

/** Whether an event can cause a notice at all; cheap, before the case is read. */
export function mayCauseNotice(event: Omit<StoredEvent, 'eventId'>): boolean {
  if (ESCALATIONS.includes(event.type)) return (event.data as { repeat: number }).repeat === 0;
  return NEWS.includes(event.type) || event.type in HANDOVER_STEP_NEWS;
}

/**
 * The level a notice to one rung is sent at: the cause's, or the rung's own when it stands higher
 * on the ladder (a broken agreement tells the professional and the team lead of the responsible
 * organisation in one fact), so a failed notice to the team lead escalates to the manager.
 */
export function noticeLevelOf(cause: Pick<NoticeCause, 'level'>, rung: Pick<LadderRecipient, 'role'>): EscalationLevel {
  return Math.max(cause.level, ESCALATION_ROLES.indexOf(rung.role)) as EscalationLevel;
}

/**
 * The notice cause an event is, or undefined when it causes no notice of its own:
 * - HandoverContactFailed: the HandoverEscalated recorded with it (reason contact-failed) names
 *   the recipients; notifying on both would tell everyone twice about one fact.
 * - A reminder at the top of the ladder (repeat ≥ 1): the first top-level notice to each
 *   recipient repeats daily by itself until the step happens (an acknowledgement only pauses it).
 * - HandoverWithdrawn: the sender withdraws it itself; the receiver sees it on the case.
 * A handover's arrival tells the receiver's intake rung (professional); its receipt, acceptance,
 * rejection and start tell the sender's professional rung, with titles from the ladders frozen in
 * the request, which `caseEvents` must hold. A lead-area mismatch tells each of its recipients.
 * A safety agreement not kept tells each recipient it names (the responsible organisation's
 * professional and team lead, each chain's lead) once; a statutory term about to pass warns the
 * Veilig Thuis team lead once; an overdue monitoring moment and a passed term escalate like a
 * handover's deadline.
 * NoticeFailed causes the next rung's notice through {@link escalationOfFailedNotice}.
 */
export function noticeCauseOf(
  event: StoredEvent,
  caseEvents: readonly Omit<StoredEvent, 'eventId'>[] = [],
): NoticeCause | undefined {
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
  if (event.type === 'FamilyEscalated') {
    const d = event.data as FamilyEscalated['data'];
    if (d.repeat > 0) return undefined;
    return {
      causeEventId: event.eventId,
      causeType: 'FamilyEscalated',
      caseId: d.caseId,
      reason: d.reason,
      familySubjectId: d.subjectId,
      familyOrganisations: d.organisations,
      ...(d.dueAt ? { dueAt: d.dueAt } : {}),
      level: d.level,
      occurredAt: d.escalatedAt,
      recipients: d.recipients,
    };
  }
  if (event.type === 'MonitoringEscalated') {
    const d = event.data as MonitoringEscalated['data'];
    if (d.repeat > 0) return undefined;
    return {
      causeEventId: event.eventId,
      causeType: 'MonitoringEscalated',
      caseId: d.caseId,
      reason: d.reason,
      agreementId: d.agreementId,
      moment: d.moment,
      dueAt: d.dueAt,
      level: d.level,
      occurredAt: d.escalatedAt,
      recipients: d.recipients,
    };
  }
  if (event.type === 'SafetyAgreementBreachReported') {
    const d = event.data as SafetyAgreementBreachReported['data'];
    return {
      causeEventId: event.eventId,
      causeType: 'SafetyAgreementBreachReported',
      caseId: d.caseId,
      reason: 'safety-agreement-not-kept',
      agreementId: d.agreementId,
      moment: d.moment,
      level: 0,
      occurredAt: d.reportedAt,
      recipients: d.recipients,
      ...(d.responsibleOrg ? { responsibleOrg: d.responsibleOrg } : {}),
    };
  }
  if (event.type === 'StatutoryTermWarned') {
    const d = event.data as StatutoryTermWarned['data'];
    return {
      causeEventId: event.eventId,
      causeType: 'StatutoryTermWarned',
      caseId: d.caseId,
      reason: 'statutory-term-warning',
      meldingId: d.meldingId,
      term: d.term,
      dueAt: d.dueAt,
      level: Math.max(0, ...d.recipients.map((r) => ESCALATION_ROLES.indexOf(r.role))) as EscalationLevel,
      occurredAt: d.warnedAt,
      recipients: d.recipients,
    };
  }
  if (event.type === 'StatutoryTermEscalated') {
    const d = event.data as StatutoryTermEscalated['data'];
    if (d.repeat > 0) return undefined;
    return {
      causeEventId: event.eventId,
      causeType: 'StatutoryTermEscalated',
      caseId: d.caseId,
      reason: d.reason,
      meldingId: d.meldingId,
      term: d.term,
      dueAt: d.dueAt,
      level: d.level,
      occurredAt: d.escalatedAt,
      recipients: d.recipients,
    };
  }
  if (event.type === 'HandoverRequested') {
    const d = event.data as HandoverRequested['data'];
    return {
      causeEventId: event.eventId,
      causeType: 'HandoverRequested',
      caseId: d.caseId,
      handoverId: d.handoverId,
      reason: 'handover-arrived',
      dueAt: d.receiptDueAt,
      level: 0,
      occurredAt: d.requestedAt,
      recipients: [intakeRung(d.toOrg, d.ladders.to)],
    };
  }
  if (event.type === 'LeadRegionMismatch') {
    const d = event.data as LeadRegionMismatch['data'];
    const organisations = [...new Set(d.recipients.map((r) => r.organisation))];
    return {
      causeEventId: event.eventId,
      causeType: 'LeadRegionMismatch',
      caseId: d.caseId,
      reason: 'lead-region-mismatch',
      careLead: d.careLead,
      safetyLead: d.safetyLead,
      level: 0,
      occurredAt: d.detectedAt,
      recipients: organisations.map((organisation) => intakeRung(organisation, ladderOf(organisation) ?? [])),
    };
  }
  const news = HANDOVER_STEP_NEWS[event.type];
  if (news) {
    const d = event.data as (HandoverReceived | HandoverAccepted | HandoverRejected | HandoverStarted)['data'];
    const request = requestOf(d.handoverId, caseEvents);
    if (!request) return undefined;
    const step = event as HandoverReceived | HandoverAccepted | HandoverRejected | HandoverStarted;
    return {
      causeEventId: event.eventId,
      causeType: step.type,
      caseId: d.caseId,
      handoverId: d.handoverId,
      reason: news,
      ...(step.type === 'HandoverAccepted' ? { plannedStartDate: step.data.plannedStartDate } : {}),
      ...(step.type === 'HandoverStarted' ? { startedAt: step.data.startedAt } : {}),
      level: 0,
      occurredAt: occurredAtOf(step),
      recipients: [intakeRung(request.fromOrg, request.ladders.from)],
    };
  }
  return undefined;
}

function occurredAtOf(step: HandoverReceived | HandoverAccepted | HandoverRejected | HandoverStarted): string {
  switch (step.type) {
    case 'HandoverReceived':
      return step.data.receivedAt;
    case 'HandoverAccepted':
      return step.data.acceptedAt;
    case 'HandoverRejected':
      return step.data.rejectedAt;
    case 'HandoverStarted':
      // When it was recorded, not the effective start: the contact points in force then are told.
      return step.data.confirmedAt;
    default: {
      const unknown: never = step;
      throw new Error(`not a handover step: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The professional rung (level 0) of an organisation, titled from its (frozen) ladder. */
function intakeRung(
  organisation: string,
  ladder: readonly { readonly level: number; readonly title: string }[],
): LadderRecipient {
  const role = ESCALATION_ROLES[0];
  return { organisation, role, title: ladder.find((s) => s.level === 0)?.title ?? role };
}

function requestOf(
  handoverId: string,
  caseEvents: readonly Omit<StoredEvent, 'eventId'>[],
): HandoverRequested['data'] | undefined {
  for (const e of caseEvents)
    if (e.type === 'HandoverRequested' && (e.data as HandoverRequested['data']).handoverId === handoverId)
      return e.data as HandoverRequested['data'];
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
 * and a failed contact by the handover's end; a missing follow-up of a rejected or withdrawn
 * handover by the sender's keep-decision or a new handover of its children (R2a); a stalled lead
 * negotiation by an agreement or a director's decision in that round or a later one; an overdue
 * monitoring result by that moment's result or the agreement's end (R7); a passed statutory term
 * by the completed assessment or investigation of that report (R8). An informational notice has
 * no step to wait for: it is settled from the start.
 */
export function stepSettled(subject: NoticeSubject, events: readonly Omit<StoredEvent, 'eventId'>[]): boolean {
  if (isInformational(subject.reason)) return true;
  if (subject.reason === 'reassessment-overdue' || subject.reason === 'goal-overdue') {
    const family = foldFamilyFacts(events);
    if (subject.reason === 'goal-overdue')
      return family.goals.some((g) => g.goalId === subject.familySubjectId && g.result !== undefined);
    const change = family.changes.find((c) => c.changeId === subject.familySubjectId);
    return (
      change?.reassessments
        .filter((r) => subject.familyOrganisations?.includes(r.organisation) ?? true)
        .every((r) => r.assessedAt !== undefined) ?? false
    );
  }
  if (subject.reason === 'monitoring-result-overdue')
    return events.some((e) => {
      const d = e.data as { agreementId?: string; moment?: string };
      if (d.agreementId !== subject.agreementId) return false;
      return (
        e.type === 'SafetyAgreementEnded' || (e.type === 'MonitoringResultRecorded' && d.moment === subject.moment)
      );
    });
  if (subject.reason === 'statutory-term-passed') {
    const closing = subject.term === 'investigation' ? 'InvestigationCompleted' : 'SafetyAssessmentCompleted';
    return events.some((e) => e.type === closing && (e.data as { meldingId?: string }).meldingId === subject.meldingId);
  }
  if (subject.reason === 'follow-up-overdue' && subject.handoverId)
    return followUpResolved(foldCaseFacts(events), subject.handoverId);
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

/**
 * Who a notice names as responsible: the organisations responsible NOW for the children of its
 * handover (for a case-wide subject, all the case's children), from the case's events, never a
 * value copied into the cause. More than one when siblings moved separately.
 */
export function responsibleForNotice(
  subject: Pick<NoticeSubject, 'handoverId'>,
  caseEvents: readonly Omit<StoredEvent, 'eventId'>[],
): string[] {
  const facts = foldCaseFacts(caseEvents);
  const childIds = subject.handoverId ? facts.handovers.get(subject.handoverId)?.childIds : undefined;
  return responsibleOrganisationsNow(facts, childIds);
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
