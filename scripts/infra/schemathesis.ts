import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, progress } from './cache';

/** Pinned: a fuzzer's checks change between releases, and CI must not change under us. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * The `st` executable of schemathesis (PyPI), installed into a virtualenv in the cache, outside
 * the clone. A venv without its completion marker (an install that was interrupted) is rebuilt.
 * Needs python3 with venv (Debian: python3-venv).
 */
export async function ensureSchemathesis(): Promise<string> {
  const dir = cacheDir(`schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = join(dir, 'venv', 'bin', 'st');
  const marker = join(dir, 'complete');
  if (existsSync(st) && existsSync(marker)) return st;
  rmSync(join(dir, 'venv'), { recursive: true, force: true });
  progress('schemathesis', `installing schemathesis ${SCHEMATHESIS_VERSION} into ${dir} (about a minute, once)`);
  const python = process.env.PYTHON ?? 'python3';
  await run(python, ['-m', 'venv', join(dir, 'venv')]);
  await run(join(dir, 'venv', 'bin', 'pip'), [
    'install',
    '--disable-pip-version-check',
    '--progress-bar',
    'off',
    `schemathesis==${SCHEMATHESIS_VERSION}`,
  ]);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  progress('schemathesis', 'installed');
  return st;
}

async function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code}); is python3-venv installed?`);
}

if (require.main === module) {
  ensureSchemathesis().then(
    (st) => process.stdout.write(`${st}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
