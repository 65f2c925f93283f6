/**
 * `npm run infra:prepare`: builds or downloads everything the infrastructure needs into the
 * cache outside the clone (Temporal CLI, Kafka jars, Temporal test server, schemathesis), with
 * progress, so the first `npm start` or `npm test` does not wait for it. With `--server` (or
 * TEMPORAL_ENGINE=server) it also builds the Temporal server and its SQL tool. Safe to run again:
 * a complete cache entry is reused in milliseconds.
 */
import { cacheDir, progress } from './cache';
import { ensureKafkaClasspath } from './kafka';
import { ensureSchemathesis } from './schemathesis';
import { ensureTemporalCli, temporalEngine } from './temporal';
import { ensureTemporalServer } from './temporal-server';
import { ensureTemporalTestServer } from './temporal-test-server';

async function main(): Promise<void> {
  const started = Date.now();
  progress('prepare', `cache: ${cacheDir()}`);
  const withServer = process.argv.includes('--server') || temporalEngine() === 'server';
  const [cli, kafka, testServer, schemathesis, server] = await Promise.all([
    ensureTemporalCli(),
    ensureKafkaClasspath(),
    ensureTemporalTestServer(),
    ensureSchemathesis(),
    withServer ? ensureTemporalServer() : Promise.resolve(undefined),
  ]);
  progress('prepare', `Temporal CLI: ${cli ? `${cli.path} (${cli.source})` : 'none; the SDK will download it'}`);
  progress('prepare', `Kafka jars: ${kafka}`);
  progress('prepare', `Temporal test server: ${testServer}`);
  progress('prepare', `schemathesis: ${schemathesis}`);
  if (server) progress('prepare', `Temporal server: ${server.server} (${server.source})`);
  progress('prepare', `ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
