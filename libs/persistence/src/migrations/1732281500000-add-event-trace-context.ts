import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C `traceparent` of the span that appended an event, so the outbox relay can publish the
 * event in the trace of the command that caused it (OpenTelemetry, README "Tracing"). Operational
 * data beside the event, not part of it: outside the hash chain, never in the event's data or
 * metadata, never on Kafka inside the event (a message header carries it). The check admits the
 * W3C form only (version, trace id, span id, flags in lowercase hex), so nothing else can be
 * written into it. NULL when tracing was off or the append ran outside a trace.
 */
export class AddEventTraceContext1732281500000 implements MigrationInterface {
  readonly name = 'AddEventTraceContext1732281500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE events ADD COLUMN traceparent text
         CONSTRAINT events_traceparent_w3c CHECK (traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE events DROP COLUMN traceparent');
  }
}
