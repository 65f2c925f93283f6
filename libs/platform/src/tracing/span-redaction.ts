import type { Attributes, AttributeValue, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Span attributes that may leave the process. Everything else is dropped before export: the HTTP
 * instrumentation records the full URL (acknowledgement tokens, sign-in codes in query strings),
 * the client's address and user agent (personal data), and a webhook delivery's URL and host; an
 * error message may quote an SMTP server's answer with a mailbox in it. What stays are codes,
 * route patterns and pseudonymous ids.
 */
const ALLOWED_ATTRIBUTES: ReadonlySet<string> = new Set([
  // HTTP, by route pattern (never the path: it holds ids and tokens).
  'http.method',
  'http.request.method',
  'http.route',
  'http.status_code',
  'http.response.status_code',
  'http.flavor',
  'network.protocol.version',
  // The Temporal interceptors: workflow, run, activity and update ids (ids derived from
  // pseudonymous ids and Idempotency-Keys), and the workflow's own info from the span sink.
  'temporalWorkflowId',
  'temporalActivityId',
  'temporalUpdateId',
  'run_id',
  'workflowId',
  'workflowType',
  'runId',
  'taskQueue',
  'namespace',
  'attempt',
  'db.system',
]);

/** Our own spans' attributes and the messaging conventions: all chosen to be codes and ids. */
const ALLOWED_PREFIXES = ['warm_handover.', 'messaging.'] as const;

/** Of an exception event, its type and the frames of its stack, never its message. */
const ALLOWED_EVENT_ATTRIBUTES: ReadonlySet<string> = new Set(['exception.type', 'exception.stacktrace']);

export function isExportableAttribute(key: string): boolean {
  return ALLOWED_ATTRIBUTES.has(key) || ALLOWED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

function exportable(value: unknown): value is AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  return Array.isArray(value) && value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}

function keepAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (isExportableAttribute(key) && exportable(value)) kept[key] = value;
  }
  return kept;
}

/** A stack's first line repeats the message; the frames below it name only code. */
function framesOnly(stack: AttributeValue | undefined): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

function keepEventAttributes(attributes: Attributes | undefined): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (!ALLOWED_EVENT_ATTRIBUTES.has(key)) continue;
    const safe = key === 'exception.stacktrace' ? framesOnly(value) : value;
    if (safe !== undefined) kept[key] = safe;
  }
  return kept;
}

/** The span as it may be exported: allowed attributes only, status without its message. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanId: span.parentSpanId,
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: keepAttributes(span.attributes),
    links: span.links.map((link) => ({ context: link.context })),
    events: span.events.map((event) => ({
      name: event.name,
      time: event.time,
      attributes: keepEventAttributes(event.attributes),
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationLibrary: span.instrumentationLibrary,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Hands every ended span to the exporting processor redacted. Every span goes through it, the
 * workflow spans the Temporal sink brings out of the workflow sandbox included.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(redactSpan(span));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
