import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { OutboxEntry } from '@warm-handover/persistence';

const tracer = trace.getTracer('@warm-handover/messaging');

/** The context a W3C `traceparent` (an outbox row's, a Kafka header's) continues; none without one. */
function remoteContext(traceparent: string | undefined): Context | undefined {
  if (!traceparent) return undefined;
  const remote = propagation.extract(ROOT_CONTEXT, { traceparent });
  const spanContext = trace.getSpanContext(remote);
  return spanContext && isSpanContextValid(spanContext) ? remote : undefined;
}

function eventAttributes(entry: OutboxEntry, destination: string, operation: string): Attributes {
  return {
    'messaging.system': destination.startsWith('warm-handover.') ? 'kafka' : 'postgresql',
    'messaging.destination.name': destination,
    'messaging.operation': operation,
    'messaging.message.id': entry.event.eventId,
    'warm_handover.event_type': entry.event.type,
    'warm_handover.global_position': entry.event.globalPosition,
  };
}

/**
 * A producer span per relayed event, in the trace its append was part of, and the headers that
 * carry that span to the consumer. Events appended outside a trace get neither.
 */
export function startPublishSpan(
  entry: OutboxEntry,
  topic: string,
): { readonly span: Span | undefined; readonly headers: Record<string, string> } {
  const parent = remoteContext(entry.traceparent);
  if (!parent) return { span: undefined, headers: {} };
  const span = tracer.startSpan(
    `publish ${topic}`,
    { kind: SpanKind.PRODUCER, attributes: eventAttributes(entry, topic, 'publish') },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

export function endPublishSpans(spans: readonly (Span | undefined)[], error?: unknown): void {
  for (const span of spans) {
    if (!span) continue;
    if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
}

/**
 * Handles a consumed event in a consumer span that continues the trace of its producer (the
 * `traceparent` of a Kafka header or of the outbox row), so what the handler starts (a notice
 * workflow, its delivery) is part of the command's trace. Without one it just handles it.
 */
export async function consumeInTrace<T>(entry: OutboxEntry, source: string, handle: () => Promise<T>): Promise<T> {
  const parent = remoteContext(entry.traceparent);
  if (!parent) return handle();
  const span = tracer.startSpan(
    `process ${source}`,
    { kind: SpanKind.CONSUMER, attributes: eventAttributes(entry, source, 'process') },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), handle);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    if (error instanceof Error) span.recordException(error);
    throw error;
  } finally {
    span.end();
  }
}
