import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SecretCipher } from './secret-cipher';

/**
 * How long the secret a rotation replaced still signs (beside the new one): a receiver has a day
 * to switch to the new secret without refusing a notice.
 */
export const PREVIOUS_SECRET_VALID_MS = 24 * 60 * 60 * 1000;

/**
 * Webhook signing secrets, one per contact point; see the migrations for why not in events.
 * Stored encrypted (SecretCipher, key WEBHOOK_SECRET_KEY); only their holders see them in clear.
 */
export class ContactPointSecretStore {
  private readonly cipher: SecretCipher;

  constructor(
    private readonly dataSource: DataSource,
    webhookSecretKey: string,
  ) {
    this.cipher = new SecretCipher(webhookSecretKey);
  }

  /**
   * Makes a new `whsec_…` secret for the contact point and returns it. With `rotate`, the secret
   * it replaces keeps signing for PREVIOUS_SECRET_VALID_MS beside the new one.
   */
  async issue(contactPointId: string, organisation: string, options: { rotate?: boolean } = {}): Promise<string> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const encrypted = this.cipher.encrypt(secret, contactPointId);
    // Through the function of migration 1732281330000: the rotation reads the current secret,
    // which the api's database role may not (database-roles.ts).
    await this.dataSource.query('SELECT issue_contact_point_secret($1, $2, $3, $4, $5)', [
      contactPointId,
      organisation,
      encrypted,
      options.rotate === true,
      PREVIOUS_SECRET_VALID_MS / 1000,
    ]);
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

  /** The secret a webhook is signed with now, or undefined when it has none. */
  async secretOf(contactPointId: string): Promise<string | undefined> {
    return (await this.signingSecrets(contactPointId))[0];
  }

  /** Every secret a webhook is signed with now: the current one first, then one a rotation replaced. */
  async signingSecrets(contactPointId: string): Promise<string[]> {
    const rows: { secret: string; previous_secret: string | null }[] = await this.dataSource.query(
      `SELECT secret, CASE WHEN previous_valid_until > clock_timestamp() THEN previous_secret END AS previous_secret
         FROM contact_point_secrets WHERE contact_point_id = $1`,
      [contactPointId],
    );
    const row = rows[0];
    if (!row) return [];
    return [row.secret, ...(row.previous_secret ? [row.previous_secret] : [])].map((s) =>
      this.cipher.decrypt(s, contactPointId),
    );
  }
}
