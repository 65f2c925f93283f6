import { ConfigError } from '../config';

/**
 * Runs an app's bootstrap; a configuration error prints its list of problems (no stack trace)
 * and exits with status 78 (EX_CONFIG), anything else exits 1.
 */
export function runApp(bootstrap: () => Promise<void>): void {
  bootstrap().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
