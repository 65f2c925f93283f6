import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DeliveryResult, NewEvent, NoticeActivities, NoticeWorkflowInput } from '@warm-handover/contracts';
import { createTimeSkippingEnvironment, workflowBundle } from '../../test/support/temporal';
import { noticeWorkflow } from './notice.workflow';

const DAY_MS = 24 * 60 * 60 * 1000;
const REPLAY_DIR = join(__dirname, '..', '..', 'test', 'replay');

function input(overrides: Partial<NoticeWorkflowInput> = {}): NoticeWorkflowInput {
  const noticeId = `n-${Math.random().toString(16).slice(2)}`;
  return {
    streamId: `notice-${noticeId}`,
    notice: {
      noticeId,
      caseId: 'case-wf',
      causeEventId: 'cause-1',
      causeType: 'HandoverEscalated',
      handoverId: 'h-1',
      level: 1,
      recipient: {
        organisation: 'vt-kennemerland',
        role: 'team-lead',
        contactPointId: 'cp-1',
        contactPointVersion: 1,
        channel: 'email',
        address: 'teamleiding@vt-kennemerland.example',
      },
    },
    facts: {
      subject: { caseId: 'case-wf', handoverId: 'h-1', reason: 'receipt-overdue', dueAt: '2026-11-20T09:00:00Z' },
      recipientTitle: 'Teamleider',
      escalatedAt: '2026-11-20T09:00:01Z',
    },
    retry: { initialIntervalMs: 60_000, maximumIntervalMs: 5 * 60_000, maximumAttempts: 5 },
    ...overrides,
  };
}

/** Activities that deliver as scripted and record in memory, with the workflow time of each call. */
function scripted(
  deliveries: readonly DeliveryResult[],
  statuses: readonly { acknowledged: boolean; settled: boolean }[] = [],
) {
  const recorded: (NewEvent & { at: number })[] = [];
  let delivery = 0;
  let status = 0;
  const activities: NoticeActivities = {
    deliverNotice: () => Promise.resolve(deliveries[Math.min(delivery++, deliveries.length - 1)]!),
    recordNoticeEvents: ({ events }) => {
      for (const e of events)
        if (!recorded.some((r) => r.eventId === e.eventId))
          recorded.push({
            ...e,
            at: Date.parse(
              (e.data as { failedAt?: string; sentAt?: string }).failedAt ?? (e.data as { sentAt: string }).sentAt,
            ),
          });
      return Promise.resolve();
    },
    noticeStatus: () =>
      Promise.resolve(statuses[Math.min(status++, statuses.length - 1)] ?? { acknowledged: false, settled: false }),
  };
  return { activities, recorded };
}

describe('noticeWorkflow (time-skipping test server)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
  });
  afterAll(() => env?.teardown());

  /**
   * Runs the workflow to its end; with `recordAs`, writes its history for the replay spec when asked to.
   * Recordings without "-locally" predate notice-local-store: they are kept and never re-recorded.
   */
  async function run(workflowInput: NoticeWorkflowInput, activities: NoticeActivities, recordAs?: string) {
    const taskQueue = `notice-${workflowInput.notice.noticeId}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities,
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(noticeWorkflow, {
        taskQueue,
        workflowId: `notice-${workflowInput.notice.noticeId}`,
        args: [workflowInput],
      });
      const outcome = await handle.result();
      if (recordAs && process.env.UPDATE_REPLAY_HISTORIES === '1')
        writeFileSync(join(REPLAY_DIR, recordAs), historyToJSON(await handle.fetchHistory()));
      return outcome;
    });
  }

  it('given a receiver that refuses twice, when the notice runs, then each failure is recorded with a doubling wait and the third attempt is sent', async () => {
    const fail = { delivered: false, error: 'connect ECONNREFUSED 127.0.0.1:25' } as const;
    const { activities, recorded } = scripted([fail, fail, { delivered: true, subject: 'Onderwerp' }]);

    const outcome = await run(input(), activities, 'notice-retried-then-sent-locally.json');

    expect(outcome).toBe('sent');
    expect(recorded.map((e) => e.type)).toEqual(['NoticeAttemptFailed', 'NoticeAttemptFailed', 'NoticeSent']);
    const [first, second, sent] = recorded.map((e) => e.data as Record<string, unknown>);
    expect(first).toMatchObject({ attempt: 1, error: fail.error });
    expect(second).toMatchObject({ attempt: 2 });
    expect(sent).toMatchObject({ attempt: 3, repeat: 0, subject: 'Onderwerp' });
    // Waits of 1 and 2 minutes: announced in nextAttemptAt, and kept by the workflow's timers.
    expect(Date.parse(first!.nextAttemptAt as string) - Date.parse(first!.failedAt as string)).toBe(60_000);
    expect(Date.parse(second!.nextAttemptAt as string) - Date.parse(second!.failedAt as string)).toBe(120_000);
    expect(recorded[1]!.at - recorded[0]!.at).toBeGreaterThanOrEqual(60_000);
    expect(recorded[2]!.at - recorded[1]!.at).toBeGreaterThanOrEqual(120_000);
    for (const e of recorded) expect(e.metadata).toMatchObject({ caseId: 'case-wf', causationId: 'cause-1' });
  });

  it('given a receiver that is always down, when the notice runs, then the waits stop growing at the cap and it is recorded as failed after the last attempt', async () => {
    const { activities, recorded } = scripted([{ delivered: false, error: 'the webhook answered HTTP 503' }]);

    const outcome = await run(
      input({ retry: { initialIntervalMs: 60_000, maximumIntervalMs: 150_000, maximumAttempts: 4 } }),
      activities,
    );

    expect(outcome).toBe('failed');
    expect(recorded.map((e) => e.type)).toEqual([
      'NoticeAttemptFailed',
      'NoticeAttemptFailed',
      'NoticeAttemptFailed',
      'NoticeFailed',
    ]);
    const waits = recorded
      .slice(0, 3)
      .map((e) => e.data as { nextAttemptAt: string; failedAt: string })
      .map((d) => Date.parse(d.nextAttemptAt) - Date.parse(d.failedAt));
    expect(waits).toEqual([60_000, 120_000, 150_000]);
    expect(recorded[3]!.data).toMatchObject({ attempts: 4, lastError: 'the webhook answered HTTP 503' });
  });

  it('given an organisation without a contact point for the role, when the notice runs, then it is recorded as failed at once, without an attempt', async () => {
    const { activities, recorded } = scripted([{ delivered: true, subject: 'never sent' }]);
    const base = input();

    const outcome = await run(
      input({
        notice: {
          ...base.notice,
          recipient: {
            ...base.notice.recipient,
            contactPointId: 'none:gemeente-dordrecht:team-lead',
            contactPointVersion: 0,
            address: '',
            unaddressable: true,
          },
        },
      }),
      activities,
    );

    expect(outcome).toBe('failed');
    expect(recorded.map((e) => e.type)).toEqual(['NoticeFailed']);
    expect(recorded[0]!.data).toMatchObject({ attempts: 0, lastError: expect.stringContaining('no contact point') });
  });

  it('given a top-level notice nobody acknowledges, when days pass, then it repeats daily until the step happens', async () => {
    const sent = { delivered: true, subject: 'Onderwerp' } as const;
    const { activities, recorded } = scripted(
      [sent],
      [
        { acknowledged: false, settled: false },
        { acknowledged: false, settled: false },
        { acknowledged: false, settled: true },
      ],
    );

    // notice-repeated-then-acknowledged.json is the recording of the version before
    // ACK_IS_NOT_RESOLVING and stays as it is: it proves running notices of that version replay.
    const outcome = await run(input({ repeatEveryMs: DAY_MS }), activities);

    expect(outcome).toBe('settled');
    expect(recorded.map((e) => [e.type, (e.data as { repeat: number }).repeat])).toEqual([
      ['NoticeSent', 0],
      ['NoticeSent', 1],
      ['NoticeSent', 2],
    ]);
    expect(recorded[1]!.at - recorded[0]!.at).toBeGreaterThanOrEqual(DAY_MS);
    expect(recorded[2]!.at - recorded[1]!.at).toBeGreaterThanOrEqual(DAY_MS);
  });

  describe('acknowledging is not resolving', () => {
    const HOUR_MS = 60 * 60 * 1000;
    /**
     * Acknowledged two hours after the first delivery, with an acknowledgement timeout that ends
     * 32 hours after it (as a working day over a night does): the daily check at 24 hours finds
     * it acknowledged and silenced; `then` is the status after the timeout.
     */
    function acknowledgedThen(then: { settled: boolean }[]) {
      const sent = { delivered: true, subject: 'Onderwerp' } as const;
      const checks: { at: number; status: { acknowledged: boolean; settled: boolean; silencedUntil?: string } }[] = [];
      const { activities, recorded } = scripted([sent]);
      let check = 0;
      activities.noticeStatus = () => {
        const firstSentAt = recorded[0]!.at;
        const status =
          check === 0
            ? {
                acknowledged: true,
                settled: false,
                silencedUntil: new Date(firstSentAt + 2 * HOUR_MS + 30 * HOUR_MS).toISOString(),
              }
            : { acknowledged: true, settled: then[Math.min(check - 1, then.length - 1)]!.settled };
        check++;
        checks.push({ at: recorded.at(-1)!.at, status });
        return Promise.resolve(status);
      };
      return { activities, recorded, checks };
    }

    it('given an acknowledged top-level notice whose step is still open after the timeout, when the timeout passes, then it is sent again at that rung, and again daily until the step happens', async () => {
      const { activities, recorded } = acknowledgedThen([{ settled: false }, { settled: false }, { settled: true }]);

      const outcome = await run(
        input({ repeatEveryMs: DAY_MS }),
        activities,
        'notice-acknowledged-then-resumed-locally.json',
      );

      expect(outcome).toBe('settled');
      expect(recorded.map((e) => [e.type, (e.data as { repeat: number; level: number }).repeat])).toEqual([
        ['NoticeSent', 0],
        ['NoticeSent', 1],
        ['NoticeSent', 2],
      ]);
      for (const e of recorded) expect(e.data).toMatchObject({ level: 1, recipient: { role: 'team-lead' } });
      // Silent through the daily check at 24 h (acknowledged), resumed when the timeout ended at 32 h.
      const resumedAfter = recorded[1]!.at - recorded[0]!.at;
      expect(resumedAfter).toBeGreaterThanOrEqual(32 * HOUR_MS);
      expect(resumedAfter).toBeLessThan(33 * HOUR_MS);
      expect(recorded[2]!.at - recorded[1]!.at).toBeGreaterThanOrEqual(DAY_MS);
    });

    it('given an acknowledged top-level notice whose step happens during the timeout, when the timeout passes, then it ends without sending again', async () => {
      const { activities, recorded } = acknowledgedThen([{ settled: true }]);

      const outcome = await run(input({ repeatEveryMs: DAY_MS }), activities);

      expect(outcome).toBe('settled');
      expect(recorded.map((e) => e.type)).toEqual(['NoticeSent']);
    });

    it('given an acknowledgement whose timeout has already passed at the daily check, when checked, then the notice is sent again at once', async () => {
      const sent = { delivered: true, subject: 'Onderwerp' } as const;
      const { activities, recorded } = scripted(
        [sent],
        [
          { acknowledged: true, settled: false },
          { acknowledged: true, settled: true },
        ],
      );
      const status = activities.noticeStatus;
      activities.noticeStatus = async (args) => ({
        ...(await status(args)),
        silencedUntil: new Date(recorded[0]!.at + HOUR_MS).toISOString(),
      });

      const outcome = await run(input({ repeatEveryMs: DAY_MS }), activities);

      expect(outcome).toBe('settled');
      expect(recorded.map((e) => (e.data as { repeat: number }).repeat)).toEqual([0, 1]);
      expect(recorded[1]!.at - recorded[0]!.at).toBeLessThan(DAY_MS + HOUR_MS);
    });
  });

  it('given a top-level notice whose step happens the next day, when the day has passed, then it ends without a repeat', async () => {
    const { activities, recorded } = scripted(
      [{ delivered: true, subject: 'Onderwerp' }],
      [{ acknowledged: false, settled: true }],
    );

    const outcome = await run(input({ repeatEveryMs: DAY_MS }), activities);

    expect(outcome).toBe('settled');
    expect(recorded.map((e) => e.type)).toEqual(['NoticeSent']);
  });
});
