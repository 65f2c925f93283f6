import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SmtpCapture, startSmtpCapture } from '@warm-handover/infra';
import { ApiClient } from '../support/api-client';
import { requireEnv } from '../support/database';
import { has, parsePrometheusText, type Sample, sumOf } from '../support/prometheus';
import { startService, type RunningService } from '../support/service';

/**
 * What operators watch, through the running apps: each app's liveness and readiness, and its
 * Prometheus /metrics, scraped and parsed, moving as a handover is requested, escalates and its
 * notices go out.
 */
describe('operations endpoints and metrics (e2e)', () => {
  let dir: string;
  let smtp: SmtpCapture;
  let service: RunningService;
  let api: ApiClient;
  let token: string;
  const ops: Record<'worker' | 'notifier', string> = { worker: '', notifier: '' };

  beforeAll(async () => {
    token = requireEnv('OPERATOR_TOKEN');
    dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'operations-e2e-'));
    smtp = await startSmtpCapture(join(dir, 'mail'));
    service = await startService(
      { DEMO_MODE: 'true', SMTP_URL: smtp.url, NOTICE_RETRY_INITIAL_SECONDS: '1', NOTICE_RETRY_MAX_SECONDS: '2' },
      { notifier: true },
    );
    api = new ApiClient(service.baseUrl);
    // WORKER_OPS_PORT and NOTIFIER_OPS_PORT are unset: each app took a free port and logged it.
    for (const app of ['worker', 'notifier'] as const) {
      const line = service.logs.find((l) => l.startsWith(`[${app}]`) && l.includes('operations endpoints listening'));
      const port = /"port":(\d+)/.exec(line ?? '')?.[1];
      if (!port) throw new Error(`the ${app} logged no operations port:\n${service.logs.join('\n')}`);
      ops[app] = `http://127.0.0.1:${port}`;
    }
  });
  afterAll(async () => {
    await service?.stop();
    await smtp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the assertions until they hold, or fails with their last failure after `timeoutMs`. */
  const retried = async (assertions: () => Promise<void>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await assertions();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  const scrape = async (base: string): Promise<Sample[]> => {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return parsePrometheusText(await res.text());
  };

  it('given the worker and the notifier, when their liveness and readiness are asked, then they answer as the api does: details and metrics only for operators', async () => {
    for (const base of [ops.worker, ops.notifier]) {
      const live = await fetch(`${base}/health/live`);
      expect({ base, status: live.status, body: await live.json() }).toEqual({
        base,
        status: 200,
        body: { status: 'ok' },
      });
      const ready = await fetch(`${base}/health`);
      expect({ base, status: ready.status, body: await ready.json() }).toEqual({
        base,
        status: 200,
        body: { status: 'ok' },
      });
      const details = await fetch(`${base}/health`, { headers: { 'x-operator-token': token } });
      const body = (await details.json()) as { status: string; details: Record<string, { status: string }> };
      expect(body.status).toBe('ok');
      expect(body.details.database?.status).toBe('up');
      expect(body.details.temporal).toEqual({ status: 'up', worker: 'RUNNING' });
      // Without the token /metrics is not there, on the ops port as on the api's.
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(404);
    }
    expect((await fetch(`${service.baseUrl}/metrics`)).status).toBe(404);
    // The worker also tells whether it holds the outbox relay (the only worker here does).
    const worker = (await (await fetch(`${ops.worker}/health`, { headers: { 'x-operator-token': token } })).json()) as {
      details: { relay?: { holder: boolean } };
    };
    expect(worker.details.relay?.holder).toBe(true);
  });

  it('given a handover that escalates and notifies, when each app is scraped before and after, then the named metrics exist and move', async () => {
    const route = { method: 'POST', route: '/handovers', status: '201' };
    const [apiBefore, workerBefore, notifierBefore] = await Promise.all([
      scrape(service.baseUrl),
      scrape(ops.worker),
      scrape(ops.notifier),
    ]);

    const res = await api.requestHandover({ receipt: 'PT2S', start: 'PT1H', escalationInterval: 'PT1H' });
    expect(res.status).toBe(201);
    const handoverId = (res.body as { handoverId: string }).handoverId;

    // The api: its latency histogram counted the request, under its route pattern.
    const apiAfter = await scrape(service.baseUrl);
    expect(sumOf(apiAfter, 'http_request_duration_seconds_count', route)).toBe(
      sumOf(apiBefore, 'http_request_duration_seconds_count', route) + 1,
    );
    expect(apiAfter.some((s) => s.labels.route?.includes(handoverId))).toBe(false);
    expect(has(apiAfter, 'nodejs_eventloop_lag_seconds')).toBe(true);

    // The worker: the handover is overdue at level 1 once its receipt deadline passed, the relay
    // has caught up, and the Temporal SDK counted the workflow tasks it polled and the local
    // activities it ran.
    await retried(async () => {
      const after = await scrape(ops.worker);
      expect(sumOf(after, 'warm_handover_overdue_steps', { kind: 'handover', level: '1' })).toBeGreaterThan(
        sumOf(workerBefore, 'warm_handover_overdue_steps', { kind: 'handover', level: '1' }),
      );
      expect(sumOf(after, 'warm_handover_relay_lag_events')).toBe(0);
    }, 60_000);
    const workerAfter = await scrape(ops.worker);
    expect(sumOf(workerAfter, 'warm_handover_relay_holder')).toBe(1);
    expect(has(workerAfter, 'warm_handover_relay_lag_seconds')).toBe(true);
    // The handover's append and calendar run as local activities (inside its workflow tasks).
    for (const name of [
      'temporal_workflow_task_queue_poll_succeed_total',
      'temporal_local_activity_execution_latency_count',
    ])
      expect({ name, moved: sumOf(workerAfter, name) > sumOf(workerBefore, name) }).toEqual({ name, moved: true });
    expect(has(workerAfter, 'temporal_num_pollers')).toBe(true);

    // The notifier: the escalation's notices were delivered by mail, and none is pending now.
    await retried(async () => {
      const after = await scrape(ops.notifier);
      const delivered = { channel: 'email', outcome: 'delivered' };
      // The request told the receiver's intake, the escalation both team leads: three mails.
      expect(sumOf(after, 'warm_handover_notice_deliveries_total', delivered)).toBeGreaterThanOrEqual(
        sumOf(notifierBefore, 'warm_handover_notice_deliveries_total', delivered) + 3,
      );
      expect(sumOf(after, 'warm_handover_notices', { state: 'pending' })).toBe(0);
    }, 60_000);
    const notifierAfter = await scrape(ops.notifier);
    for (const state of ['pending', 'failed', 'undeliverable_at_top'])
      expect({
        state,
        present: notifierAfter.some((s) => s.name === 'warm_handover_notices' && s.labels.state === state),
      }).toEqual({
        state,
        present: true,
      });
    expect(sumOf(notifierAfter, 'temporal_workflow_task_queue_poll_succeed_total')).toBeGreaterThan(
      sumOf(notifierBefore, 'temporal_workflow_task_queue_poll_succeed_total'),
    );
  });
});
