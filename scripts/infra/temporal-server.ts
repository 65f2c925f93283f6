import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { cacheDir, progress } from './cache';
import { goInstall } from './go-install';
import { startPostgres, type PostgresServer } from './postgres';
import { freePort, freePortBetween, startProcess, waitForPort, type ManagedProcess } from './process';

/**
 * The production Temporal server (`go.temporal.io/server`), built from the Go module proxy with
 * `go install` and cached like the CLI, running on PostgreSQL: its own `temporal` and
 * `temporal_visibility` databases, set up by the server's SQL schema tool from the schemas
 * embedded in that binary. 1.32.2 needs Go ≥ 1.26.10; `GOTOOLCHAIN=auto` lets the go command
 * fetch that toolchain through the module proxy when the machine's Go is older.
 */
export const TEMPORAL_SERVER_VERSION = '1.32.2';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  readonly server: string;
  readonly sqlTool: string;
  /** The module's PostgreSQL schemas (`temporal/versioned`, `visibility/versioned`), copied beside the binaries. */
  readonly schemaDir: string;
  readonly source: 'cache' | 'go install';
}

/** Finds the cached build of the server and its SQL tool, or builds both with `go install`. */
export async function ensureTemporalServer(): Promise<TemporalServerBinaries> {
  const dir = cacheDir('temporal-server', TEMPORAL_SERVER_VERSION);
  const server = join(dir, 'server');
  const sqlTool = join(dir, 'sql');
  const schemaDir = join(dir, 'schema');
  const works = (bin: string) => existsSync(bin) && spawnSync(bin, ['--help']).status === 0;
  const schemaComplete = () => existsSync(join(schemaDir, 'visibility', 'versioned'));
  if (works(server) && works(sqlTool) && schemaComplete()) return { server, sqlTool, schemaDir, source: 'cache' };
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      `the Temporal server ${TEMPORAL_SERVER_VERSION} is built with Go, and no 'go' command was found: install Go, ` +
        `or leave TEMPORAL_ENGINE unset to use the dev server`,
    );
  }
  progress(
    'temporal-server',
    `building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with go install (cold: about 6 minutes on 2 cores)…`,
  );
  const staging = join(dir, 'staging');
  await goInstall(
    'temporal-server',
    'the Temporal server',
    [`${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`],
    staging,
    { GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' },
  );
  // The SQL tool embeds no PostgreSQL migrations: take them from the module the build just fetched.
  const modCache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
  const moduleSchema = join(modCache, `${MODULE}@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  rmSync(schemaDir, { recursive: true, force: true });
  cpSync(moduleSchema, join(staging, 'schema'), { recursive: true });
  chmodRecursive(join(staging, 'schema'));
  // Move into place only once all is complete, so a half build is never taken for a cached one.
  renameSync(join(staging, 'schema'), schemaDir);
  renameSync(join(staging, 'sql'), sqlTool);
  renameSync(join(staging, 'server'), server);
  rmSync(staging, { recursive: true, force: true });
  progress('temporal-server', `→ ${dir}`);
  return { server, sqlTool, schemaDir, source: 'go install' };
}

export interface TemporalServerOptions {
  /** Folder for the server's config, log and (embedded) PostgreSQL cluster. */
  readonly dataDir: string;
  /** Frontend gRPC port (default: a free one). */
  readonly port?: number;
  /** History shards: fixed for the life of the databases (default 4, TEMPORAL_HISTORY_SHARDS). */
  readonly historyShards?: number;
  /** A PostgreSQL to use (a role that may create databases); default TEMPORAL_DATABASE_URL, else an embedded one. */
  readonly databaseUrl?: string;
}

export interface TemporalServerProcess {
  readonly address: string;
  readonly source: TemporalServerBinaries['source'];
  /** The PostgreSQL the server keeps its state in. */
  readonly databaseUrl: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * Starts the Temporal server on PostgreSQL: TEMPORAL_DATABASE_URL (a role that may create
 * databases) when set, otherwise an embedded PostgreSQL of its own in `dataDir`, so that a drill
 * stopping the application's database does not stop Temporal's. Creates and migrates the two
 * databases, registers the `default` namespace, and resolves once the frontend answers.
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServerProcess> {
  const binaries = await ensureTemporalServer();
  mkdirSync(options.dataDir, { recursive: true });
  let postgres: PostgresServer | undefined;
  let databaseUrl = options.databaseUrl ?? process.env.TEMPORAL_DATABASE_URL;
  if (!databaseUrl) {
    postgres = await startPostgres({
      dataDir: join(options.dataDir, 'postgres'),
      database: 'postgres',
      ignoreDatabaseUrl: true,
    });
    databaseUrl = postgres.url;
  }
  const pg = new URL(databaseUrl);
  const connection = {
    host: pg.hostname,
    port: Number(pg.port || 5432),
    user: decodeURIComponent(pg.username),
    password: decodeURIComponent(pg.password),
  };
  setUpSchemas(binaries, connection, join(options.dataDir, 'schema.log'));

  // The server records each service's membership port in a smallint column: keep them below 32768.
  const low = () => freePortBetween(20_000, 32_000);
  const ports = {
    frontend: options.port ?? (await freePort()),
    frontendHttp: await freePort(),
    frontendMembership: await low(),
    history: await freePort(),
    historyMembership: await low(),
    matching: await freePort(),
    matchingMembership: await low(),
    worker: await freePort(),
    workerMembership: await low(),
    metrics: await freePort(),
  };
  const historyShards = options.historyShards ?? Number(process.env.TEMPORAL_HISTORY_SHARDS ?? 4);
  const dynamicConfig = join(options.dataDir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfig, DYNAMIC_CONFIG);
  const configFile = join(options.dataDir, 'temporal.yaml');
  writeFileSync(configFile, serverConfig({ connection, ports, historyShards, dynamicConfig }));

  const logFile = join(options.dataDir, 'temporal-server.log');
  const address = `127.0.0.1:${ports.frontend}`;
  const launch = async (): Promise<ManagedProcess> => {
    const proc = startProcess(
      'temporal-server',
      binaries.server,
      ['--config-file', configFile, '--allow-no-auth', 'start'],
      {
        logFile,
      },
    );
    await waitForPort(
      '127.0.0.1',
      ports.frontend,
      120_000,
      `Temporal server (log: ${logFile})`,
      () => proc.child.exitCode === null,
    );
    return proc;
  };
  let proc = await launch();
  await ensureNamespace(address, 'default');
  return {
    address,
    source: binaries.source,
    databaseUrl,
    async stop() {
      await proc.stop();
      await postgres?.stop();
    },
    async kill() {
      await proc.kill();
      await postgres?.stop();
    },
    async restart() {
      await proc.stop();
      proc = await launch();
    },
  };
}

/** Files in Go's module cache are read-only; the copy must be removable when the cache is rebuilt. */
function chmodRecursive(path: string): void {
  const stat = statSync(path);
  chmodSync(path, stat.isDirectory() ? 0o755 : 0o644);
  if (stat.isDirectory()) for (const entry of readdirSync(path)) chmodRecursive(join(path, entry));
}

interface SqlConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Creates `temporal` and `temporal_visibility` when missing and brings both to the binary's schema version. */
function setUpSchemas(binaries: TemporalServerBinaries, c: SqlConnection, logFile: string): void {
  const { sqlTool } = binaries;
  const base = ['--plugin', 'postgres12', '--ep', c.host, '-p', String(c.port), '-u', c.user, '--pw', c.password];
  const run = (args: string[]) => {
    const result = spawnSync(sqlTool, [...base, ...args], { encoding: 'utf8' });
    writeFileSync(logFile, `$ sql ${args.join(' ')}\n${result.stdout}${result.stderr}\n`, { flag: 'a' });
    return result;
  };
  for (const [database, schema] of [
    ['temporal', join(binaries.schemaDir, 'temporal', 'versioned')],
    ['temporal_visibility', join(binaries.schemaDir, 'visibility', 'versioned')],
  ] as const) {
    const created = run(['--db', database, 'create-database']);
    if (created.status !== 0 && !/already exists/.test(created.stdout + created.stderr)) {
      throw new Error(`the Temporal SQL tool could not create database ${database} (log: ${logFile})`);
    }
    // setup-schema -v 0.0 creates the versioning tables once; on a set-up database it reports that they exist.
    run(['--db', database, 'setup-schema', '-v', '0.0']);
    const updated = run(['--db', database, 'update-schema', '--schema-dir', schema]);
    if (updated.status !== 0) {
      throw new Error(`the Temporal SQL tool could not migrate ${database} to the server's schema (log: ${logFile})`);
    }
  }
}

/** The real server starts with no namespaces; the apps use `default` (retention: 3 days). */
async function ensureNamespace(address: string, namespace: string): Promise<void> {
  // The frontend listens before it is healthy ("Frontend is not healthy yet"): retry the first call.
  let connection: Connection | undefined;
  for (let attempt = 0; !connection; attempt++) {
    try {
      connection = await Connection.connect({ address, connectTimeout: '5s' });
    } catch (error) {
      if (attempt >= 60) throw new Error(`the Temporal server at ${address} did not become healthy: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs('3 days'),
        });
        break;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/already exists|AlreadyExists/i.test(message)) break;
        if (attempt >= 60) throw new Error(`the Temporal server did not accept namespace ${namespace}: ${message}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    // A new namespace reaches every frontend cache within seconds; wait until it answers.
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (error) {
        if (attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await connection.close();
  }
}

/** Dynamic config: namespaces reach the frontend at once; everything else stays at the server's defaults. */
const DYNAMIC_CONFIG = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
    constraints: {}
frontend.enableUpdateWorkflowExecution:
  - value: true
    constraints: {}
`;

function serverConfig(input: {
  connection: SqlConnection;
  ports: Record<
    | 'frontend'
    | 'frontendHttp'
    | 'frontendMembership'
    | 'history'
    | 'historyMembership'
    | 'matching'
    | 'matchingMembership'
    | 'worker'
    | 'workerMembership'
    | 'metrics',
    number
  >;
  historyShards: number;
  dynamicConfig: string;
}): string {
  const { connection: c, ports: p } = input;
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${c.host}:${c.port}`,
      connectProtocol: 'tcp',
      user: c.user,
      password: c.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  // JSON is YAML: the server reads this file with its YAML loader.
  return `${JSON.stringify(
    {
      log: { stdout: true, level: 'warn' },
      persistence: {
        defaultStore: 'postgres-default',
        visibilityStore: 'postgres-visibility',
        numHistoryShards: input.historyShards,
        datastores: {
          'postgres-default': store('temporal', 20),
          'postgres-visibility': store('temporal_visibility', 4),
        },
      },
      global: {
        membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
        metrics: {
          prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${p.metrics}` },
        },
      },
      services: {
        frontend: service(p.frontend, p.frontendMembership, { httpPort: p.frontendHttp }),
        history: service(p.history, p.historyMembership),
        matching: service(p.matching, p.matchingMembership),
        worker: service(p.worker, p.workerMembership),
      },
      clusterMetadata: {
        enableGlobalNamespace: false,
        failoverVersionIncrement: 10,
        masterClusterName: 'active',
        currentClusterName: 'active',
        clusterInformation: {
          active: {
            enabled: true,
            initialFailoverVersion: 1,
            rpcName: 'frontend',
            rpcAddress: `127.0.0.1:${p.frontend}`,
          },
        },
      },
      dcRedirectionPolicy: { policy: 'noop' },
      archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
      namespaceDefaults: {
        archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
      },
      dynamicConfigClient: { filepath: input.dynamicConfig, pollInterval: '10s' },
    },
    null,
    2,
  )}\n`;
}
