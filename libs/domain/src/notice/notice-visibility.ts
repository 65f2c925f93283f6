import type { NoticeView } from './notice.rules';

/**
 * What a reader from another organisation sees of a notice: that it went to that organisation,
 * at which rung and over which channel, and how it went. The address (a team mailbox, a webhook
 * URL that may carry a token), the contact point and the delivery error are the recipient's own
 * business: they could be used to reach or probe it, and say nothing about the case.
 */
export type NoticeAsSeenByOthers = Omit<NoticeView, 'recipient' | 'lastError'> & {
  readonly recipient: Pick<NoticeView['recipient'], 'organisation' | 'role' | 'channel'>;
};

/** Inspectors supervise every party and see everything; others see their own notices in full. */
export function noticeAsSeenBy(
  notice: NoticeView,
  reader: { readonly organisation: string; readonly role: string },
): NoticeView | NoticeAsSeenByOthers {
  if (reader.role === 'inspector' || notice.recipient.organisation === reader.organisation) return notice;
  const { recipient, ...rest } = notice;
  delete (rest as { lastError?: string }).lastError;
  return {
    ...rest,
    recipient: { organisation: recipient.organisation, role: recipient.role, channel: recipient.channel },
  };
}

const NOTICE_EVENT_TYPES: ReadonlySet<string> = new Set(['NoticeSent', 'NoticeAttemptFailed', 'NoticeFailed']);

/** The data of a recorded notice event as noticeAsSeenBy would show it; other events unchanged. */
export function noticeEventDataAsSeenBy(
  type: string,
  data: unknown,
  reader: { readonly organisation: string; readonly role: string },
): unknown {
  if (!NOTICE_EVENT_TYPES.has(type) || reader.role === 'inspector') return data;
  const d = data as { recipient?: { organisation?: string; role?: string; channel?: string } } & Record<
    string,
    unknown
  >;
  if (!d.recipient || d.recipient.organisation === reader.organisation) return data;
  const { recipient, ...rest } = d;
  delete rest.error;
  delete rest.lastError;
  return {
    ...rest,
    recipient: { organisation: recipient.organisation, role: recipient.role, channel: recipient.channel },
  };
}
