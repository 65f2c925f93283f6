import { randomUUID } from 'node:crypto';
import { RECEIVER, SENDER, type ApiAnswer, type ApiClient } from '../support/api-client';
import { withClient } from '../support/database';
import { startDrillInfra, waitUntil, type DrilledService, type DrillInfra } from '../support/drill-infra';

/** /health shows its details to operators only (OPERATOR_TOKEN, set by npm test). */
const OPERATOR = { 'x-operator-token': process.env.OPERATOR_TOKEN ?? '' };

/**
 * Fault drill: PostgreSQL goes down under the running service and comes back on the same port
 * and data. While it is down the API answers at once with 503 problem details that say to
 * retry, and changes nothing; once it is back, the service recovers by itself.
 */
describe('fault drill: PostgreSQL down and back', () => {
  let infra: DrillInfra;
  let service: DrilledService;
  let api: ApiClient;

  beforeAll(async () => {
    infra = await startDrillInfra('postgres-down', { kafka: true });
    service = await infra.startService();
    api = service.api;
  });
  afterAll(() => infra?.stop());

  const eventCount = () =>
    withClient(infra.postgres.url, async (c) => Number((await c.query('SELECT count(*) AS n FROM events')).rows[0].n));

  function expectUnavailable(answer: ApiAnswer, what: string): void {
    expect({ what, status: answer.status, type: answer.contentType }).toEqual({
      what,
      status: 503,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(answer.body).toMatchObject({ status: 503, detail: expect.stringMatching(/retry/i) });
  }

  it('given a running service, when PostgreSQL stops, then requests fail fast with 503 problem details, change nothing, and after the restart the service recovers by itself', async () => {
    const before = await api.requestHandover({ receipt: 'PT5M', start: 'PT10M', escalationInterval: 'PT5M' });
    expect(before.status).toBe(201);
    const { handoverId, caseId } = before.body as { handoverId: string; caseId: string };
    const listedBefore = (await api.get(SENDER, '/handovers')).body as unknown[];
    const eventsBefore = await eventCount();

    await infra.postgres.stop();

    // Every answer must come back: a refused connection fails at once, and the pool gives up
    // connecting after 5 s (connectionTimeoutMillis); a client that waits 15 s sees a hang.
    const timeoutMs = 15_000;
    const receiptKey = randomUUID();
    const whileDown = {
      'POST /handovers': await api.send({
        method: 'POST',
        path: '/handovers',
        as: SENDER,
        json: { childIds: ['child-while-down'], toOrg: RECEIVER, reason: 'family-moved' },
        timeoutMs,
      }),
      'GET /handovers/{id}': await api.get(SENDER, `/handovers/${handoverId}`, timeoutMs),
      'GET /handovers': await api.get(SENDER, '/handovers', timeoutMs),
      'POST /handovers/{id}/receipt': await api.send({
        method: 'POST',
        path: `/handovers/${handoverId}/receipt`,
        as: RECEIVER,
        json: {},
        idempotencyKey: receiptKey,
        timeoutMs,
      }),
      'GET /cases/{id}/timeline': await api.get(SENDER, `/cases/${caseId}/timeline`, timeoutMs),
    };
    for (const [what, answer] of Object.entries(whileDown)) expectUnavailable(answer, what);
    const health = await api.send({ path: '/health', headers: OPERATOR, timeoutMs });
    expect(health.status).toBe(503);
    expect(health.contentType).toMatch(/^application\/problem\+json/);
    expect(health.body.details.database).toMatchObject({ status: 'down' });
    // The API itself is up: what needs no database still works.
    expect((await api.get(SENDER, '/organisations', timeoutMs)).status).toBe(200);

    await infra.postgres.start();

    const recovered = await waitUntil(
      'GET /health answers 200 again',
      async () => {
        const res = await api.send({ path: '/health', headers: OPERATOR, timeoutMs: 10_000 });
        return res.status === 200 && res;
      },
      { timeoutMs: 90_000, intervalMs: 500, logs: infra.logs },
    );
    expect(recovered.body.details).toMatchObject({ database: { status: 'up' }, temporal: { status: 'up' } });

    // Nothing the failed requests asked for happened.
    expect(await eventCount()).toBe(eventsBefore);
    expect(((await api.get(SENDER, '/handovers')).body as unknown[]).length).toBe(listedBefore.length);
    expect((await api.get(SENDER, `/handovers/${handoverId}`)).body).toMatchObject({ status: 'requested' });

    // A 503 is not a final answer for its Idempotency-Key: the retry the detail asks for runs.
    const retried = await api.post(RECEIVER, `/handovers/${handoverId}/receipt`, {}, receiptKey);
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toMatchObject({ status: 'received' });

    // A new handover goes all the way.
    const created = await api.requestHandover({ receipt: 'PT5M', start: 'PT10M', escalationInterval: 'PT5M' });
    expect(created.status).toBe(201);
    const id = (created.body as { handoverId: string }).handoverId;
    expect((await api.post(RECEIVER, `/handovers/${id}/receipt`, {})).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect((await api.post(RECEIVER, `/handovers/${id}/acceptance`, { plannedStartDate: today })).status).toBe(200);
    const started = await api.post(RECEIVER, `/handovers/${id}/start-confirmation`, {});
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'started', responsibleOrg: RECEIVER });

    // The relay resumed too: everything recorded reaches Kafka.
    await waitUntil(
      'the outbox relay publishes everything recorded after the outage',
      async () => {
        const res = await api.send({ path: '/health', headers: OPERATOR, timeoutMs: 10_000 });
        return res.status === 200 && res.body.details.outbox.waiting === 0;
      },
      { timeoutMs: 60_000, intervalMs: 500, logs: infra.logs },
    );
    expect(service.worker.child.exitCode).toBeNull();
    expect(service.apiProcess.child.exitCode).toBeNull();
  });
});
