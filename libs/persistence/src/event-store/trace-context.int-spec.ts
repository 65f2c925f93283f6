import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { testEvent } from '../../../../test/support/events';
import { verifyChain } from '../audit/chain-verifier';
import { EventStore } from './event-store';

/**
 * The trace an event was recorded in travels beside it, for the outbox relay: the append's span,
 * in the command's trace, as a W3C traceparent in the event's row and never in the event.
 */
describe('trace context of appended events on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: EventStore;
  const spans = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

  beforeAll(async () => {
    provider.register();
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(async () => {
    await db.drop();
    await provider.shutdown();
  });
  beforeEach(() => spans.reset());

  const stream = () => `handover-${randomUUID()}`;
  const entryOf = async (eventId: string) => {
    const entries = await store.readOutbox(0, 10_000);
    return entries.find((e) => e.event.eventId === eventId)!;
  };

  it('given an append inside a command’s span, when the outbox reads it, then it carries the append span’s traceparent, a child of the command, and the event itself is unchanged and chained', async () => {
    const id = stream();
    const event = testEvent('HandoverRequested', { reason: 'family-moved' }, 'case-1');

    const command = await trace.getTracer('test').startActiveSpan('POST /handovers', async (span) => {
      await store.append(id, [event]);
      span.end();
      return span.spanContext();
    });

    const append = spans.getFinishedSpans().find((s) => s.name === 'event-store append')!;
    expect(append.parentSpanId).toBe(command.spanId);
    expect(append.spanContext().traceId).toBe(command.traceId);
    expect(append.attributes).toMatchObject({
      'warm_handover.stream_id': id,
      'warm_handover.event_types': ['HandoverRequested'],
      'warm_handover.duplicate': false,
    });
    const entry = await entryOf(event.eventId);
    expect(entry.traceparent).toBe(`00-${command.traceId}-${append.spanContext().spanId}-01`);
    expect(JSON.stringify(entry.event)).not.toContain(command.traceId);
    expect((await store.readStream(id))[0]).toEqual(entry.event);
    expect((await verifyChain(db.dataSource)).intact).toBe(true);
  });

  it('given an append outside any trace, when the outbox reads it, then it has no trace context and no span was made', async () => {
    const event = testEvent('HandoverRequested', {}, 'case-2');
    await store.append(stream(), [event]);

    expect(await entryOf(event.eventId)).toEqual({ event: expect.objectContaining({ eventId: event.eventId }) });
    expect(spans.getFinishedSpans()).toEqual([]);
  });

  it('given a value that is not a W3C traceparent, when written into an event row, then PostgreSQL refuses it', async () => {
    await store.append(stream(), [testEvent('HandoverRequested', {}, 'case-3')]);
    await expect(
      db.dataSource.query(
        `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, data, metadata,
                             recorded_at, previous_hash, hash, traceparent)
         SELECT global_position + 1000000, gen_random_uuid(), stream_id, stream_version + 1000, event_type, data,
                metadata, recorded_at, previous_hash, hash, 'Jan Jansen, Dorpsstraat 1'
           FROM events ORDER BY global_position DESC LIMIT 1`,
      ),
    ).rejects.toThrow(/events_traceparent_w3c/);
  });
});
