/**
 * The bare baselines: what Temporal alone costs for the same shape of work as a handover, with no
 * decider, no event store and no API. Bundled by Worker.create from this file, so it imports
 * only @temporalio/workflow.
 */
import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

export interface BareActivities {
  /** Does nothing; one per update, like the recordEvents activity of each handover command. */
  noop(input: { readonly step: number }): Promise<void>;
  /** Notes Date.now() for `id` in the benchmark process: when a timer's follow-up work ran. */
  fired(input: { readonly id: string; readonly dueAt: number }): Promise<void>;
}

const { noop, fired } = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });

export const bareStepUpdate = defineUpdate<number, [{ readonly step: number }]>('bareStep');

/** Waits for `updates` updates, each running one no-op activity; like requested → … → started. */
export async function bareUpdatesWorkflow(input: { readonly updates: number }): Promise<number> {
  let done = 0;
  setHandler(bareStepUpdate, async ({ step }) => {
    await noop({ step });
    done += 1;
    return done;
  });
  await condition(() => done >= input.updates);
  await condition(allHandlersFinished);
  return done;
}

/** Sleeps until `dueAt` (epoch ms), then runs one activity that records when it ran. */
export async function bareTimerWorkflow(input: { readonly id: string; readonly dueAt: number }): Promise<void> {
  const waitMs = input.dueAt - Date.now();
  if (waitMs > 0) await sleep(waitMs);
  await fired(input);
}
