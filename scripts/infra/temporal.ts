import { existsSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cacheDir, progress } from './cache';
import { goInstall } from './go-install';
import { freePort, startProcess, waitForPort } from './process';
import { startTemporalServer, TEMPORAL_SERVER_VERSION } from './temporal-server';

/**
 * The Temporal CLI module that `go install` builds. 1.5.1 is the newest release whose go.mod has
 * no `replace` directive (later ones point at a nested module that `go install` cannot resolve).
 * It embeds Temporal Server 1.29 and UI 2.42; workflow updates are on by default.
 */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'cache' | 'go install' | 'sdk download';

export interface TemporalCli {
  readonly path: string;
  readonly source: TemporalCliSource;
}

/**
 * Finds or builds the Temporal CLI: the binary in TEMPORAL_CLI_PATH if given, else the cached
 * build, else `go install` into the cache. Returns undefined when none of these is possible (no Go
 * toolchain); the caller then falls back to the SDK's own download.
 */
export async function ensureTemporalCli(): Promise<TemporalCli | undefined> {
  const given = process.env.TEMPORAL_CLI_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`TEMPORAL_CLI_PATH=${given} does not exist; unset it to build the CLI`);
    return { path: given, source: 'TEMPORAL_CLI_PATH' };
  }
  const dir = cacheDir('temporal-cli', TEMPORAL_CLI_VERSION);
  const binary = join(dir, 'temporal');
  if (existsSync(binary) && spawnSync(binary, ['--version']).status === 0) return { path: binary, source: 'cache' };
  if (spawnSync('go', ['version']).status !== 0) return undefined;

  progress(
    'temporal',
    `building Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (cold: about 4 minutes on 2 cores)…`,
  );
  const staging = join(dir, 'staging');
  await goInstall(
    'temporal',
    'the Temporal CLI',
    [
      '-ldflags',
      `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
      `${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION}`,
    ],
    staging,
  );
  // Move into place only once complete, so an interrupted build is never mistaken for a cached one.
  renameSync(join(staging, 'temporal'), binary);
  rmSync(staging, { recursive: true, force: true });
  progress('temporal', `→ ${binary}`);
  return { path: binary, source: 'go install' };
}

export interface TemporalDevServer {
  /** host:port of the frontend gRPC service. */
  readonly address: string;
  readonly uiUrl: string;
  readonly source: TemporalCliSource;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** Stops and starts the server on the same ports and database file (state survives). */
  restart(): Promise<void>;
}

export interface TemporalDevServerOptions {
  /** SQLite file that keeps namespaces, workflows and timers across restarts. */
  readonly dbFile: string;
  readonly port?: number;
  readonly uiPort?: number;
  /** Serve the web UI (npm start) or not (tests). */
  readonly ui?: boolean;
}

/** Starts `temporal server start-dev` on 127.0.0.1, with its state in `dbFile`. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const cli = await ensureTemporalCli();
  if (!cli) return startWithSdkDownload(options, port, uiPort);

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    options.dbFile,
    '--log-level',
    'warn',
    ...(options.ui === false ? ['--headless'] : []),
  ];
  const logFile = `${options.dbFile}.log`;
  const launch = async () => {
    const proc = startProcess('temporal', cli.path, args, { logFile });
    await waitForPort(
      '127.0.0.1',
      port,
      60_000,
      `Temporal dev server (log: ${logFile})`,
      () => proc.child.exitCode === null,
    );
    return proc;
  };
  let proc = await launch();
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: options.ui === false ? '(headless)' : `http://127.0.0.1:${uiPort}`,
    source: cli.source,
    stop: () => proc.stop(),
    kill: () => proc.kill(),
    async restart() {
      await proc.stop();
      proc = await launch();
    },
  };
}

/** On a machine with internet and no Go: the SDK downloads and runs the CLI itself. */
async function startWithSdkDownload(
  options: TemporalDevServerOptions,
  port: number,
  uiPort: number,
): Promise<TemporalDevServer> {
  progress('temporal', 'no Go toolchain and no TEMPORAL_CLI_PATH: letting the Temporal SDK download the CLI…');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const create = () =>
    TestWorkflowEnvironment.createLocal({
      server: { ip: '127.0.0.1', port, uiPort, ui: options.ui !== false, dbFilename: options.dbFile },
    });
  let env = await create();
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: options.ui === false ? '(headless)' : `http://127.0.0.1:${uiPort}`,
    source: 'sdk download',
    stop: () => env.teardown(),
    kill: () => env.teardown(),
    async restart() {
      await env.teardown();
      env = await create();
    },
  };
}

/** Which Temporal the project's scripts start: the CLI dev server (quick default) or the real server on PostgreSQL. */
export type TemporalEngine = 'dev-server' | 'server';

/** TEMPORAL_ENGINE: `dev-server` (default) or `server`; anything else is refused with what to set. */
export function temporalEngine(env: NodeJS.ProcessEnv = process.env): TemporalEngine {
  const value = env.TEMPORAL_ENGINE?.trim() || 'dev-server';
  if (value === 'dev-server' || value === 'server') return value;
  throw new Error(
    `TEMPORAL_ENGINE=${value} is not known: set it to 'dev-server' (the Temporal CLI dev server, the default) ` +
      `or 'server' (the Temporal server on PostgreSQL)`,
  );
}

/** A Temporal service the scripts started, whichever engine. */
export interface TemporalService {
  readonly engine: TemporalEngine;
  /** host:port of the frontend gRPC service. */
  readonly address: string;
  readonly uiUrl: string;
  /** One line for the start-up banner: which engine and where it came from. */
  readonly description: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** Stops and starts the server on the same ports and state. */
  restart(): Promise<void>;
}

export interface TemporalServiceOptions {
  /** Folder for the engine's state (SQLite file, or config and PostgreSQL cluster). */
  readonly dataDir: string;
  readonly port?: number;
  readonly uiPort?: number;
  readonly ui?: boolean;
  readonly engine?: TemporalEngine;
  /** `server` only: the PostgreSQL it keeps its state in (default: TEMPORAL_DATABASE_URL, else its own embedded one). */
  readonly databaseUrl?: string;
}

/** Starts the engine TEMPORAL_ENGINE selects, with its state in `dataDir`. */
export async function startTemporal(options: TemporalServiceOptions): Promise<TemporalService> {
  const engine = options.engine ?? temporalEngine();
  if (engine === 'server') {
    const server = await startTemporalServer({
      dataDir: join(options.dataDir, 'temporal-server'),
      port: options.port,
      databaseUrl: options.databaseUrl,
    });
    return {
      engine,
      address: server.address,
      uiUrl: '(none: the Temporal server has no web UI; compose runs temporal-ui beside it)',
      description: `Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL (${server.source})`,
      stop: () => server.stop(),
      kill: () => server.kill(),
      restart: () => server.restart(),
    };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const dev = await startTemporalDevServer({
    dbFile: join(options.dataDir, 'temporal.sqlite'),
    port: options.port,
    uiPort: options.uiPort,
    ui: options.ui,
  });
  return { engine, ...dev, description: `dev server (CLI from ${dev.source})` };
}
