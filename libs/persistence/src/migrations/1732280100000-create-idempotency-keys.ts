import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first answer to each command an API caller sent with an `Idempotency-Key`, so a retry gets
 * that answer instead of running the command twice. Keys live 24 hours (see IdempotencyStore);
 * the rows are a cache of answers, not events, so deleting expired ones is fine.
 */
export class CreateIdempotencyKeys1732280100000 implements MigrationInterface {
  readonly name = 'CreateIdempotencyKeys1732280100000';

  async up(q: QueryRunner): Promise<void> {
    // scope is the caller (organisation + subject), so two callers may pick the same key.
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope               text        NOT NULL CHECK (length(scope) BETWEEN 1 AND 1000),
        key                 text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        request_fingerprint text        NOT NULL,
        status              text        NOT NULL CHECK (status IN ('in-progress', 'completed')),
        response_status     integer     NULL CHECK (response_status BETWEEN 100 AND 599),
        response_body       jsonb       NULL,
        created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
        completed_at        timestamptz NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key),
        CONSTRAINT idempotency_keys_completed_has_answer CHECK (
          (status = 'completed') = (response_status IS NOT NULL AND completed_at IS NOT NULL)
        )
      )`);
    // For the clean-up of expired keys.
    await q.query('CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
