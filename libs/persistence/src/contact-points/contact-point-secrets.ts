import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Webhook signing secrets, one per contact point; see the migration for why not in events. */
export class ContactPointSecretStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Makes a new secret for the contact point (replacing any earlier one) and returns it. */
  async issue(contactPointId: string, organisation: string): Promise<string> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    await this.dataSource.query(
      `INSERT INTO contact_point_secrets (contact_point_id, organisation, secret) VALUES ($1, $2, $3)
       ON CONFLICT (contact_point_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = clock_timestamp()`,
      [contactPointId, organisation, secret],
    );
    return secret;
  }

  async has(contactPointId: string): Promise<boolean> {
    return (await this.secretOf(contactPointId)) !== undefined;
  }

  async secretOf(contactPointId: string): Promise<string | undefined> {
    const rows: { secret: string }[] = await this.dataSource.query(
      'SELECT secret FROM contact_point_secrets WHERE contact_point_id = $1',
      [contactPointId],
    );
    return rows[0]?.secret;
  }
}
