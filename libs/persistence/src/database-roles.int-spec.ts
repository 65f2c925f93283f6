import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase, withClient } from '../../../test/support/database';
import { testEvent } from '../../../test/support/events';
import { ContactPointSecretStore } from './contact-points/contact-point-secrets';
import { createDataSource, migrate } from './data-source';
import { grantRuntime, type RuntimeRoles } from './database-roles';
import { EventStore } from './event-store/event-store';

const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * The runtime roles against real PostgreSQL: what the apps' connections may do is decided by the
 * server, not by the apps' code. Roles are cluster-wide, so each run names its own.
 */
describe('runtime database roles', () => {
  const suffix = randomBytes(4).toString('hex');
  const roles: RuntimeRoles = { app: `wh_app_${suffix}`, notifier: `wh_notifier_${suffix}` };
  const password = randomBytes(12).toString('hex');
  let db: TestDatabase;
  const urlAs = (role: string) => {
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    return url.toString();
  };
  const adminUrl = () => {
    const url = new URL(db.url);
    url.pathname = '/postgres';
    return url.toString();
  };
  /** The SQLSTATE of a statement run as `role`, or 'ok'. */
  const attempt = (role: string, sql: string) =>
    withClient(urlAs(role), (c) => c.query(sql)).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? String(error),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await withClient(adminUrl(), async (c) => {
      for (const role of [roles.app, roles.notifier]) await c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    });
    await grantRuntime(db.dataSource, roles);
  });
  afterAll(async () => {
    await db?.drop();
    await withClient(adminUrl(), async (c) => {
      for (const role of [roles.app, roles.notifier]) await c.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it('given the app role, when it starts (checks the schema is current) and appends and reads events, then that works', async () => {
    const dataSource = createDataSource({ url: urlAs(roles.app), poolSize: 2 });
    await dataSource.initialize();
    try {
      expect(await migrate(dataSource)).toEqual([]);
      const store = new EventStore(dataSource);
      await store.append('handover-roles', [testEvent('Tick', { n: 1 })]);
      await store.append('handover-roles', [testEvent('Tick', { n: 2 })]);
      expect((await store.readStream('handover-roles')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it.each([
    ['UPDATE', `UPDATE events SET data = '{}'::jsonb`],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
    ['ALTER TABLE … DISABLE TRIGGER', 'ALTER TABLE events DISABLE TRIGGER ALL'],
    ['session_replication_role = replica (skips triggers)', 'SET session_replication_role = replica'],
    ['UPDATE of the access log', `UPDATE read_access_log SET subject = 'someone'`],
    ['DELETE from the access log', 'DELETE FROM read_access_log'],
    ['CREATE TABLE', 'CREATE TABLE shadow_events (id int)'],
  ])(
    'given the app or notifier role, when it tries %s, then PostgreSQL refuses for lack of privilege',
    async (_what, sql) => {
      expect(await attempt(roles.app, sql)).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await attempt(roles.notifier, sql)).toBe(INSUFFICIENT_PRIVILEGE);
    },
  );

  const KEY = 'a-webhook-secret-key-for-this-test-only-0123456789';

  it('given a webhook secret, when the app role reads it, then refused; it may issue one and ask whether one exists; the notifier role reads it', async () => {
    const contactPointId = '6f1f5a2e-8d8b-4c53-9a55-0c6b7a0e3b11';
    const asApp = createDataSource({ url: urlAs(roles.app), poolSize: 1 });
    const asNotifier = createDataSource({ url: urlAs(roles.notifier), poolSize: 1 });
    await Promise.all([asApp.initialize(), asNotifier.initialize()]);
    try {
      const issued = await new ContactPointSecretStore(asApp, KEY).issue(contactPointId, 'vt-kennemerland');
      await new ContactPointSecretStore(asApp, KEY).issue(contactPointId, 'vt-kennemerland'); // a rotation replaces it
      expect(await new ContactPointSecretStore(asApp, KEY).has(contactPointId)).toBe(true);

      expect(await attempt(roles.app, 'SELECT secret FROM contact_point_secrets')).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await attempt(roles.app, 'SELECT * FROM contact_point_secrets')).toBe(INSUFFICIENT_PRIVILEGE);
      await expect(new ContactPointSecretStore(asApp, KEY).secretOf(contactPointId)).rejects.toMatchObject({
        code: INSUFFICIENT_PRIVILEGE,
      });

      expect(await attempt(roles.notifier, 'SELECT secret FROM contact_point_secrets')).toBe('ok');
      const read = await new ContactPointSecretStore(asNotifier, KEY).secretOf(contactPointId);
      expect(read).toMatch(/^whsec_/);
      expect(read).not.toBe(issued);
    } finally {
      await Promise.all([asApp.destroy(), asNotifier.destroy()]);
    }
  });
});
