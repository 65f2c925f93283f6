import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import { type FamilyActivities, familyChangedSignal, type FamilyWorkflowInput } from '@warm-handover/contracts';

const { familyTick } = proxyActivities<FamilyActivities>({
  // A tick reads one case and appends a few events: milliseconds; a minute covers a slow
  // database, and retries are safe because the escalations' ids are derived from their subject.
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * A family's timers run for years; a new run every so many ticks keeps each history short, so
 * replay after a worker restart stays quick.
 */
const TICKS_PER_RUN = 200;

/** Never look again sooner than this when the tick says something is due already (a clock skew, a retry). */
const MIN_WAIT_MS = 1000;

/**
 * The family's durable timers, one per case (R5, R6, R9). The API records every change,
 * re-assessment, signal and goal (decided by the family decider) and signals this workflow; each
 * tick records the escalations then due (an overdue re-assessment climbs its organisation's
 * ladder, a goal past its date climbs its owner's) and sleeps until the next deadline or the
 * next signal, whichever comes first. State lives in the event store, not here: a restarted
 * worker replays only signals, timers and ticks.
 */
export async function familyWorkflow({ caseId }: FamilyWorkflowInput): Promise<void> {
  let signals = 0;
  setHandler(familyChangedSignal, () => {
    signals++;
  });
  for (let tick = 0; tick < TICKS_PER_RUN; tick++) {
    const seen = signals;
    const { nextWakeAt } = await familyTick({ caseId, now: new Date().toISOString() });
    if (!nextWakeAt) {
      await condition(() => signals !== seen);
      continue;
    }
    const waitMs = Math.max(MIN_WAIT_MS, Date.parse(nextWakeAt) - Date.now());
    await condition(() => signals !== seen, waitMs);
  }
  await continueAsNew<typeof familyWorkflow>({ caseId });
}
