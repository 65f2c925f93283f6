/**
 * Management figures: a store of N events (default 1,000,000; BENCH_EVENTS) of a year of cases
 * in seven Veilig Thuis regions, seeded in bulk straight into the events table (multi-row
 * INSERTs of a few thousand rows, each event hashed onto the chain exactly as the store does, the
 * chain verified afterwards) and projected by the worker's projector; then p50/p95 of the figures
 * of one region over that year
 * (managementFigures: statutory terms, open handovers by age and level, rejections awaiting a
 * decision, monitoring, leads, mismatches). Baseline: one bare aggregate SQL over the same rows
 * in the events table (share of safety assessments on time for that region and year, joining
 * the received and completed events on their JSON), as one would without a read model.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { NewEvent } from '@warm-handover/contracts';
import {
  createDataSource,
  EventStore,
  HashChain,
  managementFigures,
  microsecondTime,
  migrate,
  projectManagementFigures,
  readChainHead,
  verifyChain,
} from '@warm-handover/persistence';
import { withInfra } from './support/infra';
import { type BenchResult, phase, resultsAgainst } from './support/report';
import { intEnv, percentile, scaled, summarize, summaryLine, timed } from './support/stats';

const NAME = 'management-figures';
const REGIONS = [
  'vt-kennemerland',
  'vt-utrecht',
  'vt-haaglanden',
  'vt-twente',
  'vt-groningen',
  'vt-zeeland',
  'vt-flevoland',
];
const YEAR = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
const DAY = 86_400_000;
/** Rows per INSERT: one statement's parameters stay small, and 1,000,000 events take ~200. */
const ROWS_PER_INSERT = 5000;

function event(type: string, data: Record<string, unknown>, caseId: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: { caseId, ...data },
    metadata: {
      actor: { subject: 'system:bench', organisation: 'warm-handover', role: 'system' },
      correlationId: caseId,
      caseId,
    },
  };
}

/** One case's streams: a report and its terms, an agreement and its moments, a handover. */
function caseEvents(i: number): [string, NewEvent[]][] {
  const caseId = `case-bench-${i}`;
  const region = REGIONS[i % REGIONS.length]!;
  const t0 = Date.parse(YEAR.from) + ((i * 7919) % 365) * DAY;
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const late = i % 7 === 0;
  const m = `m-${i}`;
  const a = `a-${i}`;
  const h = `h-${i}`;
  const moments = [1, 2, 3, 4].map((w) => at(7 * w).slice(0, 10));
  return [
    [`case-${caseId}`, [event('CaseOpened', { openedBy: region, childIds: [`k-${i}`], openedAt: at(0) }, caseId)]],
    [
      `melding-${m}`,
      [
        event(
          'MeldingReceived',
          {
            meldingId: m,
            veiligThuis: region,
            reporterKind: 'professional',
            receivedAt: at(0),
            assessmentDueAt: at(7),
            ladder: [],
          },
          caseId,
        ),
        event(
          'SafetyAssessmentCompleted',
          { meldingId: m, outcome: 'investigation', completedAt: at(late ? 9 : 3), dueAt: at(7), withinTerm: !late },
          caseId,
        ),
        event('InvestigationStarted', { meldingId: m, startedAt: at(10), dueAt: at(80) }, caseId),
        event(
          'InvestigationCompleted',
          {
            meldingId: m,
            outcome: 'no-abuse',
            completedAt: at(i % 5 === 0 ? 90 : 60),
            dueAt: at(80),
            withinTerm: i % 5 !== 0,
          },
          caseId,
        ),
      ],
    ],
    [
      `safety-${a}`,
      [
        event(
          'SafetyAgreementMade',
          {
            agreementId: a,
            code: 'no-contact-with-suspect',
            memberIds: [`k-${i}`],
            monitor: { organisation: region, role: 'professional', ladder: [] },
            moments,
            madeBy: region,
            madeAt: at(10),
          },
          caseId,
        ),
        event(
          'MonitoringResultRecorded',
          { agreementId: a, moment: moments[0], outcome: i % 9 === 0 ? 'not-kept' : 'kept', recordedAt: at(7) },
          caseId,
        ),
        event(
          'MonitoringEscalated',
          { agreementId: a, moment: moments[1], level: 1, repeat: 0, escalatedAt: at(15) },
          caseId,
        ),
        event(
          'MonitoringResultRecorded',
          { agreementId: a, moment: moments[1], outcome: 'kept', recordedAt: at(16) },
          caseId,
        ),
      ],
    ],
    [
      `handover-${h}`,
      [
        event(
          'HandoverRequested',
          {
            handoverId: h,
            childIds: [`k-${i}`],
            fromOrg: region,
            toOrg: REGIONS[(i + 1) % REGIONS.length],
            requestedAt: at(20),
          },
          caseId,
        ),
        event('HandoverEscalated', { handoverId: h, level: 1, reason: 'receipt-overdue', escalatedAt: at(21) }, caseId),
        ...(i % 4 === 0
          ? [event('HandoverRejected', { handoverId: h, reason: 'bench', rejectedAt: at(22) }, caseId)]
          : i % 4 === 1
            ? []
            : [event('HandoverStarted', { handoverId: h, startedAt: at(25), confirmedAt: at(25) }, caseId)]),
      ],
    ],
  ];
}

/**
 * Appends cases 0, 1, 2… until `total` events are in the store, as the event store would have
 * recorded them one stream at a time (positions in order, stream versions from 1, one SHA-256
 * chain from the genesis hash), but many rows per statement: the store's own append takes its
 * lock and reads the head per stream, ~1,000 events/s here, 20 minutes for a million.
 */
async function seed(
  bare: Client,
  total: number,
  head: { readonly globalPosition: number; readonly hash: string } | null,
): Promise<{ cases: number; events: number }> {
  const chain = new HashChain(head?.hash);
  let position = head?.globalPosition ?? 0;
  let cases = 0;
  let rows: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
  const flush = async () => {
    if (rows[0]!.length === 0) return;
    await bare.query(
      `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash)
       SELECT p, e, s, v, t, d, m, r::timestamptz, decode(ph, 'hex'), decode(h, 'hex')
         FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[], $9::text[], $10::text[])
              AS x(p, e, s, v, t, d, m, r, ph, h)`,
      rows,
    );
    rows = [[], [], [], [], [], [], [], [], [], []];
  };
  while (position < total) {
    const recordedAt = microsecondTime(Date.now());
    for (const [streamId, events] of caseEvents(cases)) {
      let version = 0;
      for (const e of events) {
        const content = {
          globalPosition: ++position,
          eventId: e.eventId,
          streamId,
          streamVersion: ++version,
          type: e.type,
          data: e.data,
          metadata: e.metadata,
          recordedAt,
        };
        const { previousHash, hash } = chain.append(content);
        const values = [
          position,
          e.eventId,
          streamId,
          version,
          e.type,
          JSON.stringify(e.data),
          JSON.stringify(e.metadata),
          recordedAt,
          previousHash,
          hash,
        ];
        values.forEach((v, i) => rows[i]!.push(v));
      }
    }
    cases++;
    if (rows[0]!.length >= ROWS_PER_INSERT) await flush();
    if (cases % 10_000 === 0) phase(NAME, `seeded ${cases} cases, ${position} events`);
  }
  await flush();
  return { cases, events: position };
}

export async function run(): Promise<BenchResult[]> {
  const total = intEnv('BENCH_EVENTS', scaled(1_000_000, 5_000));
  const samples = intEnv('BENCH_SAMPLES', 100);
  phase(NAME, `at least ${total} events; ${samples} samples`);
  return withInfra(NAME, {}, async (infra) => {
    const url = infra.postgres.url;
    const dataSource = createDataSource({ url, poolSize: 10, applicationName: 'bench-management-figures' });
    const bare = new Client({ connectionString: url, application_name: 'bench-bare' });
    try {
      await dataSource.initialize();
      await migrate(dataSource);
      await bare.connect();
      const store = new EventStore(dataSource);
      const loadStart = performance.now();
      const seeded = await seed(bare, total, await readChainHead(dataSource));
      const appended = await store.headPosition();
      if (appended !== seeded.events) throw new Error(`seeded ${seeded.events} events, the store holds ${appended}`);
      phase(
        NAME,
        `${appended} events of ${seeded.cases} cases seeded in ${Math.round((performance.now() - loadStart) / 1000)} s`,
      );
      const verifyStart = performance.now();
      const verdict = await verifyChain(dataSource, { batchSize: 10_000 });
      if (!verdict.intact) throw new Error(`the seeded chain is broken: ${JSON.stringify(verdict.problem)}`);
      phase(
        NAME,
        `chain of ${verdict.checked} events verified in ${Math.round((performance.now() - verifyStart) / 1000)} s`,
      );
      const projectStart = performance.now();
      while ((await projectManagementFigures(dataSource, store)) > 0);
      const projectSeconds = (performance.now() - projectStart) / 1000;
      phase(NAME, `projected in ${projectSeconds.toFixed(1)} s (${Math.round(appended / projectSeconds)} events/s)`);
      await bare.query('ANALYZE');

      const region = REGIONS[0]!;
      const figures = () =>
        managementFigures(dataSource, { scope: { region }, ...YEAR, now: '2027-06-01T00:00:00.000Z' });
      const bareAggregate = () =>
        bare.query<{ on_time: string; due: string }>(
          `WITH received AS MATERIALIZED (
             SELECT data->>'meldingId' AS id, (data->>'assessmentDueAt')::timestamptz AS due FROM events
             WHERE event_type = 'MeldingReceived' AND data->>'veiligThuis' = $1
               AND (data->>'assessmentDueAt')::timestamptz >= $2 AND (data->>'assessmentDueAt')::timestamptz < $3),
           completed AS MATERIALIZED (
             SELECT data->>'meldingId' AS id, (data->>'completedAt')::timestamptz AS at FROM events
             WHERE event_type = 'SafetyAssessmentCompleted')
           SELECT count(*) FILTER (WHERE c.at <= r.due) AS on_time, count(*) AS due
           FROM received r JOIN completed c USING (id)`,
          [region, YEAR.from, YEAR.to],
        );
      const check = await figures();
      const { rows } = await bareAggregate();
      if (check.safetyAssessments.due !== Number(rows[0]!.due))
        throw new Error(`figures count ${check.safetyAssessments.due} assessments, the bare SQL ${rows[0]!.due}`);
      for (let i = 0; i < 5; i++) {
        await figures();
        await bareAggregate();
      }
      const times: number[] = [];
      const bareTimes: number[] = [];
      for (let i = 0; i < samples; i++) {
        await timed(times, figures);
        await timed(bareTimes, bareAggregate);
      }
      const measured = summarize(times);
      const baseline = summarize(bareTimes);
      phase(NAME, `figures of ${region} for a year: ${summaryLine(measured)}`);
      phase(NAME, `bare aggregate over the events: ${summaryLine(baseline)}`);
      const row = resultsAgainst(
        NAME,
        'one bare aggregate SQL over the events table: assessments on time for the region and year (received and completed events hash-joined on their meldingId)',
      );
      return [
        row(`figures of one region for a year (${appended} events), p50`, 'ms', measured.p50, baseline.p50),
        row('figures of one region for a year, p95', 'ms', percentile(times, 95), percentile(bareTimes, 95)),
      ];
    } finally {
      await bare.end().catch(() => undefined);
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    }
  });
}
