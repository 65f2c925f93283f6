/**
 * Reconstruction: a store of 1,000,000 events (loaded with COPY) in which one case has 1,000
 * events of 25 handovers; p50/p99 of reading that case (EventStore.readCase) and computing who
 * was responsible at a moment T (responsibilityTimeline + responsibleAt), and of the same over
 * HTTP (GET /cases/{caseId}/responsibility?at=). Baseline: a bare SELECT of the 1,000 rows of one
 * stream of the same store, by stream id.
 */
import { Client } from 'pg';
import { type HandoverEvent, responsibilityTimeline, responsibleAt } from '@warm-handover/domain';
import { createDataSource, EventStore, HashChain, microsecondTime, migrate } from '@warm-handover/persistence';
import { callApi, expectStatus, SENDER, startApps, tokenFor } from './support/apps';
import { copyFrom, copyText } from './support/copy-from';
import { profileHere } from './support/cpu-profile';
import {
  escalationSteps,
  type HandoverPlan,
  newEvent,
  newPlan,
  type Step,
  streamOf,
  TYPICAL_LIFE,
} from './support/handover-events';
import { withInfra } from './support/infra';
import { type BenchResult, phase } from './support/report';
import { intEnv, scaled, summarize, summaryLine, timed } from './support/stats';

const NAME = 'reconstruction';
const CASE_ID = 'case-reconstruction-target';
const CASE_EVENTS = 1000;
const CASE_HANDOVERS = 25;
const LONG_STREAM_CASE = 'case-reconstruction-long-stream';
const COLUMNS = 'global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at';
const YEARS_2 = 2 * 365 * 24 * 3600_000;
const REGIONS = ['vt-utrecht', 'vt-haaglanden', 'vt-twente', 'vt-groningen', 'vt-zeeland', 'vt-flevoland'];

export async function run(): Promise<BenchResult[]> {
  const total = intEnv('BENCH_EVENTS', scaled(1_000_000, 20 * CASE_EVENTS));
  const samples = intEnv('BENCH_SAMPLES', 200);
  const overHttp = process.env.BENCH_HTTP !== '0';
  phase(NAME, `${total} events; ${samples} samples of each read${overHttp ? ', also over HTTP' : ''}`);
  return withInfra(NAME, { apps: overHttp }, async (infra) => {
    const url = infra.postgres.url;
    const dataSource = createDataSource({ url, poolSize: 10, applicationName: 'bench-reconstruction' });
    const bare = new Client({ connectionString: url, application_name: 'bench-bare' });
    try {
      await dataSource.initialize();
      await migrate(dataSource);
      await bare.connect();
      const { longStream, span } = await load(bare, total);

      const store = new EventStore(dataSource);
      const moments = Array.from(
        { length: samples },
        () => new Date(span.from + Math.random() * (span.to - span.from)),
      );
      const reconstruct = async (at: Date, read: number[], compute: number[]) => {
        const events = await timed(read, () => store.readCase(CASE_ID));
        const t0 = performance.now();
        const timeline = responsibilityTimeline(
          CASE_ID,
          events.map((e) => ({ type: e.type, data: e.data }) as HandoverEvent),
        );
        const responsible = responsibleAt(timeline, at.toISOString());
        compute.push(performance.now() - t0);
        if (events.length !== CASE_EVENTS || !responsible)
          throw new Error(`read ${events.length} events of the case, responsible: ${JSON.stringify(responsible)}`);
      };
      const bareRead = async () => {
        const { rowCount } = await bare.query(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`,
          [longStream],
        );
        if (rowCount !== CASE_EVENTS) throw new Error(`the bare read found ${rowCount} rows`);
      };

      phase(NAME, 'warm-up, then the case read + responsibility and the bare stream read, alternately');
      for (let i = 0; i < 20; i++) {
        await reconstruct(moments[i % samples]!, [], []);
        await bareRead();
      }
      const totals: number[] = [];
      const reads: number[] = [];
      const computes: number[] = [];
      const bareTimes: number[] = [];
      for (const at of moments) {
        await timed(totals, () => reconstruct(at, reads, computes));
        await timed(bareTimes, bareRead);
      }
      const inProcess = summarize(totals);
      const baseline = summarize(bareTimes);
      phase(NAME, `readCase + responsibility: ${summaryLine(inProcess)}`);
      phase(NAME, `  of which readCase ${summaryLine(summarize(reads))}; the fold ${summaryLine(summarize(computes))}`);
      phase(NAME, `bare SELECT of one stream's ${CASE_EVENTS} rows: ${summaryLine(baseline)}`);
      await explain(
        bare,
        'readCase',
        `SELECT ${COLUMNS} FROM events WHERE metadata->>'caseId' = $1 ORDER BY global_position`,
        CASE_ID,
      );
      await explain(
        bare,
        'bare',
        `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        longStream,
      );
      // Inside PostgreSQL both reads take a millisecond or two (EXPLAIN above); where the rest goes:
      const readCases = () =>
        profileHere(async () => {
          for (const at of moments.slice(0, 50)) await reconstruct(at, [], []);
        });
      phase(NAME, `CPU profile of this process over 50 × readCase + fold: ${await readCases()}`);
      const bareReads = () =>
        profileHere(async () => {
          for (let i = 0; i < 50; i++) await bareRead();
        });
      phase(NAME, `CPU profile of this process over 50 bare reads: ${await bareReads()}`);

      const baselineIs = `bare SELECT … WHERE stream_id = $1 of one ${CASE_EVENTS}-event stream in the same store (pg, no ORM)`;
      const results: BenchResult[] = [
        {
          benchmark: NAME,
          figure: `readCase (${CASE_EVENTS} events in ${total}) + responsibility at T, p50`,
          unit: 'ms',
          value: inProcess.p50,
          baseline: baseline.p50,
          baselineIs,
        },
        {
          benchmark: NAME,
          figure: 'readCase + responsibility at T, p99',
          unit: 'ms',
          value: inProcess.p99,
          baseline: baseline.p99,
          baselineIs,
        },
      ];
      if (overHttp) {
        const http = await measureHttp(infra.dir, url, moments);
        results.push(
          {
            benchmark: NAME,
            figure: 'GET /cases/{id}/responsibility?at= p50',
            unit: 'ms',
            value: http.p50,
            baseline: baseline.p50,
            baselineIs,
          },
          {
            benchmark: NAME,
            figure: 'GET /cases/{id}/responsibility?at= p99',
            unit: 'ms',
            value: http.p99,
            baseline: baseline.p99,
            baselineIs,
          },
        );
      }
      return results;
    } finally {
      await bare.end().catch(() => undefined);
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    }
  });
}

async function measureHttp(logDir: string, databaseUrl: string, moments: readonly Date[]) {
  const apps = await startApps(NAME, { databaseUrl, apps: ['api'], logDir });
  try {
    const token = await tokenFor(SENDER);
    const ask = async (at: Date) => {
      const answer = await callApi(
        apps.baseUrl,
        token,
        'GET',
        `/cases/${CASE_ID}/responsibility?at=${encodeURIComponent(at.toISOString())}`,
      );
      expectStatus(answer, 200, 'GET /cases/{id}/responsibility');
    };
    for (let i = 0; i < 20; i++) await ask(moments[i % moments.length]!);
    const times: number[] = [];
    for (const at of moments) await timed(times, () => ask(at));
    const measured = summarize(times);
    phase(NAME, `GET /cases/{id}/responsibility?at=: ${summaryLine(measured)}`);
    return measured;
  } finally {
    await apps.stop();
  }
}

/** One EXPLAIN ANALYZE line per query: which index, how long inside PostgreSQL, how many buffers. */
async function explain(client: Client, label: string, sql: string, param: string): Promise<void> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [param]);
  const plan = rows.map((r) => r['QUERY PLAN']);
  const scan = plan.find((l) => /Scan/.test(l))?.trim() ?? plan[0];
  const buffers = plan.find((l) => /Buffers/.test(l))?.trim();
  const time = plan.find((l) => /Execution Time/.test(l))?.trim();
  phase(NAME, `EXPLAIN ${label}: ${scan}; ${buffers}; ${time}`);
}

interface Slot {
  readonly plan: HandoverPlan;
  readonly step: Step;
  readonly version: number;
  readonly requestedAt: number;
}

/**
 * Loads `total` events with COPY: the case's 1,000 and the long stream's 1,000 spread evenly
 * through the store among short handovers of other cases, with recorded_at rising over two years.
 */
async function load(
  client: Client,
  total: number,
): Promise<{ longStream: string; span: { from: number; to: number } }> {
  const start = Date.now() - YEARS_2;
  const timeOf = (row: number) => start + Math.floor((row * YEARS_2) / total);
  const every = total / CASE_EVENTS;

  // The case: 25 handovers back and forth between two regions, each overdue for a while (36 escalations).
  const perHandover = CASE_EVENTS / CASE_HANDOVERS;
  const caseLife: Step[] = [TYPICAL_LIFE[0]!, ...escalationSteps(perHandover - 4), ...TYPICAL_LIFE.slice(1)];
  const casePlans = Array.from({ length: CASE_HANDOVERS }, (_, k) =>
    k % 2 === 0
      ? newPlan(CASE_ID, SENDER, 'vt-amsterdam-amstelland')
      : newPlan(CASE_ID, 'vt-amsterdam-amstelland', SENDER),
  );
  const longPlan = newPlan(LONG_STREAM_CASE, 'vt-utrecht', 'vt-haaglanden');
  const longLife: Step[] = [TYPICAL_LIFE[0]!, ...escalationSteps(CASE_EVENTS - 1)];

  const special = new Map<number, Slot>();
  for (let j = 0; j < CASE_EVENTS; j++) {
    const k = Math.floor(j / perHandover);
    const firstRow = Math.floor((k * perHandover + 0.25) * every);
    special.set(Math.floor((j + 0.25) * every), {
      plan: casePlans[k]!,
      step: caseLife[j % perHandover]!,
      version: (j % perHandover) + 1,
      requestedAt: timeOf(firstRow),
    });
    special.set(Math.floor((j + 0.75) * every), {
      plan: longPlan,
      step: longLife[j]!,
      version: j + 1,
      requestedAt: timeOf(Math.floor(0.75 * every)),
    });
  }

  // Everything else: short handovers of their own cases; every fifth was overdue once.
  let background: HandoverPlan | undefined;
  let life: readonly Step[] = [];
  let step = 0;
  let handovers = 0;
  let requestedAt = 0;
  const nextBackground = (row: number): Slot => {
    if (!background || step >= life.length) {
      handovers += 1;
      background = newPlan(
        `case-${handovers}`,
        REGIONS[handovers % REGIONS.length]!,
        REGIONS[(handovers + 1) % REGIONS.length]!,
      );
      life = handovers % 5 === 0 ? [TYPICAL_LIFE[0]!, ...escalationSteps(1), ...TYPICAL_LIFE.slice(1)] : TYPICAL_LIFE;
      step = 0;
      requestedAt = timeOf(row);
    }
    return { plan: background, step: life[step]!, version: ++step, requestedAt };
  };

  // Rows carry positions and the hash chain the store would have given them (see audit/event-hash.ts).
  const chain = new HashChain();
  const line = (row: number): string => {
    const slot = special.get(row) ?? nextBackground(row);
    const at = timeOf(row);
    const e = newEvent(slot.plan, slot.step, at, slot.requestedAt);
    const data = JSON.stringify(e.data);
    const metadata = JSON.stringify(e.metadata);
    const recordedAt = microsecondTime(at);
    const { previousHash, hash } = chain.append({
      globalPosition: row + 1,
      eventId: e.eventId,
      streamId: streamOf(slot.plan),
      streamVersion: slot.version,
      type: e.type,
      data: JSON.parse(data) as unknown,
      metadata: JSON.parse(metadata) as unknown,
      recordedAt,
    });
    return `${row + 1}\t${e.eventId}\t${streamOf(slot.plan)}\t${slot.version}\t${e.type}\t${copyText(data)}\t${copyText(
      metadata,
    )}\t${recordedAt}\t\\\\x${previousHash}\t\\\\x${hash}\n`;
  };

  const perCopy = 100_000;
  const t0 = Date.now();
  for (let from = 0; from < total; from += perCopy) {
    const to = Math.min(total, from + perCopy);
    await copyFrom(
      client,
      'COPY events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash) FROM STDIN',
      function* () {
        for (let row = from; row < to; row += 1000) {
          let chunk = '';
          for (let r = row; r < Math.min(to, row + 1000); r++) chunk += line(r);
          yield chunk;
        }
      },
    );
    phase(NAME, `loaded ${to}/${total} events (${Math.round(to / ((Date.now() - t0) / 1000))}/s)`);
  }
  phase(NAME, 'VACUUM ANALYZE events');
  const v0 = Date.now();
  await client.query('VACUUM ANALYZE events');
  const { rows } = await client.query<{ size: string }>(
    `SELECT pg_size_pretty(pg_total_relation_size('events')) AS size`,
  );
  phase(NAME, `vacuumed in ${Math.round((Date.now() - v0) / 1000)} s; events table with indexes: ${rows[0]!.size}`);

  const firstRow = Math.floor(0.25 * every);
  const lastRow = Math.floor((CASE_EVENTS - 1 + 0.25) * every);
  return { longStream: streamOf(longPlan), span: { from: timeOf(firstRow), to: timeOf(lastRow) + 3600_000 } };
}
