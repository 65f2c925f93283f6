import { freePort } from '../../scripts/infra/process';
import { startApp, waitForHttp, type AppProcess } from '../../scripts/infra/apps';
import { createTestDatabase, requireEnv, type TestDatabase } from './database';

export interface RunningService {
  readonly baseUrl: string;
  readonly db: TestDatabase;
  readonly api: AppProcess;
  readonly worker: AppProcess;
  readonly logs: string[];
  stop(): Promise<void>;
}

/**
 * The built api and worker as processes, on a fresh database and their own task queue, against
 * the Temporal server and Kafka that `npm test` started. Resolves once the API answers /health
 * and the worker polls.
 */
export async function startService(env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
  const db = await createTestDatabase('wh_e2e');
  const port = await freePort();
  const logs: string[] = [];
  const full = {
    ...process.env,
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    TEMPORAL_TASK_QUEUE: `e2e-${port}`,
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...env,
  };
  const worker = startApp('worker', full, (line) => logs.push(`[worker] ${line}`));
  const api = startApp('api', full, (line) => logs.push(`[api] ${line}`));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all([api.stop(), worker.stop()]);
    await db.drop();
  };
  try {
    await waitForHttp(`${baseUrl}/health`, 90_000, api);
    // The worker is ready once it polls; bundling the workflow code takes a few seconds.
    const deadline = Date.now() + 90_000;
    while (!logs.some((l) => l.includes('Temporal worker polling'))) {
      if (Date.now() > deadline || worker.child.exitCode !== null)
        throw new Error(`worker not ready:\n${logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, db, api, worker, logs, stop };
}
