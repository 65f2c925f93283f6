import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Resource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { WORKFLOW_TRACING_MODULE } from '../../libs/platform/src/tracing/temporal-tracing';
import { bundlerOptions, workflowsPath } from '@warm-handover/workflows/bundle';

/**
 * Tracing switched on for workflows already running: the recorded histories (made without it)
 * replayed on a bundle with the Temporal SDK's OpenTelemetry workflow interceptors, as a worker
 * with OTEL_EXPORTER_OTLP_ENDPOINT set builds it. The interceptors add no commands, so turning
 * tracing on (or off) never breaks a running handover, notice or negotiation.
 */
describe('replay of recorded workflow histories with tracing on', () => {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.json'));
  const spans = new InMemorySpanExporter();
  let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
  const tracedBundle = () =>
    (bundle ??= bundleWorkflowCode({
      workflowsPath,
      ...bundlerOptions,
      workflowInterceptorModules: [require.resolve(WORKFLOW_TRACING_MODULE)],
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: (m) => console.error(m),
      },
    }));

  it("given the traced bundle, when read, then it holds the SDK's workflow interceptors beside the workflows", async () => {
    const { code } = await tracedBundle();
    expect(code).toContain('OpenTelemetryInboundInterceptor');
    expect(code).toContain('handoverWorkflow');
  });

  it.each(files)(
    'given the recorded history %s, when replayed with the tracing interceptors, then it is deterministic',
    async (file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(join(__dirname, file), 'utf8')));
      await expect(
        Worker.runReplayHistory(
          {
            workflowBundle: await tracedBundle(),
            sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(spans), new Resource({})) },
          },
          history,
        ),
      ).resolves.toBeUndefined();
      // A replay exports nothing: the spans went out when the workflow first ran.
      expect(spans.getFinishedSpans()).toEqual([]);
    },
  );
});
