import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CONTENT_COLUMNS, contentOf, type ContentRow, HashChain } from '../audit/event-hash';

const BACKFILL_BATCH = 1000;

/**
 * Tamper evidence: `previous_hash` and `hash` on every event, one SHA-256 chain over the store in
 * global order (the definition is in audit/event-hash.ts). Existing events are chained here, in
 * global order, inside this migration's transaction.
 *
 * Filling the new columns is an UPDATE, which the append-only trigger refuses. The trigger is
 * disabled for the backfill and enabled again before the transaction ends: ALTER TABLE holds an
 * exclusive lock on `events` until commit, so no other session can change or even read a row
 * meanwhile, and if anything fails the whole migration, trigger state included, rolls back.
 * Only a migration may do this; the application never updates events.
 *
 * From now on the store gives positions itself (head + 1 under the append lock), so the identity
 * default goes: an INSERT that bypasses the store has to name a position and a hash, and the
 * verifier sees whether they fit the chain.
 */
export class ChainEvents1732280300000 implements MigrationInterface {
  readonly name = 'ChainEvents1732280300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE events ADD COLUMN previous_hash bytea, ADD COLUMN hash bytea');

    await q.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    const chain = new HashChain();
    let after = 0;
    for (;;) {
      const rows = (await q.query(
        `SELECT ${CONTENT_COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [after, BACKFILL_BATCH],
      )) as ContentRow[];
      if (rows.length === 0) break;
      const positions: number[] = [];
      const previous: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const content = contentOf(row);
        const link = chain.append(content);
        positions.push(content.globalPosition);
        previous.push(link.previousHash);
        hashes.push(link.hash);
      }
      await q.query(
        `UPDATE events SET previous_hash = decode(c.previous_hash, 'hex'), hash = decode(c.hash, 'hex')
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS c(global_position, previous_hash, hash)
          WHERE events.global_position = c.global_position`,
        [positions, previous, hashes],
      );
      after = positions.at(-1)!;
    }
    await q.query('ALTER TABLE events ENABLE TRIGGER events_append_only');

    await q.query(`
      ALTER TABLE events
        ALTER COLUMN previous_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ADD CONSTRAINT events_hashes_are_sha256 CHECK (octet_length(previous_hash) = 32 AND octet_length(hash) = 32),
        ALTER COLUMN global_position DROP IDENTITY,
        ALTER COLUMN recorded_at DROP DEFAULT`);
    await q.query(`COMMENT ON COLUMN events.hash IS
      'SHA-256 of the RFC 8785 canonical JSON of {previousHash, globalPosition, eventId, streamId, streamVersion, type, data, metadata, recordedAt}; see README, Tamper evidence'`);
    await q.query(`COMMENT ON COLUMN events.previous_hash IS
      'hash of the event before in global order; 32 zero bytes for the first event'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE events
        ALTER COLUMN recorded_at SET DEFAULT clock_timestamp(),
        ALTER COLUMN global_position ADD GENERATED ALWAYS AS IDENTITY,
        DROP COLUMN hash,
        DROP COLUMN previous_hash`);
    await q.query(
      `SELECT setval(pg_get_serial_sequence('events', 'global_position'), coalesce(max(global_position), 0) + 1, false) FROM events`,
    );
  }
}
