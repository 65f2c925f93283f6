import { setTimeout as sleep } from 'node:timers/promises';
import { RECEIVER, SENDER } from '../support/api-client';
import { withClient } from '../support/database';
import {
  mapConcurrently,
  postRetryingSameKey,
  startDrillInfra,
  waitUntil,
  type DrilledService,
  type DrillInfra,
} from '../support/drill-infra';

const HANDOVERS = 20;
const NEGOTIATIONS = 10;

interface Row {
  stream_id: string;
  stream_version: number;
  event_type: string;
  event_id: string;
  data: {
    level?: number;
    repeat?: number;
    round?: number;
    dueAt?: string;
    escalatedAt?: string;
    receiptDueAt?: string;
    deadlineAt?: string;
  };
}

/**
 * Fault drill: the worker is SIGKILLed while handovers and lead negotiations escalate, and
 * deadlines (receipt, silence) fall due while no worker runs. Temporal hands the timers and
 * retried activities to the restarted worker; the idempotent recordEvents activity keeps a
 * retried append from recording an escalation twice.
 */
describe('fault drill: worker killed with SIGKILL while handovers and lead negotiations escalate', () => {
  let infra: DrillInfra;
  let service: DrilledService;

  beforeAll(async () => {
    infra = await startDrillInfra('worker-sigkill');
    service = await infra.startService();
  });
  afterAll(() => infra?.stop());

  const eventsOf = (kind: 'handover' | 'lead') =>
    withClient(
      infra.postgres.url,
      async (c) =>
        (
          await c.query<Row>(
            'SELECT stream_id, stream_version, event_type, event_id, data FROM events WHERE stream_id LIKE $1 ORDER BY global_position',
            [`${kind}-%`],
          )
        ).rows,
    );
  const events = () => eventsOf('handover');
  const escalationLevels = (rows: readonly Row[], type = 'HandoverEscalated') => {
    const levels = new Map<string, number>();
    for (const r of rows)
      if (r.event_type === type) levels.set(r.stream_id, Math.max(levels.get(r.stream_id) ?? 0, r.data.level ?? 0));
    return levels;
  };
  const leadEscalationLevels = async () => escalationLevels(await eventsOf('lead'), 'LeadNegotiationEscalated');

  it('given 20 handovers and 10 lead negotiations escalating every few seconds, when the worker is killed and restarted, then every due escalation is recorded once and none is lost', async () => {
    const { api } = service;
    // Created side by side, so the first deadlines fall due while the last are still ahead.
    const [created, negotiations] = await Promise.all([
      mapConcurrently(Array.from({ length: HANDOVERS }), 3, async () => {
        const res = await api.requestHandover({ receipt: 'PT8S', start: 'PT5M', escalationInterval: 'PT4S' });
        expect(res.status).toBe(201);
        return (res.body as { handoverId: string }).handoverId;
      }),
      // Negotiations between the two regions that nobody answers: each escalates for silence.
      // A negotiation needs a case its opener takes part in: the service issues the case's id.
      mapConcurrently(Array.from({ length: NEGOTIATIONS }), 2, async () => {
        const caseId = await api.openCase(SENDER);
        const res = await api.post(SENDER, `/cases/${caseId}/lead-negotiations`, {
          chain: 'care',
          parties: [SENDER, RECEIVER],
          deadlines: { agreement: 'PT8S', escalationInterval: 'PT4S' },
        });
        expect(res.status).toBe(201);
        return (res.body as { negotiationId: string }).negotiationId;
      }),
    ]);
    const streams = new Set(created.map((id) => `handover-${id}`));
    const leadStreams = new Set(negotiations.map((id) => `lead-${id}`));

    await waitUntil('the first escalation is recorded', async () => escalationLevels(await events()).size > 0, {
      timeoutMs: 60_000,
      logs: infra.logs,
    });
    await service.killWorker();
    // The drill means something only if deadlines were still to fall due when the worker died.
    const escalatedBeforeKill = escalationLevels(await events()).size;
    expect(escalatedBeforeKill).toBeLessThan(HANDOVERS);
    expect((await leadEscalationLevels()).size).toBeLessThan(NEGOTIATIONS);

    // Stay down until every receipt and silence deadline has passed, so each falls due without a worker.
    const lastDue = Math.max(
      ...(await events())
        .filter((r) => r.event_type === 'HandoverRequested')
        .map((r) => Date.parse(r.data.receiptDueAt!)),
      ...(await eventsOf('lead'))
        .filter((r) => r.event_type === 'LeadNegotiationOpened' && leadStreams.has(r.stream_id))
        .map((r) => Date.parse(r.data.deadlineAt!)),
    );
    await sleep(Math.max(3_000, lastDue - Date.now() + 1_000));
    await service.startWorker();

    // An activity the killed worker had started is retried only after its start-to-close
    // timeout (1 minute), so this wait allows for that.
    await waitUntil(
      `each of the ${HANDOVERS} handovers escalates to level 2`,
      async () => {
        const levels = escalationLevels(await events());
        return [...streams].every((s) => (levels.get(s) ?? 0) >= 2);
      },
      { timeoutMs: 120_000, intervalMs: 500, logs: infra.logs },
    );
    await waitUntil(
      `each of the ${NEGOTIATIONS} lead negotiations escalates to level 2`,
      async () => {
        const levels = await leadEscalationLevels();
        return [...leadStreams].every((s) => (levels.get(s) ?? 0) >= 2);
      },
      { timeoutMs: 120_000, intervalMs: 500, logs: infra.logs },
    );

    await mapConcurrently(created, 4, async (id) => {
      // After a worker's SIGKILL a command may wait out its timeout (503) while Temporal moves the
      // workflow to the new worker; a client retries it with the same key and gets one answer.
      const res = await postRetryingSameKey(api, SENDER, `/handovers/${id}/withdrawal`, {
        reason: 'Fault drill over.',
      });
      expect({ id, status: res.status, state: res.body?.status }).toEqual({ id, status: 200, state: 'withdrawn' });
    });
    // A lead agreed ends the negotiation's escalation.
    await mapConcurrently(negotiations, 4, async (id) => {
      const proposed = await postRetryingSameKey(api, SENDER, `/lead-negotiations/${id}/proposals`, {
        lead: SENDER,
        rationale: 'Fault drill over.',
      });
      const agreed = await postRetryingSameKey(api, RECEIVER, `/lead-negotiations/${id}/acceptances`, {
        proposalId: proposed.body?.currentProposal?.proposalId,
      });
      expect({ id, status: agreed.status, state: agreed.body?.status }).toEqual({ id, status: 200, state: 'agreed' });
    });
    const leadRows = (await eventsOf('lead')).filter((r) => leadStreams.has(r.stream_id));
    expect(new Set(leadRows.map((r) => r.event_id)).size).toBe(leadRows.length);
    for (const stream of leadStreams) {
      const own = leadRows.filter((r) => r.stream_id === stream);
      expect(own.map((r) => r.stream_version)).toEqual(own.map((_, i) => i + 1));
      expect({ stream, first: own[0]?.event_type, last: own.at(-1)?.event_type }).toEqual({
        stream,
        first: 'LeadNegotiationOpened',
        last: 'LeadAgreed',
      });
      const escalations = own.filter((r) => r.event_type === 'LeadNegotiationEscalated');
      const keys = escalations.map((r) => `R${r.data.round}L${r.data.level}r${r.data.repeat}`);
      // Every LeadNegotiationEscalated once: no duplicate, none skipped (levels 1 and 2, in order).
      expect({ stream, duplicates: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({ stream, duplicates: [] });
      expect({ stream, levels: escalations.slice(0, 2).map((r) => r.data.level) }).toEqual({ stream, levels: [1, 2] });
      for (const e of escalations)
        expect(Date.parse(e.data.escalatedAt!)).toBeGreaterThanOrEqual(Date.parse(e.data.dueAt!));
    }

    const rows = await events();
    expect(new Set(rows.map((r) => r.stream_id))).toEqual(streams);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    for (const stream of streams) {
      const own = rows.filter((r) => r.stream_id === stream);
      const summary = own.map((r) =>
        r.event_type === 'HandoverEscalated' ? `L${r.data.level}r${r.data.repeat}` : r.event_type,
      );
      // Versions without gaps, one request first, one withdrawal last.
      expect(own.map((r) => r.stream_version)).toEqual(own.map((_, i) => i + 1));
      expect({ stream, first: summary[0], last: summary.at(-1) }).toEqual({
        stream,
        first: 'HandoverRequested',
        last: 'HandoverWithdrawn',
      });
      const escalations = own.filter((r) => r.event_type === 'HandoverEscalated');
      const keys = escalations.map((r) => `L${r.data.level}r${r.data.repeat}`);
      // No escalation recorded twice, and none skipped: levels 1 and 2, in order.
      expect({ stream, duplicates: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({ stream, duplicates: [] });
      expect({ stream, levels: keys.slice(0, 2) }).toEqual({ stream, levels: ['L1r0', 'L2r0'] });
      const levels = escalations.map((r) => r.data.level!);
      expect(levels).toEqual([...levels].sort((a, b) => a - b));
      // Never before the deadline, however late the worker came back.
      for (const e of escalations)
        expect(Date.parse(e.data.escalatedAt!)).toBeGreaterThanOrEqual(Date.parse(e.data.dueAt!));
    }
  });
});
