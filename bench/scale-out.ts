/**
 * Scale-out: handovers driven through the HTTP API from requested to started (4 commands each,
 * `BENCH_CONCURRENCY` at a time) with one worker, then with two workers side by side on one
 * task queue, against the built api on the same PostgreSQL and Temporal dev server. Baselines in
 * the same run: a bare Temporal workflow taking 4 updates (for one worker), and one worker (for
 * two). On a machine whose cores the api, the worker, PostgreSQL and Temporal already share, a
 * second worker can only help where the worker is the bottleneck; the figure says whether it is.
 */
import { measureBare } from './handover-throughput';
import { callApi, expectStatus, RECEIVER, reportProblems, SENDER, startApps, tokenFor } from './support/apps';
import { withInfra } from './support/infra';
import { type BenchResult, phase, resultsAgainst } from './support/report';
import { intEnv, runConcurrently, scaled, summarize, summaryLine, timed } from './support/stats';

const NAME = 'scale-out';

interface Throughput {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

export async function run(): Promise<BenchResult[]> {
  const count = intEnv('BENCH_HANDOVERS', scaled(200, 8));
  const concurrency = intEnv('BENCH_CONCURRENCY', 8);
  const warmup = Math.min(concurrency * 2, count);
  phase(
    NAME,
    `${count} handovers, ${concurrency} at a time, with one worker and then two (after ${warmup} for warm-up)`,
  );
  return withInfra(NAME, { temporal: true, apps: true }, async (infra) => {
    const address = infra.temporal!.address;
    const one = await measure(infra.dir, infra.postgres.url, address, 1, count, concurrency, warmup);
    const two = await measure(infra.dir, infra.postgres.url, address, 2, count, concurrency, warmup);
    const bare = await measureBare(address, count, concurrency, warmup, 4);
    const againstBare = resultsAgainst(NAME, 'bare Temporal workflow: 4 updates, a no-op activity each, same server');
    const againstOne = resultsAgainst(NAME, 'one worker, same api, server and concurrency');
    return [
      againstBare(
        `handovers/s requested→started, one worker (${count}, concurrency ${concurrency})`,
        '/s',
        one.perSecond,
        bare.perSecond,
      ),
      againstOne(
        `handovers/s requested→started, two workers (${count}, concurrency ${concurrency})`,
        '/s',
        two.perSecond,
        one.perSecond,
      ),
      againstOne('command latency p50, two workers', 'ms', two.p50, one.p50),
      againstOne('command latency p99, two workers', 'ms', two.p99, one.p99),
    ];
  });
}

async function measure(
  logDir: string,
  databaseUrl: string,
  temporalAddress: string,
  workers: number,
  count: number,
  concurrency: number,
  warmup: number,
): Promise<Throughput> {
  const apps = await startApps(NAME, { databaseUrl, temporalAddress, apps: ['worker', 'api'], logDir, workers });
  try {
    const [sender, receiver] = await Promise.all([tokenFor(SENDER), tokenFor(RECEIVER)]);
    const oneHandover = async (i: number, latencies: number[]) => {
      const requested = await timed(latencies, () =>
        callApi(apps.baseUrl, sender, 'POST', '/handovers', {
          childIds: [`bench-scale-${workers}-${i}-${Date.now()}`],
          toOrg: RECEIVER,
          reason: 'family-moved',
          deadlines: { receipt: 1, start: 10 },
        }),
      );
      expectStatus(requested, 201, 'POST /handovers');
      const { handoverId: id } = requested.body as { handoverId: string };
      for (const [path, body] of [
        [`/handovers/${id}/receipt`, {}],
        [`/handovers/${id}/acceptance`, { plannedStartDate: new Date().toISOString().slice(0, 10) }],
        [`/handovers/${id}/start-confirmation`, {}],
      ] as const) {
        const answer = await timed(latencies, () => callApi(apps.baseUrl, receiver, 'POST', path, body));
        expectStatus(answer, 200, `POST ${path}`);
      }
    };
    phase(NAME, `${workers} worker(s): warm-up, ${warmup} handovers`);
    await runConcurrently(warmup, concurrency, (i) => oneHandover(-1 - i, []));
    const latencies: number[] = [];
    const { wallMs } = await runConcurrently(count, concurrency, (i) => oneHandover(i, latencies));
    const summary = summarize(latencies);
    const perSecond = count / (wallMs / 1000);
    phase(NAME, `${workers} worker(s): ${perSecond.toFixed(1)} handovers/s; commands ${summaryLine(summary)}`);
    reportProblems(NAME, apps);
    return { perSecond, p50: summary.p50, p99: summary.p99 };
  } finally {
    await apps.stop();
  }
}
