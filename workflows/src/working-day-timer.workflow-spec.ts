import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addWorkingDays } from '@warm-handover/domain';
import { createCalendarActivities } from '../../apps/worker/src/temporal/calendar.activities';
import { createTimeSkippingEnvironment, workflowBundle } from '../../test/support/temporal';
import { workingDayTimerWorkflow } from './working-day-timer.workflow';

describe('workingDayTimerWorkflow (time-skipping test server)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
  });
  afterAll(() => env?.teardown());

  it('given a 10-working-day timer, when the workflow runs, then it fires exactly at the Dutch working-day deadline, in far less wall time', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'timer-test',
      workflowBundle: await workflowBundle(),
      activities: createCalendarActivities(),
    });
    const wallStart = Date.now();

    const result = await worker.runUntil(
      env.client.workflow.execute(workingDayTimerWorkflow, {
        taskQueue: 'timer-test',
        workflowId: `timer-${wallStart}`,
        args: [{ workingDays: 10 }],
      }),
    );
    const wallMs = Date.now() - wallStart;

    expect(result.deadline).toBe(addWorkingDays(new Date(result.startedAt), 10).toISOString());
    expect(Date.parse(result.firedAt)).toBeGreaterThanOrEqual(Date.parse(result.deadline));
    // Ten working days span two weekends: at least 12 calendar days of workflow time (from a Sunday)…
    const days = (Date.parse(result.firedAt) - Date.parse(result.startedAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(12);
    // …that passed without anyone waiting for them (generous bound: this proves time skipping, not speed).
    expect(wallMs).toBeLessThan(days * 86_400_000);
    expect(wallMs).toBeLessThan(30_000);
    console.info(`10 working days (${days.toFixed(1)} calendar days) took ${wallMs} ms of wall time`);
  });
});
