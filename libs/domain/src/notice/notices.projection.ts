import type { EscalationLevel } from '../organisations/organisation';
import type { NoticeCauseType, NoticeChannel, NoticeEvent } from './notice.events';

/**
 * Where each escalation notice stood, from its events in recorded order: still being retried,
 * delivered, given up, or acknowledged by its recipient. For "who was told what, and when" (R10).
 */
export interface NoticeSummary {
  readonly noticeId: string;
  readonly causeType: NoticeCauseType;
  readonly handoverId?: string;
  readonly negotiationId?: string;
  readonly level: EscalationLevel;
  readonly recipient: { readonly organisation: string; readonly role: string; readonly channel: NoticeChannel };
  readonly status: 'retrying' | 'sent' | 'failed' | 'acknowledged';
  /** Delivery attempts made so far. */
  readonly attempts: number;
  readonly sentAt?: string;
  readonly failedAt?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: { readonly subject: string; readonly organisation: string; readonly role: string };
}

export function noticeSummaries(events: readonly NoticeEvent[]): NoticeSummary[] {
  const notices = new Map<string, NoticeSummary>();
  for (const event of events) {
    if (event.type === 'NoticeAcknowledged') {
      const notice = notices.get(event.data.noticeId);
      // An acknowledgement of a notice this fold has not seen sent says nothing about what was sent.
      if (notice) {
        notices.set(notice.noticeId, {
          ...notice,
          status: 'acknowledged',
          acknowledgedAt: event.data.acknowledgedAt,
          acknowledgedBy: event.data.acknowledgedBy,
        });
      }
      continue;
    }
    const d = event.data;
    const known = notices.get(d.noticeId);
    const base: NoticeSummary = known ?? {
      noticeId: d.noticeId,
      causeType: d.causeType,
      ...(d.handoverId ? { handoverId: d.handoverId } : {}),
      ...(d.negotiationId ? { negotiationId: d.negotiationId } : {}),
      level: d.level,
      recipient: { organisation: d.recipient.organisation, role: d.recipient.role, channel: d.recipient.channel },
      status: 'retrying',
      attempts: 0,
    };
    switch (event.type) {
      case 'NoticeAttemptFailed':
        notices.set(d.noticeId, { ...base, attempts: Math.max(base.attempts, event.data.attempt) });
        break;
      case 'NoticeSent':
        notices.set(d.noticeId, {
          ...base,
          status: base.status === 'acknowledged' ? base.status : 'sent',
          attempts: Math.max(base.attempts, event.data.attempt),
          sentAt: event.data.sentAt,
        });
        break;
      case 'NoticeFailed':
        notices.set(d.noticeId, {
          ...base,
          status: 'failed',
          attempts: Math.max(base.attempts, event.data.attempts),
          failedAt: event.data.failedAt,
        });
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unknown notice event ${JSON.stringify(unknown)}`);
      }
    }
  }
  return [...notices.values()];
}
