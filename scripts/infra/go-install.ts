import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { progress } from './cache';

/**
 * `go install <args>` into a fresh `staging` folder (GOBIN), with a progress line every 15 s and
 * the go command's last output line as it comes; rejects with the tail of its output. The caller
 * moves the binaries into the cache only once this resolves, so a half build is never cached.
 */
export async function goInstall(
  component: string,
  what: string,
  args: readonly string[],
  staging: string,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', ...args], {
      env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tick = setInterval(
      () => progress(component, `still building… ${Math.round((Date.now() - started) / 1000)} s`),
      15_000,
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
      const lines = d.toString().trim().split('\n');
      const last = lines[lines.length - 1];
      if (last) progress(component, last);
    });
    child.once('exit', (code) => {
      clearInterval(tick);
      if (code === 0) resolve();
      else reject(new Error(`go install of ${what} failed (exit ${code}):\n${output.slice(-2000)}`));
    });
  });
  progress(component, `built ${what} in ${Math.round((Date.now() - started) / 1000)} s`);
}
