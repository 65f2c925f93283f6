import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  makeSafetyAgreementUpdate,
  meldingCommandUpdate,
  meldingWorkflowId,
  receiveMeldingUpdate,
  responsibilityMovedUpdate,
  safetyAgreementCommandUpdate,
  safetyAgreementWorkflowId,
} from '@warm-handover/contracts';
import {
  findOrganisation,
  type MonitoringEscalated,
  type SafetyAgreementBreachReported,
  type StatutoryTermEscalated,
  type StatutoryTermWarned,
} from '@warm-handover/domain';
import { createSafetyActivities } from '../../apps/worker/src/temporal/safety.activities';
import { meta } from '../../test/support/handover-fixtures';
import { createTimeSkippingEnvironment, inMemoryRecorder, workflowBundle } from '../../test/support/temporal';
import { meldingWorkflow } from './melding.workflow';
import { SAFETY_ESCALATIONS_PER_RUN, safetyAgreementWorkflow } from './safety-agreement.workflow';

const REPLAY_DIR = join(__dirname, '..', '..', 'test', 'replay');
const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const LT = 'lokaal-team-haarlemmermeer';
const ladder = (org: string) => findOrganisation(org)!.ladder;

/**
 * The safety workflows on the time-skipping test server. One environment for the file, so its
 * clock only moves forward: the tests run in calendar order (April 2029, then June 2029).
 */
describe('safety agreement and melding workflows (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const { streams, recordEvents } = inMemoryRecorder();
  const taskQueue = 'safety-test';

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { ...createSafetyActivities(), recordEvents },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  /** Moves the test server's clock to `iso` (it never goes back). */
  async function until(iso: string) {
    const ms = Date.parse(iso) - (await env.currentTimeMs());
    if (ms < 0) throw new Error(`the clock is already past ${iso}`);
    await env.sleep(ms);
  }
  const recorded = <T>(streamId: string, type: string) =>
    (streams.get(streamId) ?? []).filter((e) => e.type === type).map((e) => e.data as T);

  it("given a moment on Thursday 26 April 2029 without a result, when King's Day (Friday 27) and the weekend pass, then it escalates at the monitor's team lead on Monday 30 April at 09:00, and a rung a working day after", async () => {
    await until('2029-04-20T08:00:00.000Z');
    const agreementId = `sa-${randomUUID().slice(0, 8)}`;
    const caseId = `case-${randomUUID().slice(0, 8)}`;
    const handle = await env.client.workflow.start(safetyAgreementWorkflow, {
      taskQueue,
      workflowId: safetyAgreementWorkflowId(agreementId),
    });
    await handle.executeUpdate(makeSafetyAgreementUpdate, {
      args: [
        {
          meta: meta(KEN),
          make: {
            agreementId,
            caseId,
            code: 'no-contact-with-suspect',
            memberIds: ['child-1', 'parent-1'],
            monitor: { organisation: LT, role: 'professional', ladder: ladder(LT) },
            moments: ['2029-04-26', '2029-05-03'],
          },
        },
      ],
    });
    const escalations = () => recorded<MonitoringEscalated['data']>(`safety-${agreementId}`, 'MonitoringEscalated');

    await until('2029-04-30T06:59:00.000Z');
    expect(escalations()).toEqual([]);
    await until('2029-04-30T07:00:30.000Z');
    expect(
      escalations().map((e) => [
        e.moment,
        e.escalatedAt.slice(0, 16),
        e.level,
        e.recipients[0]!.organisation,
        e.recipients[0]!.role,
      ]),
    ).toEqual([['2029-04-26', '2029-04-30T07:00', 1, LT, 'team-lead']]);
    await until('2029-05-01T07:00:30.000Z');
    expect(escalations().map((e) => [e.escalatedAt.slice(0, 10), e.recipients[0]!.role])).toEqual([
      ['2029-04-30', 'team-lead'],
      ['2029-05-01', 'manager'],
    ]);

    // The monitor records the late result: the escalation stops; "not kept" tells the responsible and the lead.
    await handle.executeUpdate(safetyAgreementCommandUpdate, {
      args: [
        {
          meta: meta(LT),
          command: {
            type: 'RecordMonitoringResult',
            moment: '2029-04-26',
            outcome: 'not-kept',
            effects: [
              { memberId: 'child-1', effect: 'unsafe' },
              { memberId: 'parent-1', effect: 'unchanged' },
            ],
            checkedOn: '2029-04-26',
            responsibleOrg: KEN,
            leadOrgs: [KEN],
            breachRecipients: [{ organisation: KEN, role: 'professional', title: 'Medewerker' }],
          },
        },
      ],
    });
    const breaches = recorded<SafetyAgreementBreachReported['data']>(
      `safety-${agreementId}`,
      'SafetyAgreementBreachReported',
    );
    expect(breaches.map((b) => [b.moment, b.responsibleOrg, b.leadOrgs])).toEqual([['2029-04-26', KEN, [KEN]]]);

    // A handover from the monitor starts without a decision: the receiver inherits, recorded.
    const moved = await handle.executeUpdate(responsibilityMovedUpdate, {
      args: [
        {
          meta: meta('warm-handover', 'system'),
          move: {
            handoverId: 'h-1',
            fromOrg: LT,
            toOrg: AMS,
            toLadder: ladder(AMS),
            startedAt: '2029-05-02T08:00:00.000Z',
          },
        },
      ],
    });
    expect(moved.monitor).toEqual({ organisation: AMS, role: 'professional' });
    // The next moment's missed result now escalates at the new monitor (Thursday 3 May → Friday 4 May).
    await until('2029-05-04T07:00:30.000Z');
    expect(escalations().at(-1)).toMatchObject({
      moment: '2029-05-03',
      level: 1,
      recipients: [{ organisation: AMS, role: 'team-lead' }],
    });
    expect(escalations()).toHaveLength(3);

    if (process.env.UPDATE_REPLAY_HISTORIES === '1')
      writeFileSync(
        join(REPLAY_DIR, 'safety-agreement-missed-then-broken.json'),
        historyToJSON(await handle.fetchHistory()),
      );
  });

  it('given a report received on Wednesday 6 June 2029, when the 5 working days pass without an assessment, then the team lead is warned on Tuesday 12 June and it escalates to the manager on Wednesday 13 June; a completed assessment stops it', async () => {
    await until('2029-06-06T10:00:00.000Z');
    const meldingId = `m-${randomUUID().slice(0, 8)}`;
    const caseId = `case-${randomUUID().slice(0, 8)}`;
    const handle = await env.client.workflow.start(meldingWorkflow, {
      taskQueue,
      workflowId: meldingWorkflowId(meldingId),
    });
    const received = await handle.executeUpdate(receiveMeldingUpdate, {
      args: [
        {
          meta: meta(KEN),
          receive: {
            meldingId,
            caseId,
            reporterKind: 'professional',
            receivedAt: '2029-06-06T10:00:00.000Z',
            ladder: ladder(KEN),
          },
        },
      ],
    });
    // Thu 7, Fri 8, (weekend), Mon 11, Tue 12, Wed 13: five working days.
    expect(received.assessment.dueAt).toBe('2029-06-13T10:00:00.000Z');
    const warnings = () => recorded<StatutoryTermWarned['data']>(`melding-${meldingId}`, 'StatutoryTermWarned');
    const escalations = () =>
      recorded<StatutoryTermEscalated['data']>(`melding-${meldingId}`, 'StatutoryTermEscalated');

    await until('2029-06-12T09:59:00.000Z');
    expect(warnings()).toEqual([]);
    await until('2029-06-12T10:00:30.000Z');
    expect(warnings().map((w) => [w.term, w.recipients[0]!.role])).toEqual([['safety-assessment', 'team-lead']]);
    await until('2029-06-13T09:59:00.000Z');
    expect(escalations()).toEqual([]);
    await until('2029-06-13T10:00:30.000Z');
    expect(escalations().map((e) => [e.term, e.level, e.recipients[0]!.role])).toEqual([
      ['safety-assessment', 2, 'manager'],
    ]);

    const assessed = await handle.executeUpdate(meldingCommandUpdate, {
      args: [
        {
          meta: meta(KEN),
          command: {
            type: 'CompleteSafetyAssessment',
            outcome: 'investigation',
            completedAt: '2029-06-13T10:00:20.000Z',
          },
        },
      ],
    });
    expect(assessed.assessment.status).toBe('missed');
    await until('2029-06-15T10:00:30.000Z');
    expect(escalations()).toHaveLength(1);

    // Another organisation cannot start the investigation; Veilig Thuis can, due 10 weeks later.
    await expect(
      handle.executeUpdate(meldingCommandUpdate, {
        args: [{ meta: meta(AMS), command: { type: 'StartInvestigation', startedAt: '2029-06-15T10:00:00.000Z' } }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const investigating = await handle.executeUpdate(meldingCommandUpdate, {
      args: [{ meta: meta(KEN), command: { type: 'StartInvestigation', startedAt: '2029-06-15T10:00:00.000Z' } }],
    });
    expect(investigating.investigation?.dueAt).toBe('2029-08-24T10:00:00.000Z');
    await until('2029-08-17T10:00:30.000Z');
    expect(warnings().map((w) => w.term)).toEqual(['safety-assessment', 'investigation']);

    if (process.env.UPDATE_REPLAY_HISTORIES === '1')
      writeFileSync(
        join(REPLAY_DIR, 'melding-assessment-late-then-investigated.json'),
        historyToJSON(await handle.fetchHistory()),
      );
  });

  it('given an agreement and a report nobody acts on for five months, when the director is reminded daily, then each workflow continues as new after its escalations per run, losing and repeating none, and still takes the late result', async () => {
    await until('2029-09-03T08:00:00.000Z');
    const agreementId = `sa-${randomUUID().slice(0, 8)}`;
    const meldingId = `m-${randomUUID().slice(0, 8)}`;
    const caseId = `case-${randomUUID().slice(0, 8)}`;
    const agreement = await env.client.workflow.start(safetyAgreementWorkflow, {
      taskQueue,
      workflowId: safetyAgreementWorkflowId(agreementId),
    });
    await agreement.executeUpdate(makeSafetyAgreementUpdate, {
      args: [
        {
          meta: meta(KEN),
          make: {
            agreementId,
            caseId,
            code: 'supervised-contact-only',
            memberIds: ['child-1'],
            monitor: { organisation: KEN, role: 'professional', ladder: ladder(KEN) },
            moments: ['2029-09-03'],
          },
        },
      ],
    });
    const melding = await env.client.workflow.start(meldingWorkflow, {
      taskQueue,
      workflowId: meldingWorkflowId(meldingId),
    });
    await melding.executeUpdate(receiveMeldingUpdate, {
      args: [
        {
          meta: meta(KEN),
          receive: {
            meldingId,
            caseId,
            reporterKind: 'citizen',
            receivedAt: '2029-09-03T08:00:00.000Z',
            ladder: ladder(KEN),
          },
        },
      ],
    });

    await until('2030-02-15T12:00:00.000Z');
    const monitoring = recorded<MonitoringEscalated['data']>(`safety-${agreementId}`, 'MonitoringEscalated');
    const terms = recorded<StatutoryTermEscalated['data']>(`melding-${meldingId}`, 'StatutoryTermEscalated');
    for (const escalations of [monitoring, terms]) {
      expect(escalations.length).toBeGreaterThan(SAFETY_ESCALATIONS_PER_RUN);
      // One a working day, none twice, none lost across the runs: the rungs, then reminders 1, 2, 3…
      const days = escalations.map((e) => e.escalatedAt.slice(0, 10));
      expect(new Set(days).size).toBe(days.length);
      const top = escalations.filter((e) => e.level === 3);
      expect(top.map((e) => e.repeat)).toEqual(top.map((_, i) => i));
    }
    for (const handle of [agreement, melding]) {
      const { runId } = await handle.describe();
      expect(runId).not.toBe(handle.firstExecutionRunId);
    }

    // The late result and assessment reach the current run through the same workflow ids, and stop it.
    const recordedResult = await env.client.workflow
      .getHandle(safetyAgreementWorkflowId(agreementId))
      .executeUpdate(safetyAgreementCommandUpdate, {
        args: [
          {
            meta: meta(KEN),
            command: {
              type: 'RecordMonitoringResult',
              moment: '2029-09-03',
              outcome: 'kept',
              effects: [{ memberId: 'child-1', effect: 'safe' }],
              checkedOn: '2029-09-03',
              responsibleOrg: KEN,
              leadOrgs: [KEN],
              breachRecipients: [],
            },
          },
        ],
      });
    expect(recordedResult.moments[0]).toMatchObject({ moment: '2029-09-03', outcome: 'kept' });
    const assessed = await env.client.workflow
      .getHandle(meldingWorkflowId(meldingId))
      .executeUpdate(meldingCommandUpdate, {
        args: [
          {
            meta: meta(KEN),
            command: {
              type: 'CompleteSafetyAssessment',
              outcome: 'advice-given',
              completedAt: '2030-02-15T12:00:00.000Z',
            },
          },
        ],
      });
    expect(assessed.assessment.status).toBe('missed');
    const counts = [monitoring.length, terms.length];
    await until('2030-02-22T12:00:00.000Z');
    expect([
      recorded(`safety-${agreementId}`, 'MonitoringEscalated').length,
      recorded(`melding-${meldingId}`, 'StatutoryTermEscalated').length,
    ]).toEqual(counts);

    if (process.env.UPDATE_REPLAY_HISTORIES === '1') {
      const first = (id: string, runId: string) => env.client.workflow.getHandle(id, runId).fetchHistory();
      writeFileSync(
        join(REPLAY_DIR, 'safety-agreement-continued-as-new.json'),
        historyToJSON(await first(safetyAgreementWorkflowId(agreementId), agreement.firstExecutionRunId)),
      );
      writeFileSync(
        join(REPLAY_DIR, 'melding-continued-as-new.json'),
        historyToJSON(await first(meldingWorkflowId(meldingId), melding.firstExecutionRunId)),
      );
    }
  });
});
