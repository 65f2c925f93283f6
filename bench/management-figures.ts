/**
 * Management figures: a store of N events (default 1,000,000; BENCH_EVENTS) of a year of cases
 * in seven Veilig Thuis regions, appended through the EventStore (hash chain and all) and
 * projected by the worker's projector; then p50/p95 of the figures of one region over that year
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
  managementFigures,
  migrate,
  projectManagementFigures,
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
/** About this many events per case (see caseEvents). */
const EVENTS_PER_CASE = 14;

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

export async function run(): Promise<BenchResult[]> {
  const total = intEnv('BENCH_EVENTS', scaled(1_000_000, 5_000));
  const samples = intEnv('BENCH_SAMPLES', 100);
  const cases = Math.ceil(total / EVENTS_PER_CASE);
  phase(NAME, `${cases} cases, about ${cases * EVENTS_PER_CASE} events; ${samples} samples`);
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
      for (let i = 0; i < cases; i++) {
        for (const [stream, events] of caseEvents(i)) await store.append(stream, events);
        if (i % 10_000 === 0) phase(NAME, `appended ${i} cases`);
      }
      const appended = await store.headPosition();
      phase(NAME, `${appended} events appended in ${Math.round((performance.now() - loadStart) / 1000)} s`);
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
