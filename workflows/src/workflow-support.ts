import { uuid4 } from '@temporalio/workflow';
import { type Actor, type CommandMeta, commandRefusedFailure, type NewEvent } from '@warm-handover/contracts';
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
