import type { DataSource, EntityManager } from 'typeorm';
import { LIVE_PREFIX } from './management-figures.projection';

/** A Veilig Thuis region (its organisation id) or a municipality (its id). */
export type FiguresScope = { readonly region: string } | { readonly municipality: string };

export interface TermShare {
  readonly due: number;
  readonly onTime: number;
  readonly late: number;
  /** onTime / due, or null when nothing was due. */
  readonly share: number | null;
  readonly norm: number;
  readonly meetsNorm: boolean | null;
}

export const AGE_BUCKETS = ['0-2', '3-5', '6-10', '11+'] as const;

export interface ManagementFigures {
  readonly scope: FiguresScope;
  readonly from: string;
  readonly to: string;
  /** The moment the "open" figures are counted at: the end of the period, or now if it lies ahead. */
  readonly at: string;
  readonly safetyAssessments: TermShare;
  readonly investigations: TermShare;
  /** Open handovers at `at` by age in calendar days and by escalation level reached (0–3). */
  readonly openHandovers: {
    readonly total: number;
    readonly byAge: Readonly<Record<(typeof AGE_BUCKETS)[number], number>>;
    readonly byLevel: readonly [number, number, number, number];
  };
  /** Rejected or withdrawn handovers whose sender had not decided at `at` (R2a). */
  readonly rejectedAwaitingDecision: number;
  /** Monitoring moments in the period, and those whose result was not recorded in time. */
  readonly monitoringMoments: { readonly total: number; readonly missed: number; readonly notKept: number };
  /** Negotiations with a round open at `at`: never agreed yet, or renegotiated and not agreed again. */
  readonly leadNegotiationsUnresolved: number;
  readonly mismatches: number;
}

const NORMS = { assessment: 0.9, investigation: 0.8 } as const;

/**
 * The figures for a region or municipality over [from, to): a term counts in the period its due
 * instant falls in, once decided (completed, or overdue at `at`); a term still running is not
 * counted yet. Open counts (handovers, decisions awaited, negotiations) are taken at `at`.
 */
export async function managementFigures(
  db: DataSource | EntityManager,
  query: { scope: FiguresScope; from: string; to: string; now: string },
  p = LIVE_PREFIX,
): Promise<ManagementFigures> {
  const at = new Date(Math.min(Date.parse(query.to), Date.parse(query.now))).toISOString();
  const [column, value] =
    'region' in query.scope ? ['region', query.scope.region] : ['municipality', query.scope.municipality];
  const inScope = (alias: string) => `${alias}.case_id IN (SELECT case_id FROM ${p}case_area WHERE ${column} = $1)`;
  const terms = async (term: string, norm: number): Promise<TermShare> => {
    const [row] = await db.query<[{ on_time: string; late: string }]>(
      `SELECT count(*) FILTER (WHERE t.completed_at IS NOT NULL AND t.completed_at <= t.due_at AND t.completed_at < $5) AS on_time,
              count(*) FILTER (WHERE (t.completed_at IS NULL OR t.completed_at >= $5) AND t.due_at < $5
                               OR t.completed_at > t.due_at AND t.completed_at < $5) AS late
       FROM ${p}terms t WHERE ${inScope('t')} AND t.term = $2 AND t.due_at >= $3 AND t.due_at < $4`,
      [value, term, query.from, query.to, at],
    );
    const onTime = Number(row.on_time);
    const late = Number(row.late);
    const due = onTime + late;
    const share = due === 0 ? null : onTime / due;
    return { due, onTime, late, share, norm, meetsNorm: share === null ? null : share >= norm };
  };
  const [handovers] = await db.query<[Record<string, string>]>(
    `WITH open AS (
       SELECT h.handover_id, extract(epoch FROM ($2::timestamptz - h.requested_at)) / 86400 AS age_days,
              coalesce((SELECT max(e.level) FROM ${p}handover_escalations e
                        WHERE e.handover_id = h.handover_id AND e.escalated_at < $2
                          AND e.reason <> 'follow-up-overdue'), 0) AS level
       FROM ${p}handovers h
       WHERE ${inScope('h')} AND h.requested_at < $2 AND (h.closed_at IS NULL OR h.closed_at >= $2))
     SELECT count(*) AS total,
            count(*) FILTER (WHERE age_days < 3) AS a0, count(*) FILTER (WHERE age_days >= 3 AND age_days < 6) AS a1,
            count(*) FILTER (WHERE age_days >= 6 AND age_days < 11) AS a2, count(*) FILTER (WHERE age_days >= 11) AS a3,
            count(*) FILTER (WHERE level = 0) AS l0, count(*) FILTER (WHERE level = 1) AS l1,
            count(*) FILTER (WHERE level = 2) AS l2, count(*) FILTER (WHERE level = 3) AS l3
     FROM open`,
    [value, at],
  );
  const [rest] = await db.query<[Record<string, string>]>(
    `SELECT
       (SELECT count(*) FROM ${p}handovers h WHERE ${inScope('h')} AND h.closed_as IN ('rejected', 'withdrawn')
          AND h.closed_at < $2 AND (h.decided_at IS NULL OR h.decided_at >= $2)) AS awaiting,
       (SELECT count(*) FROM ${p}moments m WHERE ${inScope('m')} AND m.moment >= $3::timestamptz::date AND m.moment < $4::timestamptz::date) AS moments,
       (SELECT count(*) FROM ${p}moments m WHERE ${inScope('m')} AND m.moment >= $3::timestamptz::date AND m.moment < $4::timestamptz::date
          AND m.first_escalated_at IS NOT NULL AND m.first_escalated_at < $2) AS missed,
       (SELECT count(*) FROM ${p}moments m WHERE ${inScope('m')} AND m.moment >= $3::timestamptz::date AND m.moment < $4::timestamptz::date
          AND m.outcome = 'not-kept' AND m.recorded_at < $2) AS not_kept,
       (SELECT count(DISTINCT r.negotiation_id) FROM ${p}lead_rounds r WHERE ${inScope('r')} AND r.opened_at < $2
          AND (r.resolved_at IS NULL OR r.resolved_at >= $2)) AS unresolved,
       (SELECT count(*) FROM ${p}mismatches x WHERE ${inScope('x')} AND x.detected_at >= $3 AND x.detected_at < $4
          AND x.detected_at < $2) AS mismatches`,
    [value, at, query.from, query.to],
  );
  const n = (v: string | undefined) => Number(v ?? 0);
  return {
    scope: query.scope,
    from: query.from,
    to: query.to,
    at,
    safetyAssessments: await terms('safety-assessment', NORMS.assessment),
    investigations: await terms('investigation', NORMS.investigation),
    openHandovers: {
      total: n(handovers.total),
      byAge: { '0-2': n(handovers.a0), '3-5': n(handovers.a1), '6-10': n(handovers.a2), '11+': n(handovers.a3) },
      byLevel: [n(handovers.l0), n(handovers.l1), n(handovers.l2), n(handovers.l3)],
    },
    rejectedAwaitingDecision: n(rest.awaiting),
    monitoringMoments: { total: n(rest.moments), missed: n(rest.missed), notKept: n(rest.not_kept) },
    leadNegotiationsUnresolved: n(rest.unresolved),
    mismatches: n(rest.mismatches),
  };
}
