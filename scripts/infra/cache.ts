import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

/**
 * Everything the project builds or downloads for its infrastructure (Temporal CLI, Kafka jars,
 * the Temporal test server) lives here, outside the clone, so a second run starts in seconds.
 * Override with WARM_HANDOVER_CACHE; a missing or partial entry is rebuilt, never assumed.
 */
export function cacheDir(...parts: string[]): string {
  const root =
    process.env.WARM_HANDOVER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'warm-handover');
  const dir = join(root, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Prints a progress line for long-running provisioning steps. */
export function progress(component: string, message: string): void {
  process.stderr.write(`[infra:${component}] ${message}\n`);
}
