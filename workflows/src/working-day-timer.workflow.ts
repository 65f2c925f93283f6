import { proxyActivities, sleep } from '@temporalio/workflow';
import type { CalendarActivities, WorkingDayTimerInput, WorkingDayTimerOutput } from '@warm-handover/contracts';

const { computeDeadline } = proxyActivities<CalendarActivities>({
  // Pure computation; a short timeout surfaces a stuck worker quickly, and retries are harmless.
  startToCloseTimeout: '10 seconds',
});

/**
 * Waits N Dutch working days. The deadline is computed in an activity, not here, so a later
 * update of the holiday calendar cannot change the deadline of a workflow already running
 * (the computed instant is recorded in its history).
 */
export async function workingDayTimerWorkflow(input: WorkingDayTimerInput): Promise<WorkingDayTimerOutput> {
  const startedAt = new Date().toISOString();
  const { deadline } = await computeDeadline({ from: startedAt, workingDays: input.workingDays });
  const remaining = Date.parse(deadline) - Date.now();
  if (remaining > 0) await sleep(remaining);
  return { startedAt, deadline, firedAt: new Date().toISOString() };
}
