import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase, withClient } from '../../../../test/support/database';
import { MIGRATIONS } from '../migrations';
import { EncryptContactPointSecrets1732281300000 } from '../migrations/1732281300000-encrypt-contact-point-secrets';
import { ContactPointSecretStore } from './contact-point-secrets';
import { DEV_WEBHOOK_SECRET_KEY } from './secret-cipher';

describe('ContactPointSecretStore', () => {
  const KEY = randomBytes(32).toString('base64');
  let db: TestDatabase;
  let store: ContactPointSecretStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new ContactPointSecretStore(db.dataSource, KEY);
  });
  afterAll(() => db.drop());

  const stored = async (id: string) => {
    const rows = await db.dataSource.query<{ secret: string; previous_secret: string | null }[]>(
      'SELECT secret, previous_secret FROM contact_point_secrets WHERE contact_point_id = $1',
      [id],
    );
    return rows[0]!;
  };

  it('given a new webhook, when its secret is issued, then it is a whsec_ key, stored only encrypted, and read back in clear', async () => {
    const id = randomUUID();
    const secret = await store.issue(id, 'vt-kennemerland');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await stored(id);
    expect(row.secret).toMatch(/^aes256gcm:/);
    expect(row.secret).not.toContain(secret.slice(6));
    expect(await store.signingSecrets(id)).toEqual([secret]);
    await expect(
      new ContactPointSecretStore(db.dataSource, 'another key of at least thirty-two chars').signingSecrets(id),
    ).rejects.toThrow(/WEBHOOK_SECRET_KEY/);
  });

  it('given a rotation, when the webhook is signed, then the new and the previous secret sign until the previous one expires', async () => {
    const id = randomUUID();
    const first = await store.issue(id, 'vt-kennemerland');
    const second = await store.issue(id, 'vt-kennemerland', { rotate: true });
    expect(await store.signingSecrets(id)).toEqual([second, first]);
    await db.dataSource.query(
      "UPDATE contact_point_secrets SET previous_valid_until = clock_timestamp() - interval '1 second' WHERE contact_point_id = $1",
      [id],
    );
    expect(await store.signingSecrets(id)).toEqual([second]);
    const third = await store.issue(id, 'vt-kennemerland');
    expect(await store.signingSecrets(id)).toEqual([third]);
  });

  it('given secrets stored in clear by the earlier schema, when the migration runs, then each is encrypted and still the same secret', async () => {
    const name = `wh_test_clear_${randomUUID().slice(0, 8)}`;
    const admin = new URL(db.url);
    admin.pathname = '/postgres';
    await withClient(admin.toString(), (c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(db.url);
    url.pathname = `/${name}`;
    const at = MIGRATIONS.indexOf(EncryptContactPointSecrets1732281300000);
    const options = { type: 'postgres' as const, url: url.toString(), migrationsTableName: 'schema_migrations' };
    const old = new DataSource({ ...options, migrations: MIGRATIONS.slice(0, at) });
    await old.initialize();
    const id = randomUUID();
    const clear = `whsec_${randomBytes(32).toString('base64url')}`;
    try {
      await old.runMigrations({ transaction: 'each' });
      await old.query(
        'INSERT INTO contact_point_secrets (contact_point_id, organisation, secret) VALUES ($1, $2, $3)',
        [id, 'vt-kennemerland', clear],
      );
    } finally {
      await old.destroy();
    }
    const migrated = new DataSource({ ...options, migrations: MIGRATIONS.slice(0, at + 1) });
    await migrated.initialize();
    const saved = { NODE_ENV: process.env.NODE_ENV, WEBHOOK_SECRET_KEY: process.env.WEBHOOK_SECRET_KEY };
    try {
      process.env.WEBHOOK_SECRET_KEY = '';
      process.env.NODE_ENV = 'production';
      await expect(migrated.runMigrations({ transaction: 'each' })).rejects.toThrow(/set WEBHOOK_SECRET_KEY/);
      process.env.NODE_ENV = 'test';
      await migrated.runMigrations({ transaction: 'each' });
      const [row] = await migrated.query<{ secret: string }[]>('SELECT secret FROM contact_point_secrets');
      expect(row!.secret).toMatch(/^aes256gcm:/);
      expect(await new ContactPointSecretStore(migrated, DEV_WEBHOOK_SECRET_KEY).signingSecrets(id)).toEqual([clear]);
    } finally {
      Object.assign(process.env, saved);
      if (saved.WEBHOOK_SECRET_KEY === undefined) delete process.env.WEBHOOK_SECRET_KEY;
      await migrated.destroy();
      await withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
});
