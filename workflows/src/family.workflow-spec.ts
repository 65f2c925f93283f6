import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { familyChangedSignal, familyWorkflowId, type NewEvent, type RecordedEvent } from '@warm-handover/contracts';
import {
  CommandRefused,
  DEFAULT_FAMILY_POLICY,
  deadlineAt,
  decideFamily,
  type FamilyCommand,
  type FamilyEscalated,
  familyContextOf,
  foldFamilyFacts,
  interpretDeadline,
} from '@warm-handover/domain';
import { createFamilyActivities, type FamilyStore } from '../../apps/worker/src/temporal/family.activities';
import { createTimeSkippingEnvironment, workflowBundle } from '../../test/support/temporal';
import { familyWorkflow } from './family.workflow';

/**
 * The family's timers on Temporal's time-skipping test server: working days pass in
 * milliseconds. The tick activity is the real one over an in-memory store with the event store's
 * contract (idempotent on event ids, the guard run before the append).
 */
const REPLAY_DIR = join(__dirname, '..', '..', 'test', 'replay');
const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const GEM = 'gemeente-haarlemmermeer';

function inMemoryStore(): FamilyStore & { events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    readCase: (caseId) => Promise.resolve(events.filter((e) => e.metadata.caseId === caseId)),
    append: (streamId, batch: readonly NewEvent[], options) => {
      if (batch.every((e) => events.some((s) => s.eventId === e.eventId))) return Promise.resolve(undefined);
      if (options?.guard) options.guard.check(events.filter((e) => e.metadata.caseId === options.guard!.caseId));
      for (const e of batch)
        events.push({
          ...e,
          streamId,
          streamVersion: 0,
          globalPosition: events.length + 1,
          recordedAt: new Date().toISOString(),
        });
      return Promise.resolve(undefined);
    },
  };
}

describe('familyWorkflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const store = inMemoryStore();
  const taskQueue = 'family-test';

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createFamilyActivities(store),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function advanceTo(iso: string): Promise<void> {
    const ms = Date.parse(iso) - (await env.currentTimeMs());
    if (ms < 0) throw new Error(`the test clock is already past ${iso}; order the tests by date`);
    await env.sleep(ms);
  }
  const now = async () => new Date(await env.currentTimeMs()).toISOString();
  const minute = (iso: string) => iso.slice(0, 16);

  /** The case as the API would record it, and a party's command decided on it with the real calendar. */
  const seed = (caseId: string, type: string, data: Record<string, unknown>) =>
    void store.events.push({
      eventId: randomUUID(),
      type,
      data: { caseId, ...data },
      metadata: { actor: { subject: 's', organisation: KEN, role: 'professional' }, correlationId: 'c', caseId },
      streamId: `case-${caseId}`,
      streamVersion: 0,
      globalPosition: store.events.length + 1,
      recordedAt: new Date().toISOString(),
    });
  async function record(caseId: string, command: FamilyCommand) {
    const events = await store.readCase(caseId);
    const decided = decideFamily(command, foldFamilyFacts(events), familyContextOf(caseId, events, command.now), {
      calendar: (from, spec) => deadlineAt(new Date(from), interpretDeadline(spec)).toISOString(),
      policy: DEFAULT_FAMILY_POLICY,
    });
    for (const e of decided) seed(caseId, e.type, e.data);
    await env.client.workflow.signalWithStart(familyWorkflow, {
      taskQueue,
      workflowId: familyWorkflowId(caseId),
      args: [{ caseId }],
      signal: familyChangedSignal,
      signalArgs: [],
    });
    return decided;
  }
  const escalations = (caseId: string) =>
    store.events
      .filter((e) => e.metadata.caseId === caseId && e.type === 'FamilyEscalated')
      .map((e) => (e as unknown as FamilyEscalated).data);
  const actor = (organisation: string) => ({ subject: 'ps-1', organisation, role: 'professional' });
  const openCase = (caseId: string, at: string) => {
    seed(caseId, 'CaseOpened', { openedBy: KEN, childIds: ['child-a'], openedAt: at });
    seed(caseId, 'PartyInvolved', { organisation: GEM, reason: 'municipality', involvedBy: KEN, involvedAt: at });
  };

  it('given a move recorded the day before Christmas Eve, when nobody re-assesses, then it escalates at the end of 5 working days (Christmas not counted), then one working day later (New Year not counted), and stops once re-assessed', async () => {
    const caseId = 'case-christmas';
    await advanceTo('2026-12-23T10:00:00+01:00'); // Wednesday
    const t = await now();
    openCase(caseId, t);
    const [change] = await record(caseId, {
      type: 'RecordFamilyChange',
      actor: actor(GEM),
      now: t,
      caseId,
      changeId: 'chg-1',
      code: 'moved',
      occurredAt: t,
    });
    // Thu 24, (Fri 25 Christmas), Mon 28, Tue 29, Wed 30, Thu 31 December.
    const dueAt = (change!.data as unknown as { reassessments: { dueAt: string }[] }).reassessments[0]!.dueAt;
    expect(minute(dueAt)).toBe('2026-12-31T09:00');

    await advanceTo('2026-12-31T08:59:00Z');
    expect(escalations(caseId)).toEqual([]);
    await advanceTo('2026-12-31T09:01:00Z');
    expect(escalations(caseId).map((e) => [e.level, e.recipients[0]!.organisation, e.recipients[0]!.role])).toEqual([
      [1, KEN, 'team-lead'],
    ]);
    const [first] = escalations(caseId);
    expect(first).toMatchObject({ reason: 'reassessment-overdue', subjectId: 'chg-1', dueAt });
    // Fri 1 January is New Year's Day: the next rung is Monday 4 January.
    expect(minute(first!.nextAt!)).toBe('2027-01-04T09:00');

    await advanceTo('2027-01-04T09:01:00Z');
    expect(escalations(caseId).map((e) => [e.level, e.recipients[0]!.role])).toEqual([
      [1, 'team-lead'],
      [2, 'manager'],
    ]);

    await record(caseId, {
      type: 'RecordRiskReassessment',
      actor: actor(KEN),
      now: await now(),
      caseId,
      outcome: 'safe',
      documentRef: 'dossier:2027-0001',
    });
    await advanceTo('2027-01-12T12:00:00Z');
    expect(escalations(caseId)).toHaveLength(2);

    const handle = env.client.workflow.getHandle(familyWorkflowId(caseId));
    if (process.env.UPDATE_REPLAY_HISTORIES === '1')
      writeFileSync(join(REPLAY_DIR, 'family-reassessment-escalated.json'), historyToJSON(await handle.fetchHistory()));
    await handle.terminate('test done');
  });

  it('given a goal of the family plan, when its date passes without a result, then it escalates at its owner; a goal with a result does not', async () => {
    const caseId = 'case-goals';
    await advanceTo('2027-02-01T09:00:00+01:00'); // Monday
    openCase(caseId, await now());
    seed(caseId, 'PartyInvolved', { organisation: AMS, reason: 'other', involvedBy: KEN, involvedAt: await now() });
    const goal = async (goalId: string, owner: string) =>
      record(caseId, {
        type: 'SetPlanGoal',
        actor: actor(GEM),
        now: await now(),
        caseId,
        goalId,
        code: 'school-attendance',
        targetDate: '2027-02-05',
        owner,
      });
    await goal('goal-late', AMS);
    await goal('goal-met', GEM);
    await advanceTo('2027-02-04T12:00:00Z');
    await record(caseId, {
      type: 'RecordGoalResult',
      actor: actor(GEM),
      now: await now(),
      caseId,
      goalId: 'goal-met',
      result: 'achieved',
    });
    await advanceTo('2027-02-05T22:59:00Z');
    expect(escalations(caseId)).toEqual([]);
    // The end of Friday 5 February in Amsterdam.
    await advanceTo('2027-02-05T23:01:00Z');
    expect(escalations(caseId).map((e) => [e.reason, e.subjectId, e.level, e.recipients[0]!.organisation])).toEqual([
      ['goal-overdue', 'goal-late', 1, AMS],
    ]);
    // The result is refused for another party; recorded by the owner, the escalation stops.
    await expect(
      record(caseId, {
        type: 'RecordGoalResult',
        actor: actor(KEN),
        now: await now(),
        caseId,
        goalId: 'goal-late',
        result: 'not-achieved',
      }),
    ).rejects.toBeInstanceOf(CommandRefused);
    await record(caseId, {
      type: 'RecordGoalResult',
      actor: actor(AMS),
      now: await now(),
      caseId,
      goalId: 'goal-late',
      result: 'not-achieved',
    });
    await advanceTo('2027-02-15T12:00:00Z');
    expect(escalations(caseId)).toHaveLength(1);
    const handle = env.client.workflow.getHandle(familyWorkflowId(caseId));
    if (process.env.UPDATE_REPLAY_HISTORIES === '1')
      writeFileSync(join(REPLAY_DIR, 'family-goal-overdue.json'), historyToJSON(await handle.fetchHistory()));
    await handle.terminate('test done');
  });
});
