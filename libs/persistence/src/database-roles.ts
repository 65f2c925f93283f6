import type { DataSource } from 'typeorm';

/**
 * The database keeps its own promises, whatever an app's code does (issue 16, item 5). The owner
 * role (MIGRATION_DATABASE_URL) owns every table and runs the migrations, once, in
 * `npm run migrate`; the apps connect as runtime roles that may only do what they need:
 *
 * - `app` (the api and the worker): read and append events, never UPDATE, DELETE or TRUNCATE
 *   them, nor disable their triggers (only an owner may ALTER a table); append to the read access
 *   log but never change it; write webhook secrets (the api issues them) but not read them back;
 *   read and write the operational tables (idempotency keys, sessions, checkpoints).
 * - `notifier`: what `app` may, and read webhook secrets, to sign deliveries.
 *
 * The roles themselves are made by whoever runs the server (they hold passwords); `grantRuntime`
 * gives them exactly these privileges and is run after every migration, so a table a new
 * migration adds is covered. Nothing is granted to PUBLIC.
 */
export interface RuntimeRoles {
  readonly app: string;
  readonly notifier: string;
}

export const DEFAULT_RUNTIME_ROLES: RuntimeRoles = { app: 'warm_handover_app', notifier: 'warm_handover_notifier' };

/** Append-only: the runtime roles may add rows and read them, nothing else. */
const APPEND_ONLY_TABLES = ['events', 'read_access_log'];
const SECRETS_TABLE = 'contact_point_secrets';

/** Grants the runtime roles their privileges; idempotent. Run as the owner of the tables. */
export async function grantRuntime(dataSource: DataSource, roles: RuntimeRoles = DEFAULT_RUNTIME_ROLES): Promise<void> {
  const both = `${ident(roles.app)}, ${ident(roles.notifier)}`;
  const tables: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  await dataSource.transaction(async (tx) => {
    await tx.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    // Issues and rotates a webhook secret without reading it (migration 1732281330000).
    await tx.query(`GRANT EXECUTE ON FUNCTION issue_contact_point_secret TO ${both}`);
    await tx.query(`GRANT USAGE ON SCHEMA public TO ${both}`);
    await tx.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${both}`);
    for (const { table_name: name } of tables) {
      const table = ident(name);
      await tx.query(`REVOKE ALL ON ${table} FROM PUBLIC, ${both}`);
      if (APPEND_ONLY_TABLES.includes(name)) {
        await tx.query(`GRANT SELECT, INSERT ON ${table} TO ${both}`);
      } else if (name === SECRETS_TABLE) {
        // The api issues and replaces secrets and asks whether one exists; only the notifier reads them.
        await tx.query(`GRANT INSERT, UPDATE, DELETE ON ${table} TO ${both}`);
        await tx.query(`GRANT SELECT (contact_point_id, organisation) ON ${table} TO ${ident(roles.app)}`);
        await tx.query(`GRANT SELECT ON ${table} TO ${ident(roles.notifier)}`);
      } else if (name === 'schema_migrations') {
        // The apps check at start that the schema is current; only the owner migrates.
        await tx.query(`GRANT SELECT ON ${table} TO ${both}`);
      } else {
        await tx.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${both}`);
      }
    }
  });
}

/** Which of the runtime roles exist on this server. */
export async function existingRoles(
  dataSource: DataSource,
  roles: RuntimeRoles = DEFAULT_RUNTIME_ROLES,
): Promise<string[]> {
  const rows: { rolname: string }[] = await dataSource.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [
    [roles.app, roles.notifier],
  ]);
  return rows.map((r) => r.rolname);
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain PostgreSQL name: ${name}`);
  return `"${name}"`;
}
