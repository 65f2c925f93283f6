import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who read what of which case, when, and with what outcome (R10: the inspectorate asks who saw
 * a case, not only who changed it). A table of its own, not events in the event store: reads
 * are far more frequent than changes and must not queue behind the store's single-writer append
 * lock, nor travel to Kafka as domain events. Append-only like the events table: an access log
 * that can be edited proves nothing.
 */
export class CreateReadAccessLog1732280600000 implements MigrationInterface {
  readonly name = 'CreateReadAccessLog1732280600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE read_access_log (
        id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        read_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        subject      text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
        organisation text        NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
        role         text        NOT NULL CHECK (length(role) BETWEEN 1 AND 100),
        route        text        NOT NULL CHECK (length(route) BETWEEN 1 AND 500),
        path         text        NOT NULL CHECK (length(path) BETWEEN 1 AND 2000),
        case_id      text        NULL CHECK (length(case_id) BETWEEN 1 AND 500),
        format       text        NULL CHECK (length(format) BETWEEN 1 AND 50),
        status       integer     NOT NULL CHECK (status BETWEEN 100 AND 599),
        outcome      text        NOT NULL CHECK (outcome IN ('allowed', 'denied', 'invalid', 'failed'))
      )`);
    await q.query(`
      CREATE FUNCTION read_access_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the read access log is append-only: % on read_access_log is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Reads are evidence for the inspectorate; they are never changed or removed.';
      END $$`);
    await q.query(`
      CREATE TRIGGER read_access_log_append_only
        BEFORE UPDATE OR DELETE ON read_access_log
        FOR EACH ROW EXECUTE FUNCTION read_access_log_reject_change()`);
    await q.query(`
      CREATE TRIGGER read_access_log_no_truncate
        BEFORE TRUNCATE ON read_access_log
        FOR EACH STATEMENT EXECUTE FUNCTION read_access_log_reject_change()`);
    // The export filters by case or by reading organisation, within a period.
    await q.query('CREATE INDEX read_access_log_case ON read_access_log (case_id, read_at)');
    await q.query('CREATE INDEX read_access_log_organisation ON read_access_log (organisation, read_at)');
    await q.query('CREATE INDEX read_access_log_read_at ON read_access_log (read_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE read_access_log');
    await q.query('DROP FUNCTION read_access_log_reject_change');
  }
}
