import { randomUUID } from 'node:crypto';
import { RECEIVER, SENDER, newChildId } from '../support/api-client';
import { withClient } from '../support/database';
import { startDrillInfra, type DrilledService, type DrillInfra } from '../support/drill-infra';

/** The api's TEMPORAL_COMMAND_TIMEOUT_MS in this drill; the answers must come well within ANSWER_MS. */
const COMMAND_TIMEOUT_MS = 3_000;
const ANSWER_MS = 30_000;

/**
 * Fault drill: no worker polls the task queue (it died, or is being deployed). Temporal itself is
 * up, so a command is accepted by the server and then waits for a worker: the api must not wait
 * with it, but answer 503 in bounded time; and the client's retry with the same Idempotency-Key,
 * once a worker is back, must give the command's one outcome, not run it a second time.
 */
describe('fault drill: no worker takes commands', () => {
  let infra: DrillInfra;
  let service: DrilledService;

  beforeAll(async () => {
    infra = await startDrillInfra('worker-down');
    service = await infra.startService({ TEMPORAL_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) });
  });
  afterAll(() => infra?.stop());

  const eventsOf = (caseId: string) =>
    withClient(
      infra.postgres.url,
      async (c) =>
        (
          await c.query<{ stream_id: string; event_type: string }>(
            "SELECT stream_id, event_type FROM events WHERE metadata->>'caseId' = $1 ORDER BY global_position",
            [caseId],
          )
        ).rows,
    );

  it('given no worker, when a handover is requested or received, then 503 comes in bounded time and a retry with the same key after the worker is back runs each command once', async () => {
    const { api } = service;
    const existing = await api.requestHandover({ receipt: 'PT5M', start: 'PT10M' });
    expect(existing.status).toBe(201);
    const existingId = (existing.body as { handoverId: string }).handoverId;
    await service.killWorker();

    // A new case: the service issues its id from the Idempotency-Key, so the retry finds the same case.
    const request = { childIds: [newChildId()], toOrg: RECEIVER, reason: 'family-moved' };
    const requestKey = randomUUID();
    const receiptKey = randomUUID();
    const post = (as: string, path: string, json: unknown, idempotencyKey: string) =>
      api.send({ method: 'POST', path, as, json, idempotencyKey, timeoutMs: ANSWER_MS });

    const [refusedRequest, refusedReceipt] = await Promise.all([
      post(SENDER, '/handovers', request, requestKey),
      post(RECEIVER, `/handovers/${existingId}/receipt`, {}, receiptKey),
    ]);
    for (const answer of [refusedRequest, refusedReceipt]) {
      expect(answer.status).toBe(503);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.body.detail).toMatch(/not processing commands.*same Idempotency-Key/);
    }

    await service.startWorker();
    // A client retries a 503 with the same key. Right after the restart a workflow that the dead
    // worker had cached waits for Temporal's sticky-queue timeout (5 s) before the new worker gets
    // its task, so a retry within the 3 s command deadline may be answered 503 once more.
    const retry = async (as: string, path: string, json: unknown, idempotencyKey: string) => {
      const until = Date.now() + ANSWER_MS;
      for (;;) {
        const answer = await post(as, path, json, idempotencyKey);
        if (answer.status !== 503 || Date.now() > until) return answer;
      }
    };
    const retriedRequest = await retry(SENDER, '/handovers', request, requestKey);
    expect(retriedRequest.status).toBe(201);
    expect(retriedRequest.body).toMatchObject({ caseId: expect.any(String), status: 'requested' });
    const { caseId } = retriedRequest.body as { caseId: string };
    const retriedReceipt = await retry(RECEIVER, `/handovers/${existingId}/receipt`, {}, receiptKey);
    expect(retriedReceipt.status).toBe(200);
    expect(retriedReceipt.body).toMatchObject({ handoverId: existingId, status: 'received' });

    // The first attempts' updates reached their workflows once the worker came back; the
    // retries found those, so each command left exactly one event.
    const requested = (await eventsOf(caseId)).filter((e) => e.event_type === 'HandoverRequested');
    expect(requested).toEqual([
      { stream_id: `handover-${retriedRequest.body.handoverId}`, event_type: 'HandoverRequested' },
    ]);
    const existingEvents = await eventsOf((existing.body as { caseId: string }).caseId);
    expect(existingEvents.filter((e) => e.stream_id === `handover-${existingId}`).map((e) => e.event_type)).toEqual([
      'HandoverRequested',
      'HandoverReceived',
    ]);
  });
});
