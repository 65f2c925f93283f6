import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Compiles every workspace package (incremental; seconds when nothing changed). */
export async function buildProject(): Promise<void> {
  const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const [code] = (await once(tsc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the TypeScript build failed (exit ${code}); see the errors above`);
}

/** The apps under apps/, each built to apps/<name>/dist/main.js. */
export type AppName = 'api' | 'worker' | 'notifier';

export interface AppProcess {
  readonly name: AppName;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs a built app (`apps/<name>/dist/main.js`) with the given environment. Each log line goes
 * to `onLine`, so the caller decides how a person sees it.
 */
export function startApp(name: AppName, env: NodeJS.ProcessEnv, onLine: (line: string) => void): AppProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', join(ROOT, 'apps', name, 'dist', 'main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a Ctrl-C reaches only this script, which stops the apps in order.
    detached: true,
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  const exited = once(child, 'exit').then(() => process.removeListener('exit', killOnExit));
  return {
    name,
    child,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls GET url until it answers 200, or fails after `timeoutMs` (or when the app exits). */
export async function waitForHttp(url: string, timeoutMs: number, app?: AppProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (app && app.child.exitCode !== null)
      throw new Error(`${app.name} exited with ${app.child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}
