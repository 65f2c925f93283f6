import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Browser sign-in (OpenID Connect code flow) keeps its state on the server, so several API
 * processes share it and the browser holds only an opaque cookie, never a token:
 * - `login_attempts`: one row per sign-in under way (state, nonce, PKCE verifier), taken once by
 *   the callback;
 * - `sessions`: who is signed in, as the pseudonymous actor the events would record. Only a hash
 *   of the cookie's value is stored, so a copy of the table signs nobody in.
 * Neither holds a name, an e-mail address or a token of the identity provider.
 */
export class CreateSessions1732281200000 implements MigrationInterface {
  readonly name = 'CreateSessions1732281200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_attempts (
        state         text        PRIMARY KEY CHECK (length(state) BETWEEN 32 AND 128),
        issuer_name   text        NOT NULL,
        nonce         text        NOT NULL,
        code_verifier text        NOT NULL,
        return_to     text        NOT NULL,
        expires_at    timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE sessions (
        id_hash      bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
        subject      text        NOT NULL,
        organisation text        NOT NULL,
        role         text        NOT NULL,
        issuer_name  text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_seen_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at   timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX sessions_expires_at ON sessions (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sessions');
    await q.query('DROP TABLE login_attempts');
  }
}
