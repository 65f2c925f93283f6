/**
 * `npm run infra:prepare`: builds or downloads everything the infrastructure needs into the
 * cache outside the clone (Temporal CLI, Kafka jars, Temporal test server, schemathesis), with progress, so
 * the first `npm start` or `npm test` does not wait for it. Safe to run again: a complete cache
 * entry is reused in milliseconds.
 */
import { cacheDir, progress } from './cache';
import { ensureKafkaClasspath } from './kafka';
import { ensureSchemathesis } from './schemathesis';
import { ensureTemporalCli } from './temporal';
import { ensureTemporalTestServer } from './temporal-test-server';

async function main(): Promise<void> {
  const started = Date.now();
  progress('prepare', `cache: ${cacheDir()}`);
  const [cli, kafka, testServer, schemathesis] = await Promise.all([
    ensureTemporalCli(),
    ensureKafkaClasspath(),
    ensureTemporalTestServer(),
    ensureSchemathesis(),
  ]);
  progress('prepare', `Temporal CLI: ${cli ? `${cli.path} (${cli.source})` : 'none; the SDK will download it'}`);
  progress('prepare', `Kafka jars: ${kafka}`);
  progress('prepare', `Temporal test server: ${testServer}`);
  progress('prepare', `schemathesis: ${schemathesis}`);
  progress('prepare', `ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
