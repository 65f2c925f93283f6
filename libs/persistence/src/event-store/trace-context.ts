import { context, isSpanContextValid, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { streamCategory, type NewEvent, type RecordedEvent } from '@warm-handover/contracts';

/**
 * An event as the outbox relay reads it: with the W3C `traceparent` of the span that appended it,
 * so whoever publishes or consumes the event continues that trace (README "Tracing").
 */
export interface OutboxEntry {
  readonly event: RecordedEvent;
  readonly traceparent?: string;
}

const W3C_TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const tracer = trace.getTracer('@warm-handover/persistence');

/** The active span as a W3C `traceparent`, when there is one (never with tracing off). */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const traceparent = carrier['traceparent'];
  return traceparent && W3C_TRACEPARENT.test(traceparent) ? traceparent : undefined;
}

/**
 * Runs an append in a span of its own when it is part of a trace (a request, an activity): the
 * append a command ends in. Outside one (a seed, a projection) it adds no trace of its own.
 */
export async function inAppendSpan<T extends { readonly duplicate: boolean }>(
  streamId: string,
  events: readonly NewEvent[],
  append: () => Promise<T>,
): Promise<T> {
  const parent = trace.getSpanContext(context.active());
  if (!parent || !isSpanContextValid(parent)) return append();
  return tracer.startActiveSpan(
    'event-store append',
    {
      attributes: {
        'db.system': 'postgresql',
        'warm_handover.stream_category': streamCategory(streamId),
        'warm_handover.stream_id': streamId,
        'warm_handover.event_types': events.map((e) => e.type),
        'warm_handover.event_count': events.length,
      },
    },
    async (span) => {
      try {
        const result = await append();
        span.setAttribute('warm_handover.duplicate', result.duplicate);
        return result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        if (error instanceof Error) span.recordException(error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
