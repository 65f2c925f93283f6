import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { HandoverActivities, NewEvent } from '@warm-handover/contracts';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ensureTemporalTestServer } from '@warm-handover/infra';
import { bundlerOptions, workflowsPath } from '@warm-handover/workflows/bundle';

/** Temporal's time-skipping test server: timers of days complete in milliseconds. */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH ?? (await ensureTemporalTestServer());
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test file (webpack takes a few seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, ...bundlerOptions, logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/**
 * The recordEvents activity with the event store's contract, in memory: idempotent on event
 * ids, the expected version checked. Workflow tests read what was recorded from `streams`.
 */
export function inMemoryRecorder(): {
  streams: Map<string, NewEvent[]>;
  recordEvents: HandoverActivities['recordEvents'];
} {
  const streams = new Map<string, NewEvent[]>();
  const recordEvents: HandoverActivities['recordEvents'] = ({ streamId, expectedVersion, events }) => {
    const stream = streams.get(streamId) ?? [];
    if (events.every((e) => stream.some((s) => s.eventId === e.eventId))) return Promise.resolve(stream.length);
    if (stream.length !== expectedVersion)
      throw new Error(`conflict on ${streamId}: ${stream.length} ≠ ${expectedVersion}`);
    stream.push(...events);
    streams.set(streamId, stream);
    return Promise.resolve(stream.length);
  };
  return { streams, recordEvents };
}
