import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The WEBHOOK_SECRET_KEY outside production, so `npm start` and the tests need no setup. Public
 * by definition: the apps refuse it with NODE_ENV=production (libs/platform config).
 */
export const DEV_WEBHOOK_SECRET_KEY = 'dev-only-webhook-secret-key-of-warm-handover-never-in-production';

const FORMAT = 'aes256gcm';

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key that lives outside the database
 * (WEBHOOK_SECRET_KEY), with the contact point id as associated data, so a copy of the table,
 * a backup or a row moved to another contact point reveals and signs nothing.
 * Stored as `aes256gcm:<iv>:<tag>:<ciphertext>`, each base64.
 */
export class SecretCipher {
  private readonly key: Buffer;

  constructor(key: string) {
    // The setting is random text of at least 32 characters; SHA-256 makes it exactly 256 bits.
    this.key = createHash('sha256').update(key, 'utf8').digest();
  }

  encrypt(plaintext: string, contactPointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(contactPointId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
      .join(':');
  }

  decrypt(stored: string, contactPointId: string): string {
    const [format, iv, tag, ciphertext] = stored.split(':');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) {
      throw new Error('a webhook secret is not in the encrypted format; run the migrations');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(contactPointId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        `the webhook secret of contact point ${contactPointId} does not decrypt: WEBHOOK_SECRET_KEY is not the key it was stored with`,
      );
    }
  }
}

/** Whether a stored value is already encrypted (the migration skips those). */
export function isEncryptedSecret(stored: string): boolean {
  return stored.startsWith(`${FORMAT}:`);
}

/**
 * The key the migration encrypts existing rows with: WEBHOOK_SECRET_KEY, or the development key
 * when NODE_ENV is explicitly development or test.
 */
export function webhookSecretKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.WEBHOOK_SECRET_KEY) return env.WEBHOOK_SECRET_KEY;
  return env.NODE_ENV === 'development' || env.NODE_ENV === 'test' ? DEV_WEBHOOK_SECRET_KEY : undefined;
}
