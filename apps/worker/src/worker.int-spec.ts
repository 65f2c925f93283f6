import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { workingDayTimerWorkflow } from '@warm-handover/workflows';
import { loadConfig } from '@warm-handover/platform';
import { createTestDatabase, requireEnv, type TestDatabase } from '../../../test/support/database';
import { WorkerModule } from './worker.module';

describe('apps/worker on the real Temporal dev server', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let connection: Connection;
  const taskQueue = `worker-int-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig('worker', {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'warn',
    });
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await app.init();
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  });

  afterAll(async () => {
    await connection?.close();
    await app?.close();
    await db?.drop();
  });

  it('given the worker app is running, when a workflow is started on its task queue, then the worker runs it and its activity', async () => {
    const client = new Client({ connection });
    const result = await client.workflow.execute(workingDayTimerWorkflow, {
      taskQueue,
      workflowId: `worker-int-${randomUUID()}`,
      args: [{ workingDays: 0 }],
      workflowExecutionTimeout: '1 minute',
    });
    // Zero working days: the activity computed a deadline equal to the start, and the timer was skipped.
    expect(result.deadline).toBe(result.startedAt);
    expect(Date.parse(result.firedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
  });

  it('given the worker app, when it is closed, then it stops polling and the connection closes without error', async () => {
    const other = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadConfig('worker', {
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
          TEMPORAL_TASK_QUEUE: `${taskQueue}-close`,
          LOG_LEVEL: 'warn',
        }),
      ),
      { logger: false },
    );
    await other.init();
    await expect(other.close()).resolves.toBeUndefined();
  });
});
