import type { DataSource } from 'typeorm';

/** What to do with a request that carries an idempotency key. */
export type IdempotencyBegin =
  /** First time this key is seen (or it expired, or its first attempt was abandoned): run the command. */
  | { readonly kind: 'new' }
  /** The key was used for this same request before: answer with the stored response, run nothing. */
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown }
  /** The key was used for a different request (method, path or body). */
  | { readonly kind: 'mismatch' }
  /** The first request with this key is still running. */
  | { readonly kind: 'in-progress' };

/**
 * A key is remembered for 24 hours: far longer than any client retries, short enough that the
 * table stays small. After that the same key starts a new command.
 */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * An attempt still 'in-progress' after this long died without completing or abandoning (a crash,
 * a lost connection); a retry may take it over. Far above any request's run time, so a slow but
 * living first attempt is not run twice.
 */
export const IDEMPOTENCY_ABANDONED_AFTER_SECONDS = 120;

interface KeyRow {
  request_fingerprint: string;
  status: 'in-progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

const EXPIRED = `created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;
const ABANDONED = `status = 'in-progress' AND created_at < now() - make_interval(secs => ${IDEMPOTENCY_ABANDONED_AFTER_SECONDS})`;

/**
 * Remembers the first answer per (scope, key), so a retried command is answered, not repeated.
 * Races are settled by PostgreSQL: of concurrent `begin`s of one key exactly one gets 'new'.
 */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    // A row can vanish between the insert and the read (its attempt was abandoned); then the
    // insert is tried again. Three rounds only lose to a pathological stream of abandons.
    for (let round = 0; round < 3; round++) {
      const inserted: unknown[] = await this.dataSource.query(
        `INSERT INTO idempotency_keys (scope, key, request_fingerprint, status)
         VALUES ($1, $2, $3, 'in-progress')
         ON CONFLICT (scope, key) DO NOTHING
         RETURNING key`,
        [scope, key, fingerprint],
      );
      if (inserted.length > 0) return { kind: 'new' };

      // An expired key starts afresh; a dead attempt of the same request is retried. The row
      // lock makes concurrent takers queue, and the re-checked condition lets only one through.
      // (Wrapped in a SELECT because TypeORM answers a bare UPDATE with [rows, count].)
      const taken: unknown[] = await this.dataSource.query(
        `WITH taken AS (
           UPDATE idempotency_keys
              SET request_fingerprint = $3, status = 'in-progress', response_status = NULL,
                  response_body = NULL, created_at = clock_timestamp(), completed_at = NULL
            WHERE scope = $1 AND key = $2
              AND ((${EXPIRED}) OR (${ABANDONED} AND request_fingerprint = $3))
           RETURNING key)
         SELECT key FROM taken`,
        [scope, key, fingerprint],
      );
      if (taken.length > 0) return { kind: 'new' };

      const [row] = await this.dataSource.query<KeyRow[]>(
        `SELECT request_fingerprint, status, response_status, response_body
           FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      if (!row) continue;
      if (row.request_fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.status === 'in-progress' || row.response_status === null) return { kind: 'in-progress' };
      return { kind: 'replay', status: row.response_status, body: row.response_body };
    }
    return { kind: 'in-progress' };
  }

  /** Stores the answer of the attempt that got 'new'; later `begin`s of the key replay it. */
  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys
          SET status = 'completed', response_status = $3, response_body = $4::jsonb, completed_at = clock_timestamp()
        WHERE scope = $1 AND key = $2 AND status = 'in-progress'`,
      // An empty answer (undefined or null) is stored as SQL NULL and replayed as an empty body.
      [scope, key, status, body === undefined || body === null ? null : JSON.stringify(body)],
    );
  }

  /** Forgets an attempt that failed for a reason worth retrying (5xx), so the key can run again. */
  async abandon(scope: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 'in-progress'`,
      [scope, key],
    );
  }

  /**
   * Deletes keys older than the TTL; returns how many. `begin` already ignores them, so this only
   * keeps the table small and may run whenever convenient.
   */
  async deleteExpired(): Promise<number> {
    const [row] = await this.dataSource.query<[{ deleted: number }]>(
      `WITH gone AS (DELETE FROM idempotency_keys WHERE ${EXPIRED} RETURNING 1) SELECT count(*)::int AS deleted FROM gone`,
    );
    return row.deleted;
  }
}
