import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free text of events (reasons, rationales) lives here, not in the hash-chained events, so an
 * erasure request can delete it without breaking the chain (see free-texts/free-texts.ts).
 */
export class CreateFreeTexts1732281320000 implements MigrationInterface {
  readonly name = 'CreateFreeTexts1732281320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE free_texts (
        digest     text        PRIMARY KEY CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        salt       bytea       NOT NULL CHECK (length(salt) = 16),
        text       text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE free_texts');
  }
}
