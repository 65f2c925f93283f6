import {
  type ActivityOptions,
  type LocalActivityOptions,
  patched,
  proxyActivities,
  proxyLocalActivities,
  uuid4,
} from '@temporalio/workflow';
import {
  type Actor,
  type CommandMeta,
  commandRefusedFailure,
  type HandoverActivities,
  type NewEvent,
} from '@warm-handover/contracts';
import { CommandRefused } from '@warm-handover/domain/workflow';

/**
 * Updates and timers interleave at every await; a workflow runs its transitions one at a time
 * through this queue, so each decision sees the state the previous one left.
 */
export function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
}

/** Runs a decider; a refusal crosses to the caller as a non-retryable ApplicationFailure. */
export function decideOrFail<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof CommandRefused) throw commandRefusedFailure(error);
    throw error;
  }
}

export function maxIso(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** Timers and checks act as this actor. */
export const SYSTEM_ACTOR = {
  subject: 'system:deadline-timer',
  organisation: 'warm-handover',
  role: 'system',
} as const;

/**
 * Decided events as the store takes them, with the command's actor, correlation and causation.
 * uuid4() is deterministic in a workflow, so a retried recordEvents activity appends the same ids.
 */
export function toNewEvents(
  events: readonly { readonly type: string; readonly data: unknown }[],
  actor: Actor,
  meta: Omit<CommandMeta, 'actor'>,
  caseId: string,
): NewEvent[] {
  return events.map((event) => ({
    eventId: uuid4(),
    type: event.type,
    data: event.data,
    metadata: {
      actor,
      correlationId: meta.correlationId,
      causationId: meta.commandId,
      ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
      caseId,
    },
  }));
}

/** The store and the calendar answer in milliseconds; every call is idempotent, so retries are safe. */
const STORE_AND_CALENDAR: ActivityOptions & LocalActivityOptions = {
  // A minute covers a slow database.
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['ConcurrencyConflictError'],
  },
};

/**
 * Since this patch the append (`recordEvents`) and the calendar (`deadlineAt`) run as local
 * activities: inside the workflow task that needs them, with their results recorded as markers,
 * instead of each making a round trip through the server's activity queue and a workflow task of
 * its own. An escalation is then one workflow task instead of three (bench/RESULTS.md,
 * escalation-lateness on the Temporal server). Histories from before replay with the activities
 * they scheduled; a running workflow takes the local path from its next live step on.
 */
export const LOCAL_STORE_AND_CALENDAR_PATCH = 'local-store-and-calendar';

type StoreAndCalendar = Pick<HandoverActivities, 'recordEvents' | 'deadlineAt'>;

/**
 * Activities that run locally once `patchId` is in the history and as scheduled activities
 * before it. Ask at each call (patched() records its marker where it is first asked live).
 */
export function localOnceAvailable<T extends object>(patchId: string, options: ActivityOptions & LocalActivityOptions) {
  const scheduled = proxyActivities<T>(options);
  const local = proxyLocalActivities<T>(options);
  return () => (patched(patchId) ? local : scheduled);
}

/** The append and the calendar as the handover and lead workflows call them. */
export function storeAndCalendar() {
  return localOnceAvailable<StoreAndCalendar>(LOCAL_STORE_AND_CALENDAR_PATCH, STORE_AND_CALENDAR);
}

/** Options of the activities that are not the store's append or the calendar. */
export const SCHEDULED_ACTIVITY_OPTIONS: ActivityOptions = STORE_AND_CALENDAR;
