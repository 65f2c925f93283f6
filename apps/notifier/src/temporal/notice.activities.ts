import type { NoticeActivities } from '@warm-handover/contracts';
import {
  assessmentPredatesChange,
  type DeadlineSpec,
  deadlineAt,
  foldCaseFacts,
  foldFamilyFacts,
  interpretDeadline,
  type NoticeAcknowledged,
  noticeStreamId,
  responsibleForNotice,
  stepSettled,
} from '@warm-handover/domain';
import type { ContactPointSecretStore, EventStore } from '@warm-handover/persistence';
import { type AllowedHost, noticeLinks } from '@warm-handover/platform';
import { type Mailer, postWebhook } from '../delivery/channels';
import { type NoticeDeliveryContext, renderNotice } from '../delivery/notice.content';

export interface NoticeActivitySettings {
  readonly from: string;
  readonly publicBaseUrl: string;
  readonly linkSecret: string;
  /** Loopback, private and link-local webhook hosts the operator allows (WEBHOOK_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly AllowedHost[];
  /** NOTICE_ACK_TIMEOUT: how long an acknowledgement silences repeats (working days or a duration). */
  readonly ackTimeout: DeadlineSpec;
}

/** Errors end up in events and on the case's timeline: short, and never a response body. */
const MAX_ERROR_LENGTH = 300;

/**
 * I/O of the notice workflow. deliverNotice answers a refused delivery as a result, so the
 * workflow can record each attempt; the other two are idempotent reads and appends.
 */
export function createNoticeActivities(deps: {
  readonly store: EventStore;
  readonly secrets: ContactPointSecretStore;
  readonly mailer: Mailer;
  readonly settings: NoticeActivitySettings;
  /** Told of every delivery attempt's outcome (the notifier's metrics). */
  readonly onDelivery?: (channel: 'email' | 'webhook', delivered: boolean) => void;
}): NoticeActivities {
  const { store, secrets, mailer, settings } = deps;
  const activities: NoticeActivities = {
    async deliverNotice({ notice, facts, repeat }) {
      const links = noticeLinks(settings.publicBaseUrl, notice, settings.linkSecret);
      // Who is responsible is read now, from the case, at every delivery and repeat: never the
      // organisation an escalation copied when it was recorded (issue 11).
      const [caseEvents, own] = await Promise.all([
        store.readCase(notice.caseId),
        store.readStream(noticeStreamId(notice.noticeId)),
      ]);
      const content = renderNotice(notice, facts, links, repeat, deliveryContext(facts.subject, caseEvents, own));
      const deliveryId = `${notice.noticeId}.${repeat}`;
      // Read before the delivery: our own database being down is retried by Temporal, not
      // counted against the receiver as a failed attempt.
      const signingSecrets =
        notice.recipient.channel === 'webhook' ? await secrets.signingSecrets(notice.recipient.contactPointId) : [];
      try {
        if (notice.recipient.channel === 'email') {
          await mailer.send({
            from: settings.from,
            to: notice.recipient.address,
            subject: content.subject,
            text: content.text,
            html: content.html,
            messageId: `<${deliveryId}@notices.warm-handover>`,
            headers: { 'X-Warm-Handover-Notice': notice.noticeId },
          });
        } else {
          if (signingSecrets.length === 0) {
            return { delivered: false, error: 'the webhook has no signing secret; register it again' };
          }
          const target = {
            url: notice.recipient.address,
            secrets: signingSecrets,
            allowedHosts: settings.allowedHosts ?? [],
          };
          await postWebhook(target, deliveryId, content.fields);
        }
        return { delivered: true, subject: content.subject };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { delivered: false, error: message.slice(0, MAX_ERROR_LENGTH) };
      }
    },

    async recordNoticeEvents({ streamId, events }) {
      // No expected version: the api appends the acknowledgement to the same stream. Event ids
      // come from the workflow's deterministic uuid4(), so a retried append stores nothing new.
      await store.append(streamId, events);
    },

    async noticeStatus({ noticeId, subject }) {
      const [own, caseEvents] = await Promise.all([
        store.readStream(noticeStreamId(noticeId)),
        store.readCase(subject.caseId),
      ]);
      const acknowledgedAt = lastAcknowledgement(own);
      return {
        acknowledged: acknowledgedAt !== undefined,
        settled: stepSettled(subject, caseEvents),
        ...(acknowledgedAt
          ? {
              silencedUntil: deadlineAt(new Date(acknowledgedAt), interpretDeadline(settings.ackTimeout)).toISOString(),
            }
          : {}),
      };
    },
  };
  const { onDelivery } = deps;
  if (!onDelivery) return activities;
  return {
    ...activities,
    async deliverNotice(input) {
      const result = await activities.deliverNotice(input);
      onDelivery(input.notice.recipient.channel, result.delivered);
      return result;
    },
  };
}

interface Stored {
  readonly type: string;
  readonly data: unknown;
}

function lastAcknowledgement(own: readonly Stored[]): string | undefined {
  const acks = own.filter((e) => e.type === 'NoticeAcknowledged');
  return (acks.at(-1)?.data as NoticeAcknowledged['data'] | undefined)?.acknowledgedAt;
}

function deliveryContext(
  subject: Parameters<typeof responsibleForNotice>[0],
  caseEvents: readonly Stored[],
  own: readonly Stored[],
): NoticeDeliveryContext {
  const handover = subject.handoverId ? foldCaseFacts(caseEvents).handovers.get(subject.handoverId) : undefined;
  const acknowledgedAt = lastAcknowledgement(own);
  const stale = handover ? assessmentPredatesChange(foldFamilyFacts(caseEvents), handover.fromOrg) : undefined;
  return {
    responsibleNow: responsibleForNotice(subject, caseEvents),
    ...(stale
      ? {
          assessmentPredatesChange: {
            changeCode: stale.latestChange.code,
            changedAt: stale.latestChange.occurredAt,
            ...(stale.latestAssessmentAt ? { latestAssessmentAt: stale.latestAssessmentAt } : {}),
          },
        }
      : {}),
    ...(handover
      ? { handover: { fromOrg: handover.fromOrg, toOrg: handover.toOrg, open: handover.status === 'open' } }
      : {}),
    ...(acknowledgedAt ? { acknowledgedAt } : {}),
  };
}
