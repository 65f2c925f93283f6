import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Who a session signs in: the pseudonymous actor, as events record it. */
export interface SessionActor {
  readonly subject: string;
  readonly organisation: string;
  readonly role: string;
}

export interface Session {
  readonly actor: SessionActor;
  readonly issuerName: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** A sign-in under way: what the callback needs to finish it. */
export interface LoginAttempt {
  readonly state: string;
  readonly issuerName: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
}

export interface SessionLimits {
  /** A session ends this long after sign-in, however active. */
  readonly absoluteSeconds: number;
  /** …and this long after its last use. */
  readonly idleSeconds: number;
}

interface SessionRow {
  subject: string;
  organisation: string;
  role: string;
  issuer_name: string;
  created_at: Date;
  expires_at: Date;
}

const hashOf = (id: string): Buffer => createHash('sha256').update(id).digest();

/** Sessions and sign-ins under way in PostgreSQL; see the migration for what is (not) kept. */
export class SessionStore {
  constructor(private readonly dataSource: DataSource) {}

  async saveLoginAttempt(attempt: LoginAttempt, ttlSeconds: number): Promise<void> {
    // Abandoned sign-ins are cleared here rather than by a job: they are few and short-lived.
    await this.dataSource.query('DELETE FROM login_attempts WHERE expires_at < clock_timestamp()');
    await this.dataSource.query(
      `INSERT INTO login_attempts (state, issuer_name, nonce, code_verifier, return_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, clock_timestamp() + make_interval(secs => $6))`,
      [attempt.state, attempt.issuerName, attempt.nonce, attempt.codeVerifier, attempt.returnTo, ttlSeconds],
    );
  }

  /** The sign-in of this state, at most once: a replayed callback finds nothing. */
  async takeLoginAttempt(state: string): Promise<LoginAttempt | undefined> {
    const [rows] = await this.dataSource.query<
      [{ state: string; issuer_name: string; nonce: string; code_verifier: string; return_to: string }[], number]
    >(
      `DELETE FROM login_attempts WHERE state = $1 AND expires_at >= clock_timestamp()
       RETURNING state, issuer_name, nonce, code_verifier, return_to`,
      [state],
    );
    const row = rows[0];
    return (
      row && {
        state: row.state,
        issuerName: row.issuer_name,
        nonce: row.nonce,
        codeVerifier: row.code_verifier,
        returnTo: row.return_to,
      }
    );
  }

  /** Starts a session and returns the cookie value (256 random bits); only its hash is stored. */
  async create(actor: SessionActor, issuerName: string, limits: SessionLimits): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.dataSource.query('DELETE FROM sessions WHERE expires_at < clock_timestamp()');
    await this.dataSource.query(
      `INSERT INTO sessions (id_hash, subject, organisation, role, issuer_name, expires_at)
       VALUES ($1, $2, $3, $4, $5, clock_timestamp() + make_interval(secs => LEAST($6::int, $7::int)))`,
      [
        hashOf(id),
        actor.subject,
        actor.organisation,
        actor.role,
        issuerName,
        limits.absoluteSeconds,
        limits.idleSeconds,
      ],
    );
    return id;
  }

  /**
   * The live session of a cookie value, its idle deadline moved on by this use; undefined when
   * there is none or it ended.
   */
  async use(id: string, limits: SessionLimits): Promise<Session | undefined> {
    const [rows] = await this.dataSource.query<[SessionRow[], number]>(
      `UPDATE sessions SET last_seen_at = clock_timestamp(),
         expires_at = LEAST(created_at + make_interval(secs => $2::int), clock_timestamp() + make_interval(secs => $3::int))
       WHERE id_hash = $1 AND expires_at >= clock_timestamp()
       RETURNING subject, organisation, role, issuer_name, created_at, expires_at`,
      [hashOf(id), limits.absoluteSeconds, limits.idleSeconds],
    );
    const row = rows[0];
    return (
      row && {
        actor: { subject: row.subject, organisation: row.organisation, role: row.role },
        issuerName: row.issuer_name,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    );
  }

  /** Ends the session of a cookie value; true when there was one. */
  async end(id: string): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown, number]>('DELETE FROM sessions WHERE id_hash = $1', [
      hashOf(id),
    ]);
    return count > 0;
  }
}
