import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '../../apps/api/src/auth/tokens';
import { DEV_JWT_SECRET } from '../../libs/platform/src/config';
import { type AppProcess, freePort, startApp, waitForPort } from '@warm-handover/infra';
import { cpuProfileEnv, summarizeCpuProfile } from './cpu-profile';
import { onCleanup } from './infra';
import { phase } from './report';

export interface RunningApps {
  readonly baseUrl: string;
  /** Warnings and errors the apps logged (pino level ≥ 40), and unexpected exits, for the report. */
  readonly problems: string[];
  /** How often an app exited unexpectedly and was started again. */
  restarts(): number;
  stop(): Promise<void>;
}

export interface AppsOptions {
  readonly databaseUrl: string;
  readonly temporalAddress?: string;
  readonly kafkaBrokers?: string;
  readonly apps: readonly ('api' | 'worker')[];
  /** Where each app's full log goes (`<name>.log`), for a post-mortem: the benchmark's infra dir. */
  readonly logDir: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Worker processes side by side on the one task queue (1 by default). */
  readonly workers?: number;
}

/**
 * The built api and/or worker as processes, as `npm start` runs them, against the benchmark's own
 * infrastructure. Resolves once the API listens and the worker polls. Logs stay at `info` (what
 * production runs with; BENCH_LOG_LEVEL overrides) and are read here: warnings and errors are
 * kept for the report, every line in `<logDir>/<name>.log`. An app that exits before stop() is
 * reported at once and started again, as `restart: unless-stopped` in docker/compose.yml does.
 * BENCH_CPU_PROF=1 profiles them.
 */
export async function startApps(benchmark: string, options: AppsOptions): Promise<RunningApps> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: options.databaseUrl,
    // The API connects lazily; a benchmark without Temporal never reaches this address.
    TEMPORAL_ADDRESS: options.temporalAddress ?? '127.0.0.1:1',
    TEMPORAL_TASK_QUEUE: `bench-${port}`,
    KAFKA_BROKERS: options.kafkaBrokers ?? '',
    PORT: String(port),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...options.env,
  };
  const problems: string[] = [];
  const recent: string[] = [];
  let workersPolling = 0;
  const workers = options.workers ?? 1;
  let stopping = false;
  let restarts = 0;
  type Instance = 'api' | 'worker' | `worker-${number}`;
  const instances: Instance[] = options.apps.flatMap((name): Instance[] =>
    name === 'worker'
      ? Array.from({ length: workers }, (_, i): Instance => (i === 0 ? 'worker' : `worker-${i + 1}`))
      : [name],
  );
  const logs = new Map(instances.map((name) => [name, createWriteStream(join(options.logDir, `${name}.log`))]));
  const onLine = (name: Instance) => (line: string) => {
    logs.get(name)?.write(`${line}\n`);
    recent.push(`[${name}] ${line}`);
    if (recent.length > 200) recent.shift();
    if (line.includes('Temporal worker polling')) workersPolling += 1;
    const level = /"level":(\d+)/.exec(line)?.[1];
    if ((level && Number(level) >= 40) || (!line.startsWith('{') && /error|warn/i.test(line)))
      problems.push(`[${name}] ${line.slice(0, 600)}`);
  };
  const profiles = new Map(instances.map((name) => [name, cpuProfileEnv(name)]));
  const running = new Map<Instance, AppProcess>();
  const launch = (name: Instance): AppProcess => {
    const app = startApp(name === 'api' ? 'api' : 'worker', { ...env, ...profiles.get(name)?.env }, onLine(name));
    running.set(name, app);
    app.child.once('exit', (code, signal) => {
      if (stopping) return;
      restarts += 1;
      const message = `the ${name} exited unexpectedly (code ${code}, signal ${signal}; log: ${join(options.logDir, `${name}.log`)}); starting it again`;
      problems.push(`[${name}] ${message}`);
      phase(benchmark, message);
      // A crash loop (a bad setting, say) is not worth more than a few attempts.
      if (restarts <= 10) launch(name);
    });
    return app;
  };
  phase(benchmark, `starting the built ${options.apps.join(' and ')}`);
  for (const name of instances) launch(name);
  const stop = onCleanup(async () => {
    stopping = true;
    phase(benchmark, `stopping the ${options.apps.join(' and ')}`);
    await Promise.all([...running.values()].map((app) => app.stop()));
    for (const log of logs.values()) log.end();
    for (const [name, profile] of profiles)
      if (profile) phase(benchmark, `CPU profile of the ${name}: ${summarizeCpuProfile(profile.file)}`);
  });
  try {
    const deadline = Date.now() + 120_000;
    const api = running.get('api');
    if (api) await waitForPort('127.0.0.1', port, 120_000, 'the API', () => api.child.exitCode === null);
    // The worker is ready once it polls; bundling the workflow code takes a few seconds.
    while (running.has('worker') && workersPolling < workers) {
      if (restarts > 0 || Date.now() > deadline) throw new Error('the worker did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; last log lines:\n${recent.slice(-40).join('\n')}`);
  }
  return { baseUrl: `http://127.0.0.1:${port}`, problems, restarts: () => restarts, stop };
}

/** Says which warnings and errors the apps logged, if any. */
export function reportProblems(benchmark: string, apps: RunningApps): void {
  if (apps.problems.length === 0) return;
  phase(
    benchmark,
    `service: the apps logged ${apps.problems.length} warnings/errors: ${describeProblems(apps.problems)}`,
  );
}

/** The distinct warnings and errors the apps logged (by message), with how often, for the report. */
function describeProblems(problems: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const line of problems) {
    const message = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line;
    const key = `${line.slice(0, line.indexOf(']') + 1)} ${message.slice(0, 160)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([message, n]) => `${n}× ${message}`).join('; ');
}

/** Organisations of the benchmark handovers (seeded in the directory). */
export const SENDER = 'vt-kennemerland';
/**
 * The receiver: a local youth team, which receives most Veilig Thuis handovers. BENCH_RECEIVER
 * picks another, e.g. vt-amsterdam-amstelland: a handover between two Veilig Thuis regions also
 * makes the handover workflow open the case's lead negotiation (a second workflow) after answering.
 */
export const RECEIVER = process.env.BENCH_RECEIVER ?? 'lokaal-team-haarlemmermeer';

/** A bearer token for a professional of `organisation`, signed with the development secret. */
export function tokenFor(organisation: string, role = 'professional'): Promise<string> {
  return signToken({ subject: `bench:${organisation}`, organisation, role }, DEV_JWT_SECRET, 6 * 3600);
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The Idempotency-Key a POST was sent with. */
  readonly idempotencyKey?: string;
}

/** One JSON call to the API; POSTs carry a fresh Idempotency-Key, as a careful client sends. */
let retried503 = 0;

/** How many commands were answered 503 and sent again with the same Idempotency-Key, so far. */
export function commandsRetriedAfter503(): number {
  return retried503;
}

/**
 * One API call. A command answered 503 (the workflow service took it too slowly) is sent again
 * with the same Idempotency-Key, as a client should, until BENCH_HTTP_TIMEOUT_S has passed: it
 * takes effect once either way.
 */
export async function callApi(
  baseUrl: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<HttpAnswer> {
  const idempotencyKey = body !== undefined ? randomUUID() : undefined;
  const timeoutMs = Number(process.env.BENCH_HTTP_TIMEOUT_S ?? 120) * 1000;
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetchOrExplain(method, path, timeoutMs, `${baseUrl}${path}`, {
      method,
      // A command that hangs is a finding, not something to wait five minutes (undici's default) for.
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        authorization: `Bearer ${token}`,
        ...(idempotencyKey ? { 'content-type': 'application/json', 'idempotency-key': idempotencyKey } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status === 503 && idempotencyKey && Date.now() < giveUpAt) {
      retried503 += 1;
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text for the error message */
    }
    return { status: res.status, body: parsed, ...(idempotencyKey ? { idempotencyKey } : {}) };
  }
}

/** Throws with the API's answer unless the status is the expected one. */
export function expectStatus(answer: HttpAnswer, expected: number, what: string): void {
  if (answer.status !== expected)
    throw new Error(
      `${what}: expected ${expected}, got ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
    );
}

async function fetchOrExplain(
  method: string,
  path: string,
  timeoutMs: number,
  url: string,
  init: RequestInit,
): Promise<Response> {
  const started = Date.now();
  try {
    return await fetch(url, init);
  } catch (error) {
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : String(error);
    throw new Error(`${method} ${path}: ${why} (after ${Date.now() - started} ms)`, { cause: error });
  }
}
