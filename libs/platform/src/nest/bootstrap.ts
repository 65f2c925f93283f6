import type { INestApplicationContext } from '@nestjs/common';
import { ConfigError } from '../config';
import { activeTracing } from '../tracing/tracing';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** Longest a shutdown may take before the process exits anyway (running activities, a relay batch). */
const SHUTDOWN_GRACE_MS = 25_000;

/**
 * Runs an app and owns its lifecycle:
 * - a configuration error prints its list of problems (no stack trace) and exits 78 (EX_CONFIG);
 * - any other start-up error exits 1;
 * - SIGINT/SIGTERM, even during start-up, closes the app (Nest shutdown hooks: stop polling,
 *   finish running activities, stop the relay, close pools) and exits 0.
 */
export function runApp(bootstrap: () => Promise<INestApplicationContext>): void {
  const started = bootstrap();
  let stopping = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      setTimeout(() => {
        process.stderr.write(`shutdown took longer than ${SHUTDOWN_GRACE_MS} ms; exiting anyway\n`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      started
        .then((app) => app.close())
        // The spans of the last requests and activities, still in the batch, go out before exit.
        .then(() => activeTracing()?.shutdown())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
  started.catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
