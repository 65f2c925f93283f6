import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  leadCommandUpdate,
  type LeadCommandInput,
  leadViewQuery,
  leadWorkflowId,
  openNegotiationUpdate,
  type OpenNegotiationInput,
} from '@warm-handover/contracts';
import { findOrganisation, type LeadNegotiationEscalated, type LeadNegotiationView } from '@warm-handover/domain';
import { createHandoverActivities } from '../../apps/worker/src/temporal/handover.activities';
import { meta } from '../../test/support/handover-fixtures';
import { createTimeSkippingEnvironment, inMemoryRecorder, workflowBundle } from '../../test/support/temporal';
import { leadNegotiationWorkflow } from './lead-negotiation.workflow';

const REPLAY_DIR = join(__dirname, '..', '..', 'test', 'replay');
const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';

/** The lead negotiation on the time-skipping test server, with an in-memory event recorder. */
describe('leadNegotiationWorkflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const { streams, recordEvents: recorder } = inMemoryRecorder();
  const alignmentChecks: string[] = [];
  const taskQueue = 'lead-test';

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
    const real = createHandoverActivities(undefined as never);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        deadlineAt: real.deadlineAt,
        recordEvents: recorder,
        checkLeadAlignment: ({ caseId }: { caseId: string }) => {
          alignmentChecks.push(caseId);
          return Promise.resolve(false);
        },
      },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function open(overrides: Partial<OpenNegotiationInput> = {}) {
    const caseId = `case-${randomUUID().slice(0, 8)}`;
    const input: OpenNegotiationInput = {
      negotiationId: randomUUID(),
      caseId,
      chain: 'care',
      parties: [KEN, AMS],
      deadlines: { agreement: 2, escalationInterval: 1 },
      ladders: { [KEN]: findOrganisation(KEN)!.ladder, [AMS]: findOrganisation(AMS)!.ladder },
      ...overrides,
    };
    const handle = await env.client.workflow.start(leadNegotiationWorkflow, {
      taskQueue,
      workflowId: leadWorkflowId(caseId, 'care'),
    });
    const view = await handle.executeUpdate(openNegotiationUpdate, { args: [{ meta: meta(KEN), open: input }] });
    return { handle, view, input };
  }
  type Handle = Awaited<ReturnType<typeof open>>['handle'];
  const send = (
    handle: Handle,
    org: string,
    command: LeadCommandInput,
    role = 'professional',
  ): Promise<LeadNegotiationView> =>
    handle.executeUpdate(leadCommandUpdate, { args: [{ meta: meta(org, role), command }] });
  const escalations = (negotiationId: string) =>
    (streams.get(`lead-${negotiationId}`) ?? [])
      .filter((e) => e.type === 'LeadNegotiationEscalated')
      .map((e) => (e as unknown as LeadNegotiationEscalated).data);
  const days = (n: number) => env.sleep(n * 24 * 60 * 60 * 1000);

  it('given silence, when the 2-working-day deadline and then each interval pass, then every party’s ladder is climbed level by level', async () => {
    const { input } = await open();
    await days(1);
    expect(escalations(input.negotiationId)).toEqual([]);
    await days(9);
    const seen = escalations(input.negotiationId);
    expect(seen.slice(0, 3).map((e) => [e.level, e.reason])).toEqual([
      [1, 'silence'],
      [2, 'silence'],
      [3, 'silence'],
    ]);
    expect(seen[0]!.recipients.map((r) => [r.organisation, r.role])).toEqual([
      [KEN, 'team-lead'],
      [AMS, 'team-lead'],
    ]);
  });

  it('given a counter-proposal left unresolved, when the deadline passes, then it escalates as a disagreement', async () => {
    const { handle, input } = await open();
    const first = await send(handle, KEN, {
      type: 'ProposeLead',
      proposalId: 'p1',
      lead: KEN,
      rationale: 'The child lives in Haarlemmermeer.',
    });
    expect(first.currentProposal?.waitingFor).toEqual([AMS]);
    const countered = await send(handle, AMS, {
      type: 'ProposeLead',
      proposalId: 'p2',
      lead: AMS,
      rationale: 'The family moved to Amsterdam.',
    });
    expect(countered.disagreement).toBe(true);
    await days(4);
    expect(escalations(input.negotiationId)[0]).toMatchObject({ level: 1, reason: 'disagreement' });
  });

  it('given escalation that reached the directors, when one party’s director decides and the other party’s director confirms, then the lead is in force with who decided and who confirmed; earlier a decision is refused', async () => {
    const { handle, input } = await open();
    const early = await send(
      handle,
      AMS,
      { type: 'DecideLead', decisionId: randomUUID(), lead: AMS, rationale: 'Now.' },
      'director',
    ).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
    await days(10);
    const decisionId = randomUUID();
    const taken = await send(
      handle,
      AMS,
      { type: 'DecideLead', decisionId, lead: AMS, rationale: 'Amsterdam holds the picture.' },
      'director',
    );
    expect(taken).toMatchObject({
      status: 'open',
      disagreement: true,
      pendingDecision: { decisionId, lead: AMS, decidedBy: { organisation: AMS, role: 'director' }, waitingFor: [KEN] },
    });
    expect(taken.lead).toBeUndefined();
    const confirmed = await send(handle, KEN, { type: 'ConfirmDecision', decisionId }, 'director');
    expect(confirmed).toMatchObject({
      status: 'decided',
      lead: {
        organisation: AMS,
        how: 'decided',
        decidedBy: { organisation: AMS, role: 'director' },
        confirmations: [{ organisation: KEN, role: 'director' }],
        rationale: 'Amsterdam holds the picture.',
      },
    });
    const before = escalations(input.negotiationId).length;
    await days(5);
    expect(escalations(input.negotiationId)).toHaveLength(before);
    expect(
      streams
        .get(`lead-${input.negotiationId}`)!
        .map((e) => e.type)
        .slice(-3),
    ).toEqual(['LeadDecisionTaken', 'LeadDecisionConfirmed', 'LeadDecided']);
    // Guards the patched path (lead-decision-confirmed) in the replay spec.
    // lead-decision-taken-then-confirmed.json was recorded before the append and the calendar became
    // local activities (local-store-and-calendar): it is kept as it is and never re-recorded.
    if (process.env.UPDATE_REPLAY_HISTORIES === '1')
      writeFileSync(
        join(REPLAY_DIR, 'lead-decision-confirmed-with-local-activities.json'),
        historyToJSON(await handle.fetchHistory()),
      );
  });

  it('given one director’s decision at the top, when the other party’s director does not confirm it, then no lead is in force and the directors keep being reminded of a disagreement', async () => {
    const { handle, input } = await open();
    await days(10);
    const levelBefore = escalations(input.negotiationId).at(-1)!;
    expect(levelBefore.level).toBe(3);
    await send(
      handle,
      KEN,
      { type: 'DecideLead', decisionId: randomUUID(), lead: KEN, rationale: 'The child lives here.' },
      'director',
    );
    await days(4);
    const after = escalations(input.negotiationId).filter((e) => e.repeat > levelBefore.repeat);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.every((e) => e.level === 3 && e.reason === 'disagreement')).toBe(true);
    expect(after[0]!.recipients.map((r) => [r.organisation, r.role])).toEqual([
      [KEN, 'director'],
      [AMS, 'director'],
    ]);
    const view = await handle.query(leadViewQuery);
    expect(view).toMatchObject({ status: 'open', pendingDecision: { lead: KEN, waitingFor: [AMS] } });
    expect(view!.lead).toBeUndefined();
  });

  it('given an agreed lead, when re-negotiated and agreed again, then the first lead stays in force meanwhile, escalation restarts, and the alignment is checked after each agreement', async () => {
    const { handle, input } = await open();
    await send(handle, KEN, { type: 'ProposeLead', proposalId: 'p1', lead: KEN, rationale: 'The child lives here.' });
    const agreed = await send(handle, AMS, { type: 'AcceptProposal', proposalId: 'p1' });
    expect(agreed).toMatchObject({ status: 'agreed', lead: { organisation: KEN, how: 'agreed' } });
    const reopened = await send(handle, AMS, { type: 'Renegotiate', reason: 'The family moved to Amsterdam.' });
    expect(reopened).toMatchObject({ status: 'open', round: 2, lead: { organisation: KEN } });
    // Day by day until the new round's first escalation, whatever weekday the test clock is on
    // (2 working days from a Thursday end exactly where a 4-day sleep would).
    const inRound2 = () => escalations(input.negotiationId).filter((e) => e.round === 2);
    for (let day = 0; day < 7 && inRound2().length === 0; day++) await days(1);
    expect(inRound2()[0]).toMatchObject({ round: 2, level: 1 });
    await send(handle, AMS, {
      type: 'ProposeLead',
      proposalId: 'p3',
      lead: AMS,
      rationale: 'They live in Amsterdam now.',
    });
    const again = await send(handle, KEN, { type: 'AcceptProposal', proposalId: 'p3' });
    expect(again.lead).toMatchObject({ organisation: AMS, round: 2 });
    expect(again.leadHistory.map((l) => l.organisation)).toEqual([KEN, AMS]);
    await env.sleep(1000);
    expect(alignmentChecks.filter((c) => c === input.caseId)).toHaveLength(2);
  });
});
