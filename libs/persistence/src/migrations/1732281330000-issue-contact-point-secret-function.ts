import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issuing a webhook secret with rotation moves the current secret to `previous_secret`: that
 * reads the secret column, which the api's runtime role may not read (database-roles.ts). This
 * function, owned by the schema's owner and run with its rights, does the move inside the
 * database, so the api can rotate secrets it can never read back.
 */
export class IssueContactPointSecretFunction1732281330000 implements MigrationInterface {
  readonly name = 'IssueContactPointSecretFunction1732281330000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION issue_contact_point_secret(
        p_contact_point_id uuid, p_organisation text, p_secret text, p_rotate boolean, p_previous_valid_secs double precision
      ) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        INSERT INTO public.contact_point_secrets (contact_point_id, organisation, secret)
        VALUES (p_contact_point_id, p_organisation, p_secret)
        ON CONFLICT (contact_point_id) DO UPDATE SET
          secret = EXCLUDED.secret,
          previous_secret = CASE WHEN p_rotate THEN public.contact_point_secrets.secret END,
          previous_valid_until = CASE WHEN p_rotate THEN clock_timestamp() + make_interval(secs => p_previous_valid_secs) END,
          created_at = clock_timestamp()
      $$`);
    await q.query('REVOKE ALL ON FUNCTION issue_contact_point_secret FROM PUBLIC');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION issue_contact_point_secret');
  }
}
