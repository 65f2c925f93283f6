import { patched, proxyActivities, sleep, uuid4 } from '@temporalio/workflow';
import type {
  NewEvent,
  NoticeActivities,
  NoticeIdentity,
  NoticeOutcome,
  NoticeWorkflowInput,
} from '@warm-handover/contracts';
import type { NoticeEvent } from '@warm-handover/domain/workflow';
import { localOnceAvailable } from './workflow-support';

const { deliverNotice } = proxyActivities<NoticeActivities>({
  // One SMTP transaction or webhook POST, each with its own 20-second timeouts. The activity
  // answers a refused delivery itself; this retry only covers a notifier that died mid-delivery
  // (the receiver may then get the notice twice, with the same Message-ID / Webhook-Id to dedupe).
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
});

/** Appends and reads take milliseconds; both are idempotent, so retrying forever is safe. */
const STORE_OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
/**
 * Since this patch a notice's append and status read run as local activities, inside the
 * workflow task that needs them, instead of a round trip through the activity queue and a
 * workflow task each: a sent notice costs two workflow tasks instead of three. Histories from
 * before replay with the activities they scheduled (notice-retried-then-sent.json and the others
 * without "-locally"); a running notice takes the local path from its next live step on.
 */
export const NOTICE_LOCAL_STORE = 'notice-local-store';
const store = localOnceAvailable<Pick<NoticeActivities, 'recordNoticeEvents' | 'noticeStatus'>>(
  NOTICE_LOCAL_STORE,
  STORE_OPTIONS,
);

const NOTIFIER = { subject: 'system:notifier', organisation: 'warm-handover', role: 'system' } as const;

/**
 * Issue 11, "acknowledging is not resolving": before this patch an acknowledged top-level notice
 * ended its repeats for good. Running notices of that version replay unchanged without it
 * (test/replay/notice-repeated-then-acknowledged.json); new ones pause for the acknowledgement
 * timeout only and resume while the step is still open (notice-acknowledged-then-resumed.json).
 */
export const ACK_IS_NOT_RESOLVING = 'notice-ack-is-not-resolving';

/**
 * One escalation notice to one recipient (workflow id `notice-<noticeId>`, so a redelivered
 * cause starts it once). Delivers it, retrying with exponential backoff up to a cap, and records
 * every attempt: NoticeAttemptFailed, then NoticeSent or, after the last attempt, NoticeFailed
 * (which the notifier escalates one rung up). A top-level notice then repeats every
 * `repeatEveryMs` (a day) until the step it is about has happened. An acknowledgement means
 * "seen", not "done": it silences the repeats until its timeout (`silencedUntil`, one working
 * day by default); if the step is still open then, the notice is sent again at the same rung.
 */
export async function noticeWorkflow(input: NoticeWorkflowInput): Promise<NoticeOutcome> {
  const { notice, retry } = input;
  const now = () => new Date().toISOString();
  const record = (event: NoticeEvent) =>
    store().recordNoticeEvents({ streamId: input.streamId, events: [toNewEvent(event, notice)] });

  if (notice.recipient.unaddressable) {
    await record({
      type: 'NoticeFailed',
      data: {
        ...notice,
        attempts: 0,
        lastError: `${notice.recipient.organisation} has no contact point for the role ${notice.recipient.role}`,
        failedAt: now(),
      },
    });
    return 'failed';
  }

  for (let repeat = 0; ; repeat++) {
    for (let attempt = 1; ; attempt++) {
      const result = await deliverNotice({ notice, facts: input.facts, repeat, attempt });
      if (result.delivered) {
        await record({
          type: 'NoticeSent',
          data: { ...notice, attempt, repeat, subject: result.subject, sentAt: now() },
        });
        break;
      }
      if (attempt >= retry.maximumAttempts) {
        await record({
          type: 'NoticeFailed',
          data: { ...notice, attempts: attempt, lastError: result.error, failedAt: now() },
        });
        return 'failed';
      }
      const waitMs = Math.min(retry.initialIntervalMs * 2 ** (attempt - 1), retry.maximumIntervalMs);
      await record({
        type: 'NoticeAttemptFailed',
        data: {
          ...notice,
          attempt,
          repeat,
          error: result.error,
          nextAttemptAt: new Date(Date.now() + waitMs).toISOString(),
          failedAt: now(),
        },
      });
      await sleep(waitMs);
    }
    if (input.repeatEveryMs === undefined) return 'sent';
    await sleep(input.repeatEveryMs);
    const status = await store().noticeStatus({ noticeId: notice.noticeId, subject: input.facts.subject });
    if (!patched(ACK_IS_NOT_RESOLVING)) {
      if (status.acknowledged) return 'acknowledged';
      if (status.settled) return 'settled';
      continue;
    }
    if (status.settled) return 'settled';
    const silence = status.silencedUntil ? Date.parse(status.silencedUntil) - Date.now() : 0;
    if (silence > 0) {
      await sleep(silence);
      const after = await store().noticeStatus({ noticeId: notice.noticeId, subject: input.facts.subject });
      if (after.settled) return 'settled';
    }
  }
}

/** uuid4() is deterministic in a workflow: a retried append carries the same event id. */
function toNewEvent(event: NoticeEvent, notice: NoticeIdentity): NewEvent {
  return {
    eventId: uuid4(),
    type: event.type,
    data: event.data,
    metadata: {
      actor: NOTIFIER,
      correlationId: notice.noticeId,
      causationId: notice.causeEventId,
      caseId: notice.caseId,
    },
  };
}
