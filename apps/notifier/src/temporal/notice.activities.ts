import type { NoticeActivities } from '@warm-handover/contracts';
import { noticeStreamId, stepSettled } from '@warm-handover/domain';
import type { ContactPointSecretStore, EventStore } from '@warm-handover/persistence';
import { type AllowedHost, noticeLinks } from '@warm-handover/platform';
import { type Mailer, postWebhook } from '../delivery/channels';
import { renderNotice } from '../delivery/notice.content';

export interface NoticeActivitySettings {
  readonly from: string;
  readonly publicBaseUrl: string;
  readonly linkSecret: string;
  /** Loopback, private and link-local webhook hosts the operator allows (WEBHOOK_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly AllowedHost[];
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
}): NoticeActivities {
  const { store, secrets, mailer, settings } = deps;
  return {
    async deliverNotice({ notice, facts, repeat }) {
      const links = noticeLinks(settings.publicBaseUrl, notice, settings.linkSecret);
      const content = renderNotice(notice, facts, links, repeat);
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
      return {
        acknowledged: own.some((e) => e.type === 'NoticeAcknowledged'),
        settled: stepSettled(subject, caseEvents),
      };
    },
  };
}
