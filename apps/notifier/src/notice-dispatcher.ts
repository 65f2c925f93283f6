import type { Logger } from 'pino';
import type { NoticeWorkflowInput, RecordedEvent, RetrySettings } from '@warm-handover/contracts';
import {
  type ContactPointEvent,
  contactPointsAt,
  contactPointsStreamId,
  ESCALATION_ROLES,
  type EscalationLevel,
  escalationOfFailedNotice,
  type HandoverRequested,
  isInformational,
  ladderOf,
  type LeadNegotiationOpened,
  mayCauseNotice,
  type MeldingReceived,
  type NoticeCause,
  noticeCauseOf,
  type NoticeFailed,
  noticeLevelOf,
  type NoticeRecipient,
  noticeStreamId,
  type SafetyAgreementEvent,
  TOP_LEVEL,
} from '@warm-handover/domain';
import type { EventStore } from '@warm-handover/persistence';
import { deterministicUuid } from '@warm-handover/platform';

/** Starts the workflow of one notice; false when it had been started before. */
export interface NoticeStarter {
  start(input: NoticeWorkflowInput): Promise<boolean>;
}

/** Top-level notices repeat daily until their step happens (R3: escalation must reach a result). */
export const REPEAT_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * Turns a recorded event into the notices it causes (which ones: notice.rules.ts): one per (cause event, contact point,
 * channel), addressed to the contact points in force when the cause happened, for the
 * organisation and role of each rung of the ladder frozen in the case. The notice id is derived
 * from exactly that triple, and each notice is a Temporal workflow with that id, so a Kafka
 * redelivery, a re-read after a crash or a second notifier starts nothing twice. A recipient
 * organisation without a contact point for the role still gets a notice, an unaddressable one:
 * its workflow records it as failed, and that failure escalates one rung up.
 */
export class NoticeDispatcher {
  constructor(
    private readonly store: EventStore,
    private readonly starter: NoticeStarter,
    private readonly retry: RetrySettings,
    private readonly logger: Logger,
    /** NOTICE_REPEAT_SECONDS: a day, shorter only in drills and demos. */
    private readonly repeatEveryMs: number = REPEAT_EVERY_MS,
  ) {}

  /** Handles one event; resolves once every notice it causes has been started (or was already). */
  async handle(event: RecordedEvent): Promise<number> {
    if (event.type !== 'NoticeFailed' && !mayCauseNotice(event)) return 0;
    const caseId = (event.data as { caseId: string }).caseId;
    const caseEvents = await this.store.readCase(caseId);
    // A broker may carry events of another deployment; only our own store's facts notify.
    if (!caseEvents.some((e) => e.eventId === event.eventId)) {
      this.logger.warn({ eventId: event.eventId, caseId }, 'an event this store does not hold; no notice');
      return 0;
    }
    const cause =
      event.type === 'NoticeFailed' ? this.escalationOf(event, caseEvents) : noticeCauseOf(event, caseEvents);
    if (!cause) return 0;
    const unreachedTitle =
      event.type === 'NoticeFailed'
        ? this.titleOf(caseEvents, cause, (event.data as NoticeFailed['data']).recipient.organisation, cause.level - 1)
        : undefined;

    let started = 0;
    for (const rung of cause.recipients) {
      const level = noticeLevelOf(cause, rung);
      for (const recipient of await this.recipientsOf(rung.organisation, rung.role, cause.occurredAt)) {
        const noticeId = deterministicUuid('notice', cause.causeEventId, recipient.contactPointId, recipient.channel);
        // The event store outlives Temporal's retention of closed workflows: a notice it holds
        // events of is never started again, however old the redelivered cause.
        if ((await this.store.readStream(noticeStreamId(noticeId))).length > 0) continue;
        const isNew = await this.starter.start({
          streamId: noticeStreamId(noticeId),
          notice: {
            noticeId,
            caseId,
            causeEventId: cause.causeEventId,
            causeType: cause.causeType,
            ...(cause.handoverId ? { handoverId: cause.handoverId } : {}),
            ...(cause.negotiationId ? { negotiationId: cause.negotiationId } : {}),
            level,
            recipient,
          },
          facts: {
            subject: {
              caseId,
              reason: cause.reason,
              ...(cause.handoverId ? { handoverId: cause.handoverId } : {}),
              ...(cause.negotiationId ? { negotiationId: cause.negotiationId, round: cause.round } : {}),
              ...(cause.dueAt ? { dueAt: cause.dueAt } : {}),
              ...(cause.plannedStartDate ? { plannedStartDate: cause.plannedStartDate } : {}),
              ...(cause.startedAt ? { startedAt: cause.startedAt } : {}),
              ...(cause.careLead ? { careLead: cause.careLead } : {}),
              ...(cause.safetyLead ? { safetyLead: cause.safetyLead } : {}),
              ...(cause.familySubjectId ? { familySubjectId: cause.familySubjectId } : {}),
              ...(cause.familyOrganisations ? { familyOrganisations: cause.familyOrganisations } : {}),
              ...(cause.agreementId ? { agreementId: cause.agreementId } : {}),
              ...(cause.moment ? { moment: cause.moment } : {}),
              ...(cause.meldingId ? { meldingId: cause.meldingId } : {}),
              ...(cause.term ? { term: cause.term } : {}),
            },
            recipientTitle: rung.title,
            // Who is responsible is not given here: each delivery reads it from the case then.
            escalatedAt: cause.occurredAt,
            ...(unreachedTitle ? { unreachedTitle } : {}),
          },
          retry: this.retry,
          // Informational notices are delivered once, even one that climbed to the top by failures.
          ...(level === TOP_LEVEL && !isInformational(cause.reason) ? { repeatEveryMs: this.repeatEveryMs } : {}),
        });
        if (isNew) started++;
      }
    }
    this.logger.info({ causeEventId: cause.causeEventId, caseId, started }, 'notices started');
    return started;
  }

  /** The notice one rung up for a failed notice; at the top, an error for the operators instead. */
  private escalationOf(event: RecordedEvent, caseEvents: readonly RecordedEvent[]): NoticeCause | undefined {
    const failed = event.data as NoticeFailed['data'];
    const root = rootCause(failed.causeEventId, caseEvents);
    if (!root) {
      this.logger.warn({ noticeId: failed.noticeId }, 'the cause of a failed notice is not in its case; not escalated');
      return undefined;
    }
    const cause = escalationOfFailedNotice(event.eventId, failed, root, (organisation, level) =>
      this.titleOf(caseEvents, root, organisation, level),
    );
    if (!cause) {
      this.logger.error(
        { noticeId: failed.noticeId, caseId: failed.caseId, organisation: failed.recipient.organisation },
        'a notice to the top of the ladder could not be delivered; nobody higher to escalate to: check the contact points of this organisation',
      );
    }
    return cause;
  }

  /**
   * The job title of a level in the ladder frozen in the handover, negotiation, report (its Veilig
   * Thuis) or safety agreement (its monitor, as last given the role); today's as a fallback.
   */
  private titleOf(
    caseEvents: readonly RecordedEvent[],
    cause: Pick<NoticeCause, 'handoverId' | 'negotiationId' | 'meldingId' | 'agreementId'>,
    organisation: string,
    level: number,
  ): string {
    let ladder: readonly { level: number; title: string }[] | undefined;
    for (const e of caseEvents) {
      if (e.type === 'HandoverRequested') {
        const d = e.data as HandoverRequested['data'];
        if (d.handoverId === cause.handoverId) ladder = organisation === d.fromOrg ? d.ladders.from : d.ladders.to;
      } else if (e.type === 'LeadNegotiationOpened') {
        const d = e.data as LeadNegotiationOpened['data'];
        if (d.negotiationId === cause.negotiationId) ladder = d.ladders[organisation];
      } else if (e.type === 'MeldingReceived') {
        const d = e.data as MeldingReceived['data'];
        if (d.meldingId === cause.meldingId && d.veiligThuis === organisation) ladder = d.ladder;
      } else if (e.type === 'SafetyAgreementMade' || e.type === 'MonitorRoleTransferred') {
        const event = e as unknown as SafetyAgreementEvent;
        const monitor =
          event.type === 'SafetyAgreementMade'
            ? event.data.monitor
            : event.type === 'MonitorRoleTransferred'
              ? event.data.to
              : undefined;
        if (event.data.agreementId === cause.agreementId && monitor?.organisation === organisation)
          ladder = monitor.ladder;
      }
    }
    const step = (ladder ?? ladderOf(organisation))?.find((s) => s.level === level);
    return step?.title ?? ESCALATION_ROLES[level as EscalationLevel];
  }

  /** Each contact point of the organisation and role in force at `at`, once per channel it has. */
  private async recipientsOf(organisation: string, role: string, at: string): Promise<NoticeRecipient[]> {
    const events = await this.store.readStream(contactPointsStreamId(organisation));
    const points = contactPointsAt(
      events.map((e) => e as unknown as ContactPointEvent),
      at,
    ).filter((p) => p.role === role);
    const recipients = points.flatMap((p): NoticeRecipient[] => {
      const base = { organisation, role: p.role, contactPointId: p.contactPointId, contactPointVersion: p.version };
      return [
        ...(p.email ? [{ ...base, channel: 'email' as const, address: p.email }] : []),
        ...(p.webhookUrl ? [{ ...base, channel: 'webhook' as const, address: p.webhookUrl }] : []),
      ];
    });
    if (recipients.length > 0) return recipients;
    this.logger.warn(
      { organisation, role },
      'no contact point for this organisation and role: the notice fails and escalates',
    );
    return [
      {
        organisation,
        role: role as NoticeRecipient['role'],
        contactPointId: `none:${organisation}:${role}`,
        contactPointVersion: 0,
        channel: 'email',
        address: '',
        unaddressable: true,
      },
    ];
  }
}

/** The escalation a (chain of) failed notice(s) was about in the first place. */
function rootCause(causeEventId: string, caseEvents: readonly RecordedEvent[]): NoticeCause | undefined {
  const event = caseEvents.find((e) => e.eventId === causeEventId);
  if (!event) return undefined;
  if (event.type === 'NoticeFailed') return rootCause((event.data as NoticeFailed['data']).causeEventId, caseEvents);
  return noticeCauseOf(event, caseEvents);
}
