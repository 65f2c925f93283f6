import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@warm-handover/contracts';
import { findOrganisation } from '@warm-handover/domain';

/**
 * The management figures' read model (issue 15, R8; 004: caseload conversations on statutory
 * terms, handover bottlenecks per municipality): fact rows per statutory term, monitoring moment,
 * handover (and its escalations), lead negotiation and mismatch, plus the Veilig Thuis region and
 * municipality of each case. Figures for any period are aggregates over these rows at query time
 * (management-figures.query.ts), so a past period is answered from the same rows as today.
 *
 * Every row is written with an UPSERT keyed on ids from the events, so applying an event twice
 * changes nothing; the projector applies events in global order, one batch per transaction
 * together with its checkpoint.
 */
export const MANAGEMENT_FIGURES = 'management-figures';
export const LIVE_PREFIX = 'mi_';
export const REBUILD_PREFIX = 'mi_rebuild_';
/** Serialises the live projector's batches with the rebuild's comparison. */
export const MANAGEMENT_FIGURES_LOCK = 15_001;
export const MANAGEMENT_FIGURES_CHECKPOINT = 'projection:management-figures';

export const MANAGEMENT_FIGURE_TABLES = [
  'case_area',
  'terms',
  'moments',
  'handovers',
  'handover_escalations',
  'lead_negotiations',
  'mismatches',
  'lead_rounds',
] as const;

export function managementFiguresDdl(p: string): string[] {
  return [
    `CREATE TABLE ${p}case_area (case_id text PRIMARY KEY, region text, municipality text)`,
    `CREATE TABLE ${p}terms (
       melding_id text NOT NULL, term text NOT NULL, case_id text NOT NULL, veilig_thuis text NOT NULL,
       started_at timestamptz NOT NULL, due_at timestamptz NOT NULL, completed_at timestamptz,
       PRIMARY KEY (melding_id, term))`,
    `CREATE INDEX ${p}terms_due ON ${p}terms (due_at)`,
    `CREATE TABLE ${p}moments (
       agreement_id text NOT NULL, moment date NOT NULL, case_id text NOT NULL, monitor_org text NOT NULL,
       outcome text, recorded_at timestamptz, first_escalated_at timestamptz,
       PRIMARY KEY (agreement_id, moment))`,
    `CREATE INDEX ${p}moments_moment ON ${p}moments (moment)`,
    `CREATE TABLE ${p}handovers (
       handover_id text PRIMARY KEY, case_id text NOT NULL, from_org text NOT NULL, to_org text NOT NULL,
       child_ids text[] NOT NULL, requested_at timestamptz NOT NULL, closed_as text, closed_at timestamptz, decided_at timestamptz)`,
    `CREATE INDEX ${p}handovers_case ON ${p}handovers (case_id)`,
    `CREATE TABLE ${p}handover_escalations (
       event_id text PRIMARY KEY, handover_id text NOT NULL, level int NOT NULL, reason text NOT NULL,
       escalated_at timestamptz NOT NULL)`,
    `CREATE INDEX ${p}handover_escalations_handover ON ${p}handover_escalations (handover_id)`,
    `CREATE TABLE ${p}lead_negotiations (
       negotiation_id text PRIMARY KEY, case_id text NOT NULL, opened_at timestamptz NOT NULL, resolved_at timestamptz)`,
    `CREATE TABLE ${p}mismatches (event_id text PRIMARY KEY, case_id text NOT NULL, detected_at timestamptz NOT NULL)`,
  ];
}

/**
 * One row per round of a lead negotiation: the first, and each renegotiation (R4), from its
 * opening to the agreement or decision that ends it, so "unresolved at a moment" is exact for any
 * moment, also after a lead was agreed and renegotiated. Added after the tables above (migration
 * 1732281410000), which is why it has a DDL of its own.
 */
export function leadRoundsDdl(p: string): string[] {
  return [
    `CREATE TABLE ${p}lead_rounds (
       negotiation_id text NOT NULL, round int NOT NULL, case_id text NOT NULL,
       opened_at timestamptz NOT NULL, resolved_at timestamptz,
       PRIMARY KEY (negotiation_id, round))`,
    `CREATE INDEX ${p}lead_rounds_case ON ${p}lead_rounds (case_id)`,
  ];
}

/** The Veilig Thuis region an organisation belongs to: itself for a Veilig Thuis organisation. */
function regionOf(organisation: string | undefined): string | null {
  const org = organisation ? findOrganisation(organisation) : undefined;
  if (!org) return null;
  return org.kind === 'veilig-thuis' ? org.id : (org.veiligThuisRegion ?? null);
}

function municipalityOf(organisation: string | undefined): string | null {
  const org = organisation ? findOrganisation(organisation) : undefined;
  if (!org) return null;
  return org.kind === 'municipality' ? org.id : (org.municipality ?? null);
}

type Data = Record<string, unknown> & { caseId?: string };

/** Applies one event to the tables with prefix `p`. Idempotent. */
export async function applyManagementFigure(m: EntityManager, p: string, event: RecordedEvent): Promise<void> {
  const d = event.data as Data;
  const area = async (region: string | null, municipality: string | null) => {
    if (!d.caseId || (!region && !municipality)) return;
    // The first region and municipality known for a case stay its area.
    await m.query(
      `INSERT INTO ${p}case_area (case_id, region, municipality) VALUES ($1, $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET region = COALESCE(${p}case_area.region, EXCLUDED.region),
         municipality = COALESCE(${p}case_area.municipality, EXCLUDED.municipality)`,
      [d.caseId, region, municipality],
    );
  };
  const s = (key: string) => d[key] as string;
  switch (event.type) {
    case 'CaseOpened':
      return area(regionOf(s('openedBy')), municipalityOf(s('openedBy')));
    case 'PartyInvolved':
      return area(regionOf(s('organisation')), municipalityOf(s('organisation')));
    case 'MeldingReceived':
      await area(s('veiligThuis'), null);
      await m.query(
        `INSERT INTO ${p}terms (melding_id, term, case_id, veilig_thuis, started_at, due_at)
         VALUES ($1, 'safety-assessment', $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [s('meldingId'), d.caseId, s('veiligThuis'), s('receivedAt'), s('assessmentDueAt')],
      );
      return;
    case 'SafetyAssessmentCompleted':
      await m.query(`UPDATE ${p}terms SET completed_at = $3 WHERE melding_id = $1 AND term = $2`, [
        s('meldingId'),
        'safety-assessment',
        s('completedAt'),
      ]);
      return;
    case 'InvestigationStarted':
      await m.query(
        `INSERT INTO ${p}terms (melding_id, term, case_id, veilig_thuis, started_at, due_at)
         SELECT melding_id, 'investigation', case_id, veilig_thuis, $2, $3 FROM ${p}terms
         WHERE melding_id = $1 AND term = 'safety-assessment' ON CONFLICT DO NOTHING`,
        [s('meldingId'), s('startedAt'), s('dueAt')],
      );
      return;
    case 'InvestigationCompleted':
      await m.query(`UPDATE ${p}terms SET completed_at = $3 WHERE melding_id = $1 AND term = $2`, [
        s('meldingId'),
        'investigation',
        s('completedAt'),
      ]);
      return;
    case 'SafetyAgreementMade': {
      const monitor = (d.monitor as { organisation: string }).organisation;
      await area(regionOf(s('madeBy')), municipalityOf(monitor));
      await m.query(
        `INSERT INTO ${p}moments (agreement_id, moment, case_id, monitor_org)
         SELECT $1, unnest($2::date[]), $3, $4 ON CONFLICT DO NOTHING`,
        [s('agreementId'), d.moments as string[], d.caseId, monitor],
      );
      return;
    }
    case 'MonitoringResultRecorded':
      await m.query(`UPDATE ${p}moments SET outcome = $3, recorded_at = $4 WHERE agreement_id = $1 AND moment = $2`, [
        s('agreementId'),
        s('moment'),
        s('outcome'),
        s('recordedAt'),
      ]);
      return;
    case 'MonitoringEscalated':
      await m.query(
        `UPDATE ${p}moments SET first_escalated_at = COALESCE(first_escalated_at, $3) WHERE agreement_id = $1 AND moment = $2`,
        [s('agreementId'), s('moment'), s('escalatedAt')],
      );
      return;
    case 'MonitorRoleTransferred':
      await m.query(`UPDATE ${p}moments SET monitor_org = $2 WHERE agreement_id = $1 AND outcome IS NULL`, [
        s('agreementId'),
        (d.to as { organisation: string }).organisation,
      ]);
      return;
    case 'HandoverRequested':
      await area(
        regionOf(s('fromOrg')) ?? regionOf(s('toOrg')),
        municipalityOf(s('fromOrg')) ?? municipalityOf(s('toOrg')),
      );
      // Handing a child over anew is the sender's decision on its rejected or withdrawn handover (R2a).
      await m.query(
        `UPDATE ${p}handovers SET decided_at = $2 WHERE case_id = $1 AND child_ids && $3::text[]
           AND closed_as IN ('rejected', 'withdrawn') AND decided_at IS NULL`,
        [d.caseId, s('requestedAt'), (d.childIds as string[] | undefined) ?? []],
      );
      await m.query(
        `INSERT INTO ${p}handovers (handover_id, case_id, from_org, to_org, child_ids, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          s('handoverId'),
          d.caseId,
          s('fromOrg'),
          s('toOrg'),
          (d.childIds as string[] | undefined) ?? [],
          s('requestedAt'),
        ],
      );
      return;
    case 'HandoverStarted':
    case 'HandoverRejected':
    case 'HandoverWithdrawn': {
      const [as, at] =
        event.type === 'HandoverStarted'
          ? ['started', s('confirmedAt')]
          : event.type === 'HandoverRejected'
            ? ['rejected', s('rejectedAt')]
            : ['withdrawn', s('withdrawnAt')];
      await m.query(
        `UPDATE ${p}handovers SET closed_as = $2, closed_at = $3 WHERE handover_id = $1 AND closed_as IS NULL`,
        [s('handoverId'), as, at],
      );
      return;
    }
    case 'CaseKeptBySender':
      await m.query(`UPDATE ${p}handovers SET decided_at = COALESCE(decided_at, $2) WHERE handover_id = $1`, [
        s('handoverId'),
        s('decidedAt'),
      ]);
      return;
    case 'HandoverEscalated':
      await m.query(
        `INSERT INTO ${p}handover_escalations (event_id, handover_id, level, reason, escalated_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [event.eventId, s('handoverId'), d.level as number, s('reason'), s('escalatedAt')],
      );
      return;
    case 'LeadNegotiationOpened':
      await area(null, (d.municipality as string | undefined) ?? null);
      await m.query(
        `INSERT INTO ${p}lead_negotiations (negotiation_id, case_id, opened_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [s('negotiationId'), d.caseId, s('openedAt')],
      );
      // A negotiation opens in round 1 (lead.state.ts).
      await m.query(
        `INSERT INTO ${p}lead_rounds (negotiation_id, round, case_id, opened_at) VALUES ($1, 1, $2, $3) ON CONFLICT DO NOTHING`,
        [s('negotiationId'), d.caseId, s('openedAt')],
      );
      return;
    case 'LeadRenegotiationOpened':
      await m.query(
        `INSERT INTO ${p}lead_rounds (negotiation_id, round, case_id, opened_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [s('negotiationId'), d.round as number, d.caseId, s('openedAt')],
      );
      return;
    case 'LeadAgreed':
    case 'LeadDecided': {
      const resolvedAt = event.type === 'LeadAgreed' ? s('agreedAt') : s('decidedAt');
      // The first resolution stays on the negotiation's row (its older meaning); each round has its own.
      await m.query(
        `UPDATE ${p}lead_negotiations SET resolved_at = COALESCE(resolved_at, $2) WHERE negotiation_id = $1`,
        [s('negotiationId'), resolvedAt],
      );
      await m.query(
        `UPDATE ${p}lead_rounds SET resolved_at = $2 WHERE negotiation_id = $1 AND round <= $3 AND resolved_at IS NULL`,
        [s('negotiationId'), resolvedAt, d.round as number],
      );
      return;
    }
    case 'LeadRegionMismatch':
      await m.query(
        `INSERT INTO ${p}mismatches (event_id, case_id, detected_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [event.eventId, d.caseId, s('detectedAt')],
      );
      return;
    default:
      return;
  }
}
