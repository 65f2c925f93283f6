import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event store. `global_position` is an identity column, but positions are only
 * handed out while the append lock is held (see EventStore.append), so they become visible in
 * commit order and a reader that follows them never skips an event committed late.
 */
export class CreateEventStore1732280000000 implements MigrationInterface {
  readonly name = 'CreateEventStore1732280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id        uuid        NOT NULL,
        stream_id       text        NOT NULL CHECK (length(stream_id) BETWEEN 1 AND 200),
        stream_version  integer     NOT NULL CHECK (stream_version > 0),
        event_type      text        NOT NULL CHECK (length(event_type) BETWEEN 1 AND 200),
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);

    // History is evidence for the inspectorate: nobody, not even the application, may rewrite it.
    await q.query(`
      CREATE FUNCTION events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: % on events is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Record a correcting event instead of changing history.';
      END $$`);
    await q.query(`
      CREATE TRIGGER events_append_only
        BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_reject_change()`);
    await q.query(`
      CREATE TRIGGER events_no_truncate
        BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change()`);

    // Wakes the outbox relay right after a commit instead of waiting for its next poll.
    await q.query(`
      CREATE FUNCTION events_notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('warm_handover_events_appended', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER events_appended
        AFTER INSERT ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_notify_appended()`);

    await q.query(`
      CREATE TABLE consumer_checkpoints (
        consumer   text        PRIMARY KEY,
        position   bigint      NOT NULL CHECK (position >= 0),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE consumer_checkpoints');
    await q.query('DROP TRIGGER events_appended ON events');
    await q.query('DROP FUNCTION events_notify_appended');
    await q.query('DROP TRIGGER events_no_truncate ON events');
    await q.query('DROP TRIGGER events_append_only ON events');
    await q.query('DROP TABLE events');
    await q.query('DROP FUNCTION events_reject_change');
  }
}
