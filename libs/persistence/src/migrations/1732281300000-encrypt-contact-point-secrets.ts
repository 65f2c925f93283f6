import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isEncryptedSecret, SecretCipher, webhookSecretKeyFromEnv } from '../contact-points/secret-cipher';

/**
 * Webhook secrets at rest are encrypted (AES-256-GCM, key WEBHOOK_SECRET_KEY outside the
 * database), and a rotation keeps the replaced secret signing for a while. Rows stored in clear
 * before are encrypted here, which needs the key: WEBHOOK_SECRET_KEY in the environment of the
 * process that migrates, or the development key with NODE_ENV=development or test.
 */
export class EncryptContactPointSecrets1732281300000 implements MigrationInterface {
  readonly name = 'EncryptContactPointSecrets1732281300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE contact_point_secrets
        ADD COLUMN previous_secret      text NULL,
        ADD COLUMN previous_valid_until timestamptz NULL`);
    const rows = (await q.query('SELECT contact_point_id, secret FROM contact_point_secrets')) as {
      contact_point_id: string;
      secret: string;
    }[];
    const clear = rows.filter((r) => !isEncryptedSecret(r.secret));
    if (clear.length === 0) return;
    const key = webhookSecretKeyFromEnv();
    if (!key) {
      throw new Error(
        `${clear.length} webhook secret(s) are stored in clear and must be encrypted: set WEBHOOK_SECRET_KEY (the key the apps use) for the process that runs the migrations`,
      );
    }
    const cipher = new SecretCipher(key);
    for (const row of clear) {
      await q.query('UPDATE contact_point_secrets SET secret = $2 WHERE contact_point_id = $1', [
        row.contact_point_id,
        cipher.encrypt(row.secret, row.contact_point_id),
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const key = webhookSecretKeyFromEnv();
    const rows = (await q.query('SELECT contact_point_id, secret FROM contact_point_secrets')) as {
      contact_point_id: string;
      secret: string;
    }[];
    if (rows.length > 0 && !key) throw new Error('set WEBHOOK_SECRET_KEY to decrypt the webhook secrets');
    const cipher = new SecretCipher(key ?? '');
    for (const row of rows.filter((r) => isEncryptedSecret(r.secret))) {
      await q.query('UPDATE contact_point_secrets SET secret = $2 WHERE contact_point_id = $1', [
        row.contact_point_id,
        cipher.decrypt(row.secret, row.contact_point_id),
      ]);
    }
    await q.query('ALTER TABLE contact_point_secrets DROP COLUMN previous_secret, DROP COLUMN previous_valid_until');
  }
}
