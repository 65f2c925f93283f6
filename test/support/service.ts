import { type AppProcess, freePort, startApp, waitForHttp } from '@warm-handover/infra';
import { createTestDatabase, requireEnv, type TestDatabase } from './database';

export interface RunningService {
  readonly baseUrl: string;
  readonly db: TestDatabase;
  readonly api: AppProcess;
  readonly worker: AppProcess;
  /** Only when asked for (`{ notifier: true }`). */
  readonly notifier: AppProcess | undefined;
  readonly logs: string[];
  stop(): Promise<void>;
}

/**
 * The built api and worker (and, if asked for, the notifier) as processes, on a fresh database
 * and their own task queues, against the Temporal server and Kafka that `npm test` started.
 * Resolves once the API answers /health, the worker polls and the notifier runs.
 */
export async function startService(
  env: NodeJS.ProcessEnv = {},
  { notifier: withNotifier = false }: { readonly notifier?: boolean } = {},
): Promise<RunningService> {
  const db = await createTestDatabase('wh_e2e');
  // A test that must know the address first (a sign-in callback registered at a provider) passes PORT.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const logs: string[] = [];
  const full = {
    ...process.env,
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    TEMPORAL_TASK_QUEUE: `e2e-${port}`,
    NOTIFIER_TASK_QUEUE: `e2e-notices-${port}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    LOG_LEVEL: 'info',
    // The tests' webhook receivers listen on this machine: allowed explicitly, as an operator would.
    WEBHOOK_ALLOWED_HOSTS: process.env.WEBHOOK_ALLOWED_HOSTS ?? '127.0.0.1,localhost',
    ...env,
  };
  const worker = startApp('worker', full, (line) => logs.push(`[worker] ${line}`));
  const notifier = withNotifier ? startApp('notifier', full, (line) => logs.push(`[notifier] ${line}`)) : undefined;
  const api = startApp('api', full, (line) => logs.push(`[api] ${line}`));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all([api.stop(), worker.stop(), notifier?.stop()]);
    await db.drop();
  };
  try {
    await waitForHttp(`${baseUrl}/health`, 90_000, api);
    // The worker is ready once it polls; bundling the workflow code takes a few seconds.
    const deadline = Date.now() + 90_000;
    const ready = (tag: string, line: string) => logs.some((l) => l.startsWith(tag) && l.includes(line));
    while (!ready('[worker]', 'Temporal worker polling') || (notifier && !ready('[notifier]', 'notifier running'))) {
      if (Date.now() > deadline || worker.child.exitCode !== null || (notifier && notifier.child.exitCode !== null))
        throw new Error(`worker or notifier not ready:\n${logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, db, api, worker, notifier, logs, stop };
}
