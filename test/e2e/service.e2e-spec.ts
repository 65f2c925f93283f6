import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type AppProcess, ROOT } from '@warm-handover/infra';
import { startService, type RunningService } from '../support/service';

/**
 * The built apps as processes, the way `npm start` and a deployment run them, on real
 * PostgreSQL, Temporal and Kafka.
 */
describe('the running service (api + worker)', () => {
  let service: RunningService;
  let api: AppProcess;
  let worker: AppProcess;
  let base: string;
  let logs: string[];

  beforeAll(async () => {
    service = await startService();
    ({ api, worker, logs, baseUrl: base } = service);
  });

  afterAll(() => service?.stop());

  it('given every dependency is up, when /health is asked, then database, Temporal, Kafka and the outbox report up', async () => {
    const res = await fetch(`${base}/health`, { headers: { 'x-operator-token': process.env.OPERATOR_TOKEN ?? '' } });
    const body = (await res.json()) as { status: string; details: Record<string, { status: string }> };
    expect(res.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).sort()).toEqual(['database', 'kafka', 'outbox', 'temporal']);
    for (const check of Object.values(body.details)) expect(check.status).toBe('up');
  });

  it('given the api, when /docs and its JSON are fetched, then the OpenAPI description lists /health', async () => {
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    const spec = (await (await fetch(`${base}/docs/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/health');
  });

  it('given an unknown path or a malformed body, when requested, then the answer is RFC 9457 problem details', async () => {
    const missing = await fetch(`${base}/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ status: 404, title: 'Not found', instance: '/no-such-thing' });

    const malformed = await fetch(`${base}/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"not json',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/not valid JSON/) });
  });

  it('given a body over the limit, when posted, then the answer is 413 problem details', async () => {
    const res = await fetch(`${base}/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(300_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413, title: 'Request body too large' });
  });

  it('given the apps log as JSON, when they ran, then every line is structured and the worker reports polling', () => {
    const json = logs.filter((l) => /^\[(api|worker)\] \{/.test(l));
    expect(json.length).toBeGreaterThan(0);
    expect(logs.some((l) => l.includes('Temporal worker polling'))).toBe(true);
    expect(logs.some((l) => l.includes('outbox relay started'))).toBe(true);
  });

  it('given running apps, when they receive SIGTERM, then both shut down gracefully with exit code 0', async () => {
    await Promise.all([api.stop(), worker.stop()]);
    expect(api.child.exitCode).toBe(0);
    expect(worker.child.exitCode).toBe(0);
  });
});

describe('config validation at boot', () => {
  it('given bad settings, when the api starts, then it exits 78 and names every bad value and what to do', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'apps', 'api', 'dist', 'main.js')], {
      env: { ...process.env, DATABASE_URL: 'mysql://nope', PORT: '99999', KAFKA_BROKERS: 'no-port' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('Invalid configuration, the app did not start');
    expect(result.stderr).toMatch(
      /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL \(got "mysql:\/\/nope"\)/,
    );
    expect(result.stderr).toMatch(/PORT must be from 1 to 65535 \(got "99999"\)/);
    expect(result.stderr).toMatch(/KAFKA_BROKERS must be a comma-separated list of host:port/);
  });
});
