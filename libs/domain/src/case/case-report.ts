import type { Chain, LeadDecided } from '../lead/lead.events';
import type { NoticeAttemptFailed, NoticeEvent } from '../notice/notice.events';
import { type AnyCaseEvent, asCaseEvent, type CaseRecord, effectiveTime } from './case-record';
import { type ChildResponsibilityPeriod, foldCaseFacts } from './case.facts';

/**
 * The timeline report of a case for the inspectorate (R10): who was responsible and who led each
 * chain over time, as bars per organisation, with escalations, notices and mismatches marked,
 * and every event as a row. Built from everything recorded, on the effective clock. Dutch
 * labels: the readers are Dutch inspectors. The API renders it as JSON, CSV, HTML and PDF.
 */

/**
 * One `responsible` lane while every child of the case had the same organisation responsible at
 * every moment; once siblings went separate ways, one lane per child (`responsible:<childId>`).
 */
export type LaneKey = 'responsible' | `responsible:${string}` | `lead-${Chain}`;

export interface ReportBar {
  readonly organisation: string;
  readonly from: string;
  /** Absent while it still holds. */
  readonly until?: string;
  /** How the bar began, e.g. "zorg gestart na overdracht" or "afgesproken". */
  readonly how: string;
}

export interface ReportLane {
  readonly key: LaneKey;
  readonly label: string;
  readonly bars: readonly ReportBar[];
}

export type MarkerKind =
  'escalation' | 'contact-failed' | 'notice-sent' | 'notice-failed' | 'notice-acknowledged' | 'mismatch';

export interface ReportMarker {
  readonly kind: MarkerKind;
  readonly lane: LaneKey;
  readonly at: string;
  /** The escalation level (1 team lead … 3 director), for escalations and notices. */
  readonly level?: number;
  readonly label: string;
}

export interface ReportRow {
  readonly position: number;
  readonly recordedAt: string;
  readonly effectiveAt: string;
  readonly type: string;
  readonly actor: { readonly subject: string; readonly organisation: string; readonly role: string };
  readonly summary: string;
}

export interface CaseReport {
  readonly caseId: string;
  readonly generatedAt: string;
  readonly basis: 'effective-time';
  /** The period the chart shows: from the first effective time to a little after the last. */
  readonly span: { readonly from: string; readonly until: string };
  readonly lanes: readonly ReportLane[];
  readonly markers: readonly ReportMarker[];
  readonly rows: readonly ReportRow[];
}

/** A case event as the report reads it: a CaseRecord with its place in the store and its actor. */
export interface ReportRecord extends CaseRecord {
  readonly globalPosition: number;
  readonly metadata: { readonly actor: ReportRow['actor'] };
}

export const LANE_LABELS: Readonly<Record<'responsible' | `lead-${Chain}`, string>> = {
  responsible: 'Verantwoordelijk',
  'lead-care': 'Regie zorgketen (Veilig Thuis)',
  'lead-safety': 'Regie veiligheidsketen (politie)',
};

/** A chart needs some width after the last event, so an open bar visibly goes on. */
const TAIL_FRACTION = 0.05;
const MIN_TAIL_MS = 60 * 60 * 1000;

export function caseReport(caseId: string, records: readonly ReportRecord[], generatedAt: string): CaseReport {
  const events = records.map(asCaseEvent);
  const facts = foldCaseFacts(events);
  const children = [...facts.children.values()];
  const barsOf = (periods: readonly ChildResponsibilityPeriod[]): ReportBar[] =>
    periods.map((p) => ({
      organisation: p.organisation,
      from: p.since,
      ...(p.until ? { until: p.until } : {}),
      how: HOW_RESPONSIBLE[p.reason],
    }));
  const shape = (periods: readonly ChildResponsibilityPeriod[]) =>
    JSON.stringify(periods.map((p) => [p.organisation, p.since, p.until]));
  const together = children.every((c) => shape(c.periods) === shape(children[0]!.periods));
  const responsibleLanes: ReportLane[] = together
    ? [{ key: 'responsible', label: LANE_LABELS.responsible, bars: barsOf(children[0]?.periods ?? []) }]
    : children.map((c) => ({
        key: `responsible:${c.childId}`,
        label: `${LANE_LABELS.responsible} (${c.childId})`,
        bars: barsOf(c.periods),
      }));
  /** The lane a handover's marks go in: the lane of its first child. */
  const laneOfHandover = (handoverId: string): LaneKey => {
    const first = facts.handovers.get(handoverId)?.childIds[0];
    return together || !first ? 'responsible' : `responsible:${first}`;
  };

  const leads: Record<Chain, ReportBar[]> = { care: [], safety: [] };
  const chainOf = new Map<string, Chain>();
  const laneOfNotice = new Map<string, LaneKey>();
  const markers: ReportMarker[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'LeadNegotiationOpened':
        chainOf.set(event.data.negotiationId, event.data.chain);
        break;
      case 'LeadAgreed':
      case 'LeadDecided': {
        const bars = leads[event.data.chain];
        const from = event.type === 'LeadAgreed' ? event.data.agreedAt : event.data.decidedAt;
        const last = bars.pop();
        if (last) bars.push({ ...last, until: from });
        bars.push({
          organisation: event.data.lead,
          from,
          how: event.type === 'LeadAgreed' ? 'afgesproken' : decidedHow(event.data),
        });
        break;
      }
      case 'HandoverEscalated':
        markers.push({
          kind: 'escalation',
          lane: laneOfHandover(event.data.handoverId),
          at: event.data.escalatedAt,
          level: event.data.level,
          label: `Overdracht geëscaleerd naar niveau ${event.data.level} (${ESCALATION_REASONS[event.data.reason]})`,
        });
        break;
      case 'HandoverContactFailed':
        markers.push({
          kind: 'contact-failed',
          lane: laneOfHandover(event.data.handoverId),
          at: event.data.occurredAt,
          label: 'Geen contact met het gezin',
        });
        break;
      case 'LeadNegotiationEscalated':
        markers.push({
          kind: 'escalation',
          lane: `lead-${event.data.chain}`,
          at: event.data.escalatedAt,
          level: event.data.level,
          label: `Regie-overleg geëscaleerd naar niveau ${event.data.level} (${event.data.reason === 'silence' ? 'geen reactie' : 'geen overeenstemming'})`,
        });
        break;
      case 'LeadRegionMismatch':
        for (const lane of ['lead-care', 'lead-safety'] as const) {
          markers.push({
            kind: 'mismatch',
            lane,
            at: event.data.detectedAt,
            label: `Regie in verschillende werkgebieden: ${event.data.careLead} / ${event.data.safetyLead}`,
          });
        }
        break;
      case 'NoticeSent':
      case 'NoticeFailed':
      case 'NoticeAcknowledged':
        markers.push(noticeMarker(event, laneOfNotice, chainOf, laneOfHandover));
        break;
      // Steps that change no bar and need no mark: the table lists them.
      case 'HandoverRequested':
      case 'HandoverReceived':
      case 'HandoverAccepted':
      case 'HandoverStarted':
      case 'HandoverRejected':
      case 'HandoverWithdrawn':
      case 'CaseKeptBySender':
      case 'CaseOpened':
      case 'ChildrenAdded':
      case 'PartyInvolved':
      case 'LeadProposed':
      case 'LeadProposalAccepted':
      case 'LeadDecisionTaken':
      case 'LeadDecisionConfirmed':
      case 'LeadRenegotiationOpened':
      case 'NoticeAttemptFailed':
      case 'FamilyChangeRecorded':
      case 'RiskReassessed':
      case 'CareAvoidanceSignalled':
      case 'CaseDirectorProposed':
      case 'CaseDirectorConfirmed':
      case 'PlanGoalSet':
      case 'PlanGoalResultRecorded':
      case 'FamilyEscalated':
        break;
    }
  }

  const times = records.map((r) => Date.parse(effectiveTime(r)));
  const first = times.length > 0 ? Math.min(...times) : Date.parse(generatedAt);
  const last = times.length > 0 ? Math.max(...times) : first;
  const tail = Math.max((last - first) * TAIL_FRACTION, MIN_TAIL_MS);
  return {
    caseId,
    generatedAt,
    basis: 'effective-time',
    span: { from: new Date(first).toISOString(), until: new Date(last + tail).toISOString() },
    lanes: [
      ...responsibleLanes,
      { key: 'lead-care', label: LANE_LABELS['lead-care'], bars: leads.care },
      { key: 'lead-safety', label: LANE_LABELS['lead-safety'], bars: leads.safety },
    ],
    markers,
    rows: records.map((record, i) => ({
      position: record.globalPosition,
      recordedAt: record.recordedAt,
      effectiveAt: effectiveTime(record),
      type: record.type,
      actor: record.metadata.actor,
      summary: summaryOf(events[i]!),
    })),
  };
}

const ESCALATION_REASONS = {
  'receipt-overdue': 'ontvangst te laat',
  'start-overdue': 'start zorg te laat',
  'contact-failed': 'geen contact',
  'follow-up-overdue': 'besluit na afwijzing ontbreekt',
} as const;

const HOW_RESPONSIBLE: Readonly<Record<ChildResponsibilityPeriod['reason'], string>> = {
  'opened-the-case': 'casus geopend',
  'added-by-a-party': 'kind toegevoegd',
  'first-known-as-sender': 'eerste verzender',
  'care-started-after-handover': 'zorg gestart na overdracht',
};

function noticeMarker(
  event: Exclude<NoticeEvent, NoticeAttemptFailed>,
  laneOfNotice: Map<string, LaneKey>,
  chainOf: ReadonlyMap<string, Chain>,
  laneOfHandover: (handoverId: string) => LaneKey,
): ReportMarker {
  if (event.type !== 'NoticeAcknowledged') {
    const chain = event.data.negotiationId ? chainOf.get(event.data.negotiationId) : undefined;
    laneOfNotice.set(
      event.data.noticeId,
      chain ? `lead-${chain}` : event.data.handoverId ? laneOfHandover(event.data.handoverId) : 'responsible',
    );
  }
  const lane = laneOfNotice.get(event.data.noticeId) ?? 'responsible';
  switch (event.type) {
    case 'NoticeSent':
      return {
        kind: 'notice-sent',
        lane,
        at: event.data.sentAt,
        level: event.data.level,
        label: `Melding verstuurd aan ${event.data.recipient.organisation} (${event.data.recipient.role})`,
      };
    case 'NoticeFailed':
      return {
        kind: 'notice-failed',
        lane,
        at: event.data.failedAt,
        level: event.data.level,
        label: `Melding niet bezorgd aan ${event.data.recipient.organisation} (${event.data.recipient.role})`,
      };
    case 'NoticeAcknowledged':
      return {
        kind: 'notice-acknowledged',
        lane,
        at: event.data.acknowledgedAt,
        label: `Melding bevestigd door ${event.data.acknowledgedBy.organisation} (${event.data.acknowledgedBy.role})`,
      };
  }
}

/** One line per event, in Dutch, with pseudonymous ids only. */
function summaryOf(event: AnyCaseEvent): string {
  switch (event.type) {
    case 'HandoverRequested':
      return `Overdracht aangevraagd: ${event.data.fromOrg} → ${event.data.toOrg}`;
    case 'HandoverReceived':
      return 'Ontvangst bevestigd';
    case 'HandoverAccepted':
      return `Overdracht geaccepteerd, geplande start ${event.data.plannedStartDate}`;
    case 'HandoverStarted':
      return `Zorg gestart bij ${event.data.toOrg} (bevestigd ${event.data.confirmedAt})`;
    case 'HandoverRejected':
      return `Overdracht afgewezen: ${event.data.reason}`;
    case 'HandoverWithdrawn':
      return `Overdracht ingetrokken: ${event.data.reason}`;
    case 'HandoverContactFailed':
      return `Geen contact met het gezin: ${event.data.reason}`;
    case 'HandoverEscalated':
      return `Geëscaleerd naar niveau ${event.data.level} (${ESCALATION_REASONS[event.data.reason]})`;
    case 'CaseKeptBySender':
      return `${event.data.organisation} houdt de zaak: ${event.data.reason}`;
    case 'CaseOpened':
      return `Casus geopend door ${event.data.openedBy}: kinderen ${event.data.childIds.join(', ')}`;
    case 'ChildrenAdded':
      return `Kinderen toegevoegd (${event.data.childIds.join(', ')}), verantwoordelijk: ${event.data.responsibleOrg}`;
    case 'PartyInvolved':
      return `${event.data.involvedBy} betrekt ${event.data.organisation} bij de casus (${event.data.reason})`;
    case 'LeadNegotiationOpened':
      return `Regie-overleg ${event.data.chain === 'care' ? 'zorgketen' : 'veiligheidsketen'} geopend: ${event.data.parties.join(', ')}`;
    case 'LeadProposed':
      return `${event.data.proposedBy} stelt ${event.data.lead} voor als regiehouder${event.data.counter ? ' (tegenvoorstel)' : ''}`;
    case 'LeadProposalAccepted':
      return `${event.data.acceptance.organisation} stemt in met het voorstel`;
    case 'LeadAgreed':
      return `Regie afgesproken: ${event.data.lead}`;
    case 'LeadDecided':
      return `Regie besloten door ${event.data.decidedBy.organisation} (${event.data.decidedBy.role})${confirmedBy(event.data)}: ${event.data.lead}`;
    case 'LeadDecisionTaken':
      return `Besluit van de bestuurder van ${event.data.decidedBy.organisation}${event.data.counter ? ' (tegenbesluit)' : ''}: regie bij ${event.data.lead}, wacht op bevestiging door ${event.data.awaiting.join(', ')}`;
    case 'LeadDecisionConfirmed':
      return `Besluit bevestigd door ${event.data.confirmation.organisation} (${event.data.confirmation.role})`;
    case 'LeadNegotiationEscalated':
      return `Regie-overleg geëscaleerd naar niveau ${event.data.level}`;
    case 'LeadRenegotiationOpened':
      return `Regie opnieuw ter discussie: ${event.data.reason}`;
    case 'LeadRegionMismatch':
      return `Regie in verschillende werkgebieden: ${event.data.careLead} / ${event.data.safetyLead}`;
    case 'NoticeAttemptFailed':
      return `Bezorgpoging ${event.data.attempt} mislukt (${event.data.recipient.organisation})`;
    case 'NoticeSent':
      return `Melding verstuurd aan ${event.data.recipient.organisation} (${event.data.recipient.role})`;
    case 'NoticeFailed':
      return `Melding niet bezorgd na ${event.data.attempts} pogingen (${event.data.recipient.organisation})`;
    case 'NoticeAcknowledged':
      return `Melding bevestigd door ${event.data.acknowledgedBy.organisation} (${event.data.acknowledgedBy.role})`;
    case 'FamilyChangeRecorded':
      return `Gezinssituatie veranderd (${event.data.code}), vastgelegd door ${event.data.recordedBy}; herbeoordeling door ${event.data.reassessments.map((r) => r.organisation).join(', ')}`;
    case 'RiskReassessed':
      return `Risico's opnieuw ingeschat door ${event.data.organisation}: ${event.data.outcome} (${event.data.documentRef})`;
    case 'CareAvoidanceSignalled':
      return `Zorgmijding (${event.data.code}) gemeld door ${event.data.signalledBy}`;
    case 'CaseDirectorProposed':
      return `Regisseur voorgesteld: ${event.data.professionalId} van ${event.data.organisation}, door ${event.data.proposedBy}`;
    case 'CaseDirectorConfirmed':
      return `Regisseur bevestigd: ${event.data.professionalId} van ${event.data.organisation}, door ${event.data.confirmedBy}`;
    case 'PlanGoalSet':
      return `Doel gezinsplan: ${event.data.code}, eigenaar ${event.data.owner}, streefdatum ${event.data.targetDate}`;
    case 'PlanGoalResultRecorded':
      return `Resultaat doel ${event.data.goalId}: ${event.data.result}`;
    case 'FamilyEscalated':
      return `Gezin geëscaleerd naar niveau ${event.data.level} (${event.data.reason}) bij ${event.data.organisations.join(', ')}`;
    default:
      return (event as { type: string }).type;
  }
}

/** A decision at the top as the report names it: who decided and, since §6, who confirmed. */
function decidedHow(data: LeadDecided['data']): string {
  return `besloten door ${data.decidedBy.organisation}${confirmedBy(data)}`;
}

function confirmedBy(data: LeadDecided['data']): string {
  return data.confirmations?.length
    ? `, bevestigd door ${data.confirmations.map((c) => c.organisation).join(', ')}`
    : '';
}
