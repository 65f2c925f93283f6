import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RedactingSpanProcessor, redactSpan } from './span-redaction';

function span(overrides: Partial<ReadableSpan>): ReadableSpan {
  const context = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
  return {
    name: 'POST /notices/:id/acknowledgement',
    kind: SpanKind.SERVER,
    spanContext: () => context,
    parentSpanId: 'c'.repeat(16),
    startTime: [1, 0],
    endTime: [2, 0],
    status: { code: SpanStatusCode.UNSET },
    attributes: {},
    links: [],
    events: [],
    duration: [1, 0],
    ended: true,
    resource: new Resource({ 'service.name': 'warm-handover-api' }),
    instrumentationLibrary: { name: '@opentelemetry/instrumentation-http' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...overrides,
  };
}

describe('span redaction', () => {
  it('given an HTTP server span, when redacted, then the method, route and status stay and the URL, client address and user agent go', () => {
    const redacted = redactSpan(
      span({
        attributes: {
          'http.method': 'POST',
          'http.route': '/notices/:id/acknowledgement',
          'http.status_code': 200,
          'http.url': 'http://localhost:3000/notices/7/acknowledgement?token=secret',
          'http.target': '/notices/7/acknowledgement?token=secret',
          'net.peer.ip': '203.0.113.7',
          'http.user_agent': 'Mozilla/5.0',
          'http.client_ip': '203.0.113.7',
          'net.host.name': 'localhost',
        },
      }),
    );
    expect(redacted.attributes).toEqual({
      'http.method': 'POST',
      'http.route': '/notices/:id/acknowledgement',
      'http.status_code': 200,
    });
    expect(redacted.name).toBe('POST /notices/:id/acknowledgement');
    expect(redacted.spanContext().spanId).toBe('b'.repeat(16));
    expect(redacted.parentSpanId).toBe('c'.repeat(16));
  });

  it('given a failed webhook delivery, when redacted, then its host and URL, the error message and the status message go, the exception type and stack frames stay', () => {
    const redacted = redactSpan(
      span({
        kind: SpanKind.CLIENT,
        attributes: {
          'http.url': 'https://hooks.gemeente.example/warm-handover',
          'net.peer.name': 'hooks.gemeente.example',
          temporalActivityId: '3',
          'warm_handover.event_type': 'HandoverEscalated',
        },
        status: { code: SpanStatusCode.ERROR, message: '550 <teamleider@vt.example> mailbox unavailable' },
        events: [
          {
            name: 'exception',
            time: [1, 5],
            attributes: {
              'exception.type': 'Error',
              'exception.message': '550 <teamleider@vt.example> mailbox unavailable',
              'exception.stacktrace':
                'Error: 550 <teamleider@vt.example> mailbox unavailable\n    at deliver (/app/channels.js:10:5)',
            },
          },
        ],
      }),
    );
    expect(redacted.attributes).toEqual({
      temporalActivityId: '3',
      'warm_handover.event_type': 'HandoverEscalated',
    });
    expect(redacted.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(redacted.events).toEqual([
      {
        name: 'exception',
        time: [1, 5],
        attributes: { 'exception.type': 'Error', 'exception.stacktrace': '    at deliver (/app/channels.js:10:5)' },
      },
    ]);
  });

  it('given a workflow span from the Temporal sink, when redacted, then its ids stay and the workflow info objects go', () => {
    const redacted = redactSpan(
      span({
        name: 'HandleUpdate:requestHandover',
        attributes: {
          temporalUpdateId: 'u-1',
          workflowId: 'handover-1',
          workflowType: 'handoverWorkflow',
          memo: {} as never,
          searchAttributes: {} as never,
        },
      }),
    );
    expect(redacted.attributes).toEqual({
      temporalUpdateId: 'u-1',
      workflowId: 'handover-1',
      workflowType: 'handoverWorkflow',
    });
  });

  it('given the processor, when a span ends, then the next processor gets it redacted', () => {
    const ended: ReadableSpan[] = [];
    const next: SpanProcessor = {
      onStart: (_span: Span, _context: Context) => undefined,
      onEnd: (s) => void ended.push(s),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    new RedactingSpanProcessor(next).onEnd(
      span({ attributes: { 'http.url': 'http://x/?code=1', 'http.method': 'GET' } }),
    );
    expect(ended.map((s) => s.attributes)).toEqual([{ 'http.method': 'GET' }]);
  });
});
