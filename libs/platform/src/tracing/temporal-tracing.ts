import type { ClientInterceptors } from '@temporalio/client';
import type * as TemporalOtel from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import { activeTracing } from './tracing';

/**
 * The Temporal SDK's OpenTelemetry interceptors, when tracing is on: a start, signal or update
 * carries the caller's span in its Temporal headers, so the workflow, the activities it
 * schedules and what they record join the caller's trace. Off, nothing is added.
 */
export function temporalClientInterceptors(): ClientInterceptors | undefined {
  if (!activeTracing()) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const otel = require('@temporalio/interceptors-opentelemetry') as typeof TemporalOtel;
  return { workflow: [new otel.OpenTelemetryWorkflowClientInterceptor()] };
}

/** The SDK's workflow interceptors, as a module the workflow bundle includes (replayed in test/replay). */
export const WORKFLOW_TRACING_MODULE = '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';

/**
 * What a worker adds to trace its workflows and activities: the workflow interceptors as a module
 * of the workflow bundle (they run inside the sandbox; the workflow code itself imports nothing of
 * OpenTelemetry and stays deterministic), the activity interceptors, and the sink through which
 * the sandbox hands its finished spans to this process's exporting pipeline (not during replay).
 */
export function temporalWorkerTracing(): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const tracing = activeTracing();
  if (!tracing) return {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const otel = require('@temporalio/interceptors-opentelemetry') as typeof TemporalOtel;
  return {
    interceptors: {
      workflowModules: [require.resolve(WORKFLOW_TRACING_MODULE)],
      activity: [
        (ctx) => ({
          inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: otel.makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
