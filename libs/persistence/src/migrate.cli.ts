/**
 * `npm run migrate` (and the compose `migrate` job): the one-shot step that migrates the schema
 * as its owner and then grants the runtime roles their privileges (see database-roles.ts).
 * Connects to MIGRATION_DATABASE_URL, else DATABASE_URL (single-role mode: that role owns
 * everything and the apps migrate at start as before). The runtime roles are named by
 * DATABASE_APP_ROLE and DATABASE_NOTIFIER_ROLE; when they do not exist, nothing is granted.
 */
import { createDataSource, migrate } from './data-source';
import { DEFAULT_RUNTIME_ROLES, existingRoles, grantRuntime, type RuntimeRoles } from './database-roles';

async function main(): Promise<number> {
  const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(
      'migrate: set MIGRATION_DATABASE_URL (the owner role of the schema) or DATABASE_URL to a postgres:// URL\n',
    );
    return 78;
  }
  const roles: RuntimeRoles = {
    app: process.env.DATABASE_APP_ROLE || DEFAULT_RUNTIME_ROLES.app,
    notifier: process.env.DATABASE_NOTIFIER_ROLE || DEFAULT_RUNTIME_ROLES.notifier,
  };
  const dataSource = createDataSource({ url, poolSize: 2, applicationName: 'warm-handover-migrate' });
  try {
    await dataSource.initialize();
    const applied = await migrate(dataSource);
    process.stdout.write(`migrate: ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'schema is current'}\n`);
    const present = await existingRoles(dataSource, roles);
    if (present.length === 2) {
      await grantRuntime(dataSource, roles);
      process.stdout.write(`migrate: granted ${roles.app} and ${roles.notifier} their privileges\n`);
    } else {
      process.stdout.write(
        `migrate: roles ${roles.app} and ${roles.notifier} do not both exist; nothing granted (single-role mode)\n`,
      );
    }
    return 0;
  } catch (error) {
    const { hostname, port, pathname, username } = new URL(url);
    process.stderr.write(
      `migrate: failed against ${username}@${hostname}:${port || 5432}${pathname}: ${(error as Error).message}\n` +
        'Check that the URL names the owner of the schema and that the server is reachable.\n',
    );
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

void main().then((code) => process.exit(code));
