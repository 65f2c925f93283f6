import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The signing secret of each webhook contact point. Kept out of the event store on purpose:
 * events are append-only, published on Kafka and read by inspectors, and a secret in them could
 * never be withdrawn. A row is replaced when the secret is renewed; only the notifier reads it.
 */
export class CreateContactPointSecrets1732280400000 implements MigrationInterface {
  readonly name = 'CreateContactPointSecrets1732280400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_point_secrets (
        contact_point_id uuid        PRIMARY KEY,
        organisation     text        NOT NULL CHECK (length(organisation) BETWEEN 1 AND 100),
        secret           text        NOT NULL CHECK (length(secret) >= 32),
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contact_point_secrets');
  }
}
