import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { meldingWorkflowId, receiveMeldingUpdate } from '@warm-handover/contracts';
import { findOrganisation, safetyAssessmentDueAt } from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { loadConfig } from '@warm-handover/platform';
import { meldingWorkflow } from '@warm-handover/workflows';
import { createTestDatabase, requireEnv, type TestDatabase } from '../../../test/support/database';
import { meta } from '../../../test/support/handover-fixtures';
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

  it('given the worker app is running, when a report (melding) is received through its workflow, then the worker runs the workflow, its calendar activity and the append', async () => {
    const client = new Client({ connection });
    const meldingId = randomUUID();
    // A Friday: the statutory term counts five working days over the weekend.
    const receivedAt = '2026-11-27T09:00:00.000Z';
    const handle = await client.workflow.start(meldingWorkflow, {
      taskQueue,
      workflowId: meldingWorkflowId(meldingId),
      workflowExecutionTimeout: '1 minute',
    });
    const view = await handle.executeUpdate(receiveMeldingUpdate, {
      args: [
        {
          meta: meta('vt-kennemerland'),
          receive: {
            meldingId,
            caseId: randomUUID(),
            reporterKind: 'professional',
            receivedAt,
            ladder: findOrganisation('vt-kennemerland')!.ladder,
          },
        },
      ],
    });

    expect(view.assessment.dueAt).toBe(safetyAssessmentDueAt(receivedAt));
    expect(Date.parse(view.assessment.dueAt) - Date.parse(receivedAt)).toBeGreaterThanOrEqual(7 * 24 * 3600_000);
    const stored = await app.get(EventStore, { strict: false }).readStream(`melding-${meldingId}`);
    expect(stored.map((e) => e.type)).toEqual(['MeldingReceived']);
    await handle.terminate('test done');
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
