import type { IncomingMessage } from 'node:http';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtlpProto from '@opentelemetry/exporter-trace-otlp-proto';
import type * as Instrumentation from '@opentelemetry/instrumentation';
import type * as InstrumentationHttp from '@opentelemetry/instrumentation-http';
import type * as Resources from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type * as TraceBase from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type * as TraceNode from '@opentelemetry/sdk-trace-node';
import type * as Redaction from './span-redaction';

/** The apps that trace; each is its own OpenTelemetry service, `warm-handover-<app>`. */
export type TracedApp = 'api' | 'worker' | 'notifier';

/** The OTLP protocols this service exports with (the SDK's own default first). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** What the Temporal worker needs to export its workflows' spans through the same pipeline. */
export interface Tracing {
  readonly app: TracedApp;
  /** Redacts and batches every span, workflow spans from the Temporal sink included. */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** Exports what is still buffered. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * Whether tracing is on: an OTLP endpoint is set (the standard `OTEL_EXPORTER_OTLP_ENDPOINT`, or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), and neither `OTEL_SDK_DISABLED=true` nor
 * `OTEL_TRACES_EXPORTER=none` turns it off.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

/** The tracing this process started, if any. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/** Requests that are not work: probes and scrapes would each be a trace of their own. */
const UNTRACED_PATHS = /^\/(health(\/live)?|metrics)(\?|$)/;

/**
 * Starts OpenTelemetry tracing for an app, before anything it instruments is loaded: the first
 * import of each app's main. Off (nothing loaded, nothing patched, every span a no-op) unless an
 * OTLP endpoint is set. The standard OTEL_* settings apply: endpoint, headers, timeout and
 * compression of the exporter, OTEL_EXPORTER_OTLP_PROTOCOL (`http/protobuf` or `http/json`),
 * OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS and
 * OTEL_BSP_* of the batch processor. A value the apps cannot use (another protocol) leaves
 * tracing off here, and the app's config check then refuses to start with what to set.
 */
export function startTracing(app: TracedApp, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (active) return active;
  if (!tracingRequested(env)) return undefined;
  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ||
    env.OTEL_EXPORTER_OTLP_PROTOCOL ||
    'http/protobuf'
  ).trim();
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol)) return undefined;

  // Loaded only when tracing is on, so an app without it pays nothing for the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Resource, detectResourcesSync, envDetectorSync, hostDetectorSync } =
    require('@opentelemetry/resources') as typeof Resources;
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof TraceBase;
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof TraceNode;
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof Instrumentation;
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof InstrumentationHttp;
  const { RedactingSpanProcessor } = require('./span-redaction') as typeof Redaction;
  const exporter =
    protocol === 'http/json'
      ? new (require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp).OTLPTraceExporter()
      : new (require('@opentelemetry/exporter-trace-otlp-proto') as typeof OtlpProto).OTLPTraceExporter();
  /* eslint-enable @typescript-eslint/no-require-imports */

  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) override the defaults.
  const resource = new Resource({ 'service.name': `warm-handover-${app}`, 'service.namespace': 'warm-handover' }).merge(
    detectResourcesSync({ detectors: [envDetectorSync, hostDetectorSync] }),
  );
  const spanProcessor = new RedactingSpanProcessor(new BatchSpanProcessor(exporter));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // The AsyncLocalStorage context manager and the W3C trace-context propagator (OTEL_PROPAGATORS).
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
        // A request the apps make outside any trace (a JWKS refresh, the Temporal metrics the
        // ops listener relays) is not worth a trace of its own; a webhook delivery is in one.
        requireParentforOutgoingSpans: true,
        // Name the request by its route pattern, as the latency histogram labels it.
        applyCustomAttributesOnSpan: (span, request) => {
          const route = (request as IncomingMessage & { route?: { path?: unknown } }).route?.path;
          if (typeof route !== 'string') return;
          span.setAttribute('http.route', route);
          span.updateName(`${(request as IncomingMessage).method ?? 'GET'} ${route}`);
        },
      }),
    ],
  });
  active = { app, spanProcessor, resource, shutdown: () => provider.shutdown() };
  return active;
}
