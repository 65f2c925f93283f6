import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Webhook signing secrets, one per contact point; see the migration for why not in events. */
export class ContactPointSecretStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Makes a new secret for the contact point (replacing any earlier one) and returns it. */
  async issue(contactPointId: string, organisation: string): Promise<string> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    // Not ON CONFLICT DO UPDATE: that needs SELECT on the secret column, which the api's
    // database role does not have (see database-roles.ts).
    await this.dataSource.query(
      `WITH replaced AS (
         UPDATE contact_point_secrets SET secret = $3, created_at = clock_timestamp()
          WHERE contact_point_id = $1 RETURNING contact_point_id)
       INSERT INTO contact_point_secrets (contact_point_id, organisation, secret)
       SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM replaced)`,
      [contactPointId, organisation, secret],
    );
    return secret;
  }

  /** Whether one was issued, without reading it: the api's database role may not read secrets. */
  async has(contactPointId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM contact_point_secrets WHERE contact_point_id = $1',
      [contactPointId],
    );
    return rows.length > 0;
  }

  async secretOf(contactPointId: string): Promise<string | undefined> {
    const rows: { secret: string }[] = await this.dataSource.query(
      'SELECT secret FROM contact_point_secrets WHERE contact_point_id = $1',
      [contactPointId],
    );
    return rows[0]?.secret;
  }
}
