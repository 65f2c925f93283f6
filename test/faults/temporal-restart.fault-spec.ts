import { RECEIVER } from '../support/api-client';
import { withClient } from '../support/database';
import {
  mapConcurrently,
  startDrillInfra,
  waitUntil,
  type DrilledService,
  type DrillInfra,
} from '../support/drill-infra';

const ESCALATING = 5;

/**
 * Fault drill: the Temporal server restarts (same database file) while handovers wait for their
 * receipt deadline. The timers live in Temporal's database, so they fire after the restart, and
 * the api and worker reconnect without being restarted themselves.
 */
describe('fault drill: Temporal server restarted under running handovers', () => {
  let infra: DrillInfra;
  let service: DrilledService;

  beforeAll(async () => {
    infra = await startDrillInfra('temporal-restart');
    service = await infra.startService();
  });
  afterAll(() => infra?.stop());

  const firstEscalations = () =>
    withClient(infra.postgres.url, async (c) => {
      const { rows } = await c.query<{ stream_id: string; escalated_at: string }>(
        `SELECT DISTINCT ON (stream_id) stream_id, data->>'escalatedAt' AS escalated_at
           FROM events WHERE event_type = 'HandoverEscalated' ORDER BY stream_id, stream_version`,
      );
      return new Map(rows.map((r) => [r.stream_id, r.escalated_at]));
    });

  it('given handovers whose receipt falls due after a Temporal restart, when Temporal restarts, then they escalate afterwards and commands work again', async () => {
    const { api } = service;
    const deadlines = { receipt: 'PT10S', start: 'PT5M', escalationInterval: 'PT1M' };
    const ids = await mapConcurrently(Array.from({ length: ESCALATING + 1 }), 3, async () => {
      const res = await api.requestHandover(deadlines);
      expect(res.status).toBe(201);
      return (res.body as { handoverId: string }).handoverId;
    });
    const escalating = ids.slice(0, ESCALATING);
    const acknowledged = ids[ESCALATING]!;

    const restartBegan = new Date();
    await infra.temporal.restart();

    // Right away: the API's client and the worker reconnect by themselves.
    const receipt = await api.post(RECEIVER, `/handovers/${acknowledged}/receipt`, {});
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ status: 'received' });

    // The timers were set before the restart; none may have fired before it, all must after.
    const escalated = await waitUntil(
      `each of the ${ESCALATING} handovers escalates after the restart`,
      async () => {
        const first = await firstEscalations();
        return escalating.every((id) => first.has(`handover-${id}`)) && first;
      },
      { timeoutMs: 90_000, intervalMs: 500, logs: infra.logs },
    );
    for (const id of escalating)
      expect(Date.parse(escalated.get(`handover-${id}`)!)).toBeGreaterThanOrEqual(restartBegan.getTime());

    const afterwards = await api.requestHandover(deadlines);
    expect(afterwards.status).toBe(201);
    const details = await api.get(RECEIVER, `/handovers/${escalating[0]}`);
    expect(details.body).toMatchObject({ status: 'requested', escalation: { level: 1 } });

    expect(service.worker.child.exitCode).toBeNull();
    expect(service.apiProcess.child.exitCode).toBeNull();
  });
});
