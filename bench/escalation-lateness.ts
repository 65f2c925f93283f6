/**
 * Escalation lateness: many open handovers whose receipt deadlines fall in the same minute
 * (DEMO_MODE durations), against the built api + worker with the outbox relay on a real Kafka.
 * Lateness of each handover's first HandoverEscalated (a) in the store (recorded_at) and (b) at a
 * Kafka consumer of warm-handover.handover.v1, from its receiptDueAt. Baseline: the same number
 * of bare Temporal timers due in the same kind of minute, each followed by a no-op activity that
 * notes when it ran.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import { Client as PgClient } from 'pg';
import { topicForCategory } from '@warm-handover/contracts';
import type { bareTimerWorkflow } from './bare.workflows';
import {
  callApi,
  commandsRetriedAfter503,
  reportProblems,
  expectStatus,
  RECEIVER,
  SENDER,
  startApps,
  tokenFor,
} from './support/apps';
import { startBareWorker } from './support/bare-worker';
import { describeProfiles, profileTimer, type TimerProfile } from './support/history';
import { type CpuShare, sampleCpuShare } from './support/cpu-share';
import { withInfra } from './support/infra';
import { type BenchResult, phase, resultsAgainst } from './support/report';
import { intEnv, runConcurrently, scaled, summarize, type Summary, summaryLine } from './support/stats';

const NAME = 'escalation-lateness';
const WINDOW_MS = 60_000;
const TOPIC = topicForCategory('handover');

export async function run(): Promise<BenchResult[]> {
  const count = intEnv('BENCH_ESCALATIONS', scaled(2000, 20));
  const concurrency = intEnv('BENCH_CONCURRENCY', 8);
  const timeoutMs = intEnv('BENCH_ESCALATION_TIMEOUT_S', 300) * 1000;
  // BENCH_WORKERS: workers side by side on the task queue (one worker against two: run it twice).
  const workers = intEnv('BENCH_WORKERS', 1);
  phase(
    NAME,
    `${count} handovers with receipt deadlines in one minute; created ${concurrency} at a time; ${workers} worker(s)`,
  );
  // BENCH_ESCALATION_PARTS=bare (or service) runs one side alone, to find a server's or a worker's
  // ceiling quickly; the ratios need both, so a run of one part prints its figures and no table.
  const parts = (process.env.BENCH_ESCALATION_PARTS ?? 'service,bare').split(',').map((p) => p.trim());
  return withInfra(NAME, { temporal: true, kafka: true, apps: true }, async (infra) => {
    const address = infra.temporal!.address;
    const service = parts.includes('service')
      ? await measureService(
          infra.dir,
          infra.postgres.url,
          address,
          infra.kafka!.brokers,
          count,
          concurrency,
          timeoutMs,
          workers,
        )
      : undefined;
    const bare = parts.includes('bare') ? await measureBare(address, count, concurrency, timeoutMs) : undefined;
    if (!service || !bare) {
      phase(NAME, `only ${parts.join(', ')} measured (BENCH_ESCALATION_PARTS): no ratios`);
      return [];
    }
    const result = resultsAgainst(
      NAME,
      `bare Temporal timers (sleep until due, then a no-op activity noting Date.now()), ${count} due in one minute`,
    );
    return [
      result(
        `store: escalation recorded_at − receiptDueAt, p50 (${service.store.count}/${count}, ${workers} worker(s)${restarted(service.restarts)})`,
        'ms',
        service.store.p50,
        bare.p50,
      ),
      result('store: escalation lateness p99', 'ms', service.store.p99, bare.p99),
      result('store: escalation lateness max', 'ms', service.store.max, bare.max),
      result(
        `Kafka: escalation arrival − receiptDueAt, p50 (${service.kafka.count}/${count})`,
        'ms',
        service.kafka.p50,
        bare.p50,
      ),
      result('Kafka: escalation lateness p99', 'ms', service.kafka.p99, bare.p99),
      result('Kafka: escalation lateness max', 'ms', service.kafka.max, bare.max),
    ];
  });
}

/**
 * Creates `count` things due one after another across a minute that opens once all of them can
 * have been created: a pilot of `pilot`s (which must not fall due; the first round only warms up)
 * measures the creation rate. `create` returns the instant the thing is actually due.
 */
async function createDueInOneMinute(
  label: string,
  count: number,
  concurrency: number,
  pilot: (i: number) => Promise<void>,
  create: (i: number, dueAt: number) => Promise<number>,
  afterPilot: () => Promise<void> = () => Promise.resolve(),
): Promise<{ windowStart: number; dues: number[] }> {
  await runConcurrently(concurrency, concurrency, (i) => pilot(1000 + i));
  const pilots = Math.min(concurrency * 3, 60);
  const { wallMs } = await runConcurrently(pilots, concurrency, pilot);
  await afterPilot();
  // BENCH_<LABEL>_CREATION_RATE (per second) replaces the pilot's rate when a busy machine skews it.
  const perSecond = Number(process.env[`BENCH_${label.toUpperCase()}_CREATION_RATE`]) || pilots / (wallMs / 1000);
  // Room for the creation rate to sag under load (BENCH_CREATION_MARGIN_PCT; on a busy shared
  // machine it sags by a third), plus time for things to settle before the minute opens.
  const leadMs = (count / perSecond) * 1000 * (intEnv('BENCH_CREATION_MARGIN_PCT', 125) / 100) + 15_000;
  const windowStart = Date.now() + leadMs;
  phase(
    NAME,
    `${label}: pilot created ${perSecond.toFixed(1)}/s; the minute opens in ${Math.round(leadMs / 1000)} s; creating ${count}`,
  );
  const dues: number[] = new Array<number>(count);
  let created = 0;
  const ticker = setInterval(() => phase(NAME, `${label}: created ${created}/${count}`), 30_000);
  const { wallMs: creationMs } = await runConcurrently(count, concurrency, async (i) => {
    dues[i] = await create(i, windowStart + (WINDOW_MS * i) / count);
    created += 1;
  }).finally(() => clearInterval(ticker));
  const spare = Math.round((windowStart - Date.now()) / 1000);
  const outside = dues.filter((d) => d < windowStart || d >= windowStart + WINDOW_MS + 1_000).length;
  phase(
    NAME,
    `${label}: created ${count} in ${Math.round(creationMs / 1000)} s (${(count / (creationMs / 1000)).toFixed(1)}/s); ` +
      `${spare >= 0 ? `${spare} s before the minute opens` : `${-spare} s into the minute`}` +
      (outside > 0 ? `; ${outside} deadlines fell outside the minute` : ''),
  );
  return { windowStart, dues };
}

/** Waits until `finished()` or the minute plus `timeoutMs` has passed, saying `done()` every 10 s. */
async function waitForAll(
  label: string,
  windowStart: number,
  timeoutMs: number,
  done: () => Promise<string>,
  finished: () => Promise<boolean>,
): Promise<void> {
  const deadline = windowStart + WINDOW_MS + timeoutMs;
  let lastLine = 0;
  // Where the cores went from the minute's opening until everything came (or the wait ended).
  let cpu: CpuShare | undefined;
  const cpuLine = () => cpu && phase(NAME, `${label}: CPU ${cpu.stop()}`);
  while (Date.now() < deadline) {
    if (Date.now() > windowStart) {
      cpu ??= sampleCpuShare();
      if (await finished()) {
        cpuLine();
        return;
      }
    }
    if (Date.now() - lastLine >= 10_000) {
      lastLine = Date.now();
      const t = Math.round((Date.now() - windowStart) / 1000);
      phase(NAME, `${label}: ${t < 0 ? `minute opens in ${-t} s` : `${t} s after the minute opened`}; ${await done()}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  phase(NAME, `${label}: gave up waiting ${Math.round(timeoutMs / 1000)} s after the minute; ${await done()}`);
  cpuLine();
}

interface ServiceMeasured {
  readonly store: Summary;
  readonly kafka: Summary;
  /** Unexpected exits of the api or worker (each started again, as in production). */
  readonly restarts: number;
}

const restarted = (n: number) => (n > 0 ? `; the apps crashed and were restarted ${n}×` : '');

async function measureService(
  logDir: string,
  databaseUrl: string,
  temporalAddress: string,
  brokers: string,
  count: number,
  concurrency: number,
  timeoutMs: number,
  workers: number,
): Promise<ServiceMeasured> {
  const apps = await startApps(NAME, {
    databaseUrl,
    temporalAddress,
    kafkaBrokers: brokers,
    apps: ['worker', 'api'],
    workers,
    logDir,
    env: { DEMO_MODE: 'true' },
  });
  const kafka = new Kafka({ clientId: 'bench-escalation-reader', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  const pg = new PgClient({ connectionString: databaseUrl });
  try {
    await pg.connect();
    const token = await tokenFor(SENDER);
    const runId = randomUUID().slice(0, 8);
    const request = async (i: number, receipt: string) => {
      // Without a case id the request registers a new case; the service issues its id.
      const answer = await callApi(apps.baseUrl, token, 'POST', '/handovers', {
        childIds: [`bench-${runId}-${i}-child`],
        toOrg: RECEIVER,
        reason: 'family-moved',
        // Only the receipt deadline falls in the minute; the next escalation would come 12 h later.
        deadlines: { receipt, start: 'PT12H', escalationInterval: 'PT12H' },
      });
      expectStatus(answer, 201, 'POST /handovers');
      return answer.body as { handoverId: string; deadlines: { receiptDueAt: string } };
    };

    // Arrivals of first escalations at a consumer of the relay's topic, by handover id.
    const arrivals = new Map<string, number>();
    const subscribe = async () => {
      const admin = kafka.admin();
      await admin.connect();
      for (let tries = 0; !(await admin.listTopics()).includes(TOPIC); tries++) {
        if (tries > 120) throw new Error(`the relay never created ${TOPIC}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await admin.disconnect();
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          const arrived = Date.now();
          if (message.headers?.['event-type']?.toString() === 'HandoverEscalated') {
            const { data } = JSON.parse(message.value!.toString()) as { data: { handoverId: string } };
            if (!arrivals.has(data.handoverId)) arrivals.set(data.handoverId, arrived);
          }
          return Promise.resolve();
        },
      });
    };

    const dueById = new Map<string, number>();
    const { windowStart } = await createDueInOneMinute(
      'service',
      count,
      concurrency,
      async (i) => {
        await request(-1 - i, 'PT6H');
      },
      async (i, dueAt) => {
        const seconds = Math.max(1, (dueAt - Date.now()) / 1000);
        const view = await request(i, `PT${seconds.toFixed(3)}S`);
        const due = Date.parse(view.deadlines.receiptDueAt);
        dueById.set(view.handoverId, due);
        return due;
      },
      subscribe,
    );

    const ids = [...dueById.keys()];
    const escalatedCount = async () =>
      Number(
        (
          await pg.query<{ n: string }>(
            `SELECT count(DISTINCT stream_id) AS n FROM events WHERE event_type = 'HandoverEscalated'`,
          )
        ).rows[0]!.n,
      );
    await waitForAll(
      'service',
      windowStart,
      timeoutMs,
      async () => `${await escalatedCount()}/${count} escalations in the store, ${arrivals.size}/${count} on Kafka`,
      async () => (await escalatedCount()) >= count && arrivals.size >= count,
    );

    const rows = (
      await pg.query<{ id: string; escalated_at: Date }>(
        `SELECT r.data->>'handoverId' AS id, min(e.recorded_at) AS escalated_at
           FROM events r JOIN events e ON e.stream_id = r.stream_id AND e.event_type = 'HandoverEscalated'
          WHERE r.event_type = 'HandoverRequested' AND r.data->>'handoverId' = ANY($1)
          GROUP BY 1`,
        [ids],
      )
    ).rows;
    const storeLateness = rows.map((r) => r.escalated_at.getTime() - dueById.get(r.id)!);
    const kafkaLateness = [...arrivals].filter(([id]) => dueById.has(id)).map(([id, at]) => at - dueById.get(id)!);
    const recordedById = new Map(rows.map((r) => [r.id, r.escalated_at.getTime()]));
    const relayLag = [...arrivals].filter(([id]) => recordedById.has(id)).map(([id, at]) => at - recordedById.get(id)!);
    const measured = { store: summarize(storeLateness), kafka: summarize(kafkaLateness), restarts: apps.restarts() };
    phase(
      NAME,
      `service: store lateness ${summaryLine(measured.store)}; requests answered 503 and retried: ${commandsRetriedAfter503()}`,
    );
    phase(
      NAME,
      `service: Kafka lateness ${summaryLine(measured.kafka)}; relay part (arrival − recorded_at) ${summaryLine(summarize(relayLag))}`,
    );

    // Where the time went, by the Temporal server's own clock, for the latest handovers and a sample.
    const temporal = await Connection.connect({ address: temporalAddress });
    try {
      const client = new Client({ connection: temporal });
      const byLateness = rows
        .map((r) => ({ id: r.id, late: r.escalated_at.getTime() - dueById.get(r.id)! }))
        .sort((a, b) => a.late - b.late);
      await profileSample('service', client, byLateness, (id) => `handover-${id}`, dueById);
    } finally {
      await temporal.close();
    }
    reportProblems(NAME, apps);
    return measured;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await pg.end().catch(() => undefined);
    await apps.stop();
  }
}

/** Profiles the 10 latest and 10 around the median, and prints the mean of each part. */
async function profileSample(
  label: string,
  client: Client,
  byLateness: readonly { id: string; late: number }[],
  workflowId: (id: string) => string,
  dueById: ReadonlyMap<string, number>,
): Promise<void> {
  const mid = Math.floor(byLateness.length / 2);
  const samples = { median: byLateness.slice(Math.max(0, mid - 5), mid + 5), latest: byLateness.slice(-10) };
  for (const [which, sample] of Object.entries(samples)) {
    const profiles: TimerProfile[] = [];
    for (const { id } of sample) {
      const p = await profileTimer(client, workflowId(id), dueById.get(id)!).catch(() => undefined);
      if (p) profiles.push(p);
    }
    phase(NAME, `${label}: profile of the ${which} 10: ${describeProfiles(profiles)}`);
  }
}

async function measureBare(address: string, count: number, concurrency: number, timeoutMs: number): Promise<Summary> {
  const firedAt = new Map<string, number>();
  const worker = await startBareWorker(NAME, address, {
    noop: () => Promise.resolve(),
    fired: ({ id }) => {
      if (!firedAt.has(id)) firedAt.set(id, Date.now());
      return Promise.resolve();
    },
  });
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const runId = randomUUID().slice(0, 8);
    const dueById = new Map<string, number>();
    const start = (id: string, dueAt: number) =>
      client.workflow.start<typeof bareTimerWorkflow>('bareTimerWorkflow', {
        taskQueue: worker.taskQueue,
        workflowId: id,
        args: [{ id, dueAt }],
      });
    const { windowStart } = await createDueInOneMinute(
      'bare',
      count,
      concurrency,
      async (i) => {
        await start(`bare-pilot-${runId}-${i}`, Date.now() + 6 * 3600_000);
      },
      async (i, dueAt) => {
        const id = `bare-timer-${runId}-${i}`;
        await start(id, dueAt);
        dueById.set(id, dueAt);
        return dueAt;
      },
    );
    await waitForAll(
      'bare',
      windowStart,
      timeoutMs,
      () => Promise.resolve(`${firedAt.size}/${count} timers followed up`),
      () => Promise.resolve(firedAt.size >= count),
    );
    const lateness = [...firedAt].filter(([id]) => dueById.has(id)).map(([id, at]) => at - dueById.get(id)!);
    const measured = summarize(lateness);
    phase(NAME, `bare: lateness ${summaryLine(measured)}`);
    const byLateness = [...firedAt]
      .filter(([id]) => dueById.has(id))
      .map(([id, at]) => ({ id, late: at - dueById.get(id)! }))
      .sort((a, b) => a.late - b.late);
    await profileSample('bare', client, byLateness, (id) => id, dueById);
    return measured;
  } finally {
    await connection.close();
    await worker.stop();
  }
}
