import { foldHandover } from '../handover/handover.state';
import type { HandoverEvent } from '../handover/handover.events';
import { type HandoverView, toHandoverView } from '../handover/handover.view';
import type { Chain, LeadRegionMismatch } from '../lead/lead.events';
import { foldLead, type LeadInForce, type LeadNegotiationView, toLeadView } from '../lead/lead.state';
import { type ChainLead, leadsAt } from '../lead/leads.projection';
import { type NoticeSummary, noticeSummaries } from '../notice/notices.projection';
import {
  asCaseEvent,
  type CaseRecord,
  effectiveTime,
  isCaseDecisionEvent,
  isHandoverEvent,
  isLeadEvent,
  isLeadOrMismatch,
  isNoticeEvent,
} from './case-record';
import { type UnresolvedHandover, unresolvedHandover } from './case.decisions';
import {
  type ChildResponsibility,
  type ChildResponsibilityPeriod,
  foldCaseFacts,
  responsibilityByChildAt,
  sharedResponsibility,
} from './case.facts';

/**
 * The state of a case at a moment, folded from its events alone (R10), on two clocks:
 *
 * - `asRecordedAt` picks what the system knew: the events recorded at or before it.
 * - `at` picks, of those, the events whose effective time (see effectiveTime) is at or before it.
 *
 * The chosen events are folded in the order they were recorded. So a start of care confirmed late
 * with an earlier `startedAt` moves responsibility from `startedAt` on when asked with everything
 * recorded, and not at all when asked as recorded before the confirmation.
 */
export interface CaseStateQuery {
  readonly at: string;
  readonly asRecordedAt: string;
}

/** The lead in force, with who agreed to it (every acceptance) or who decided it and why. */
export type ChainLeadState = ChainLead & Pick<LeadInForce, 'acceptances' | 'decidedBy' | 'rationale' | 'confirmations'>;

export interface ChainState {
  readonly lead?: ChainLeadState;
  /** The chain's negotiation as it stood: open (with its proposal and escalation) or settled. */
  readonly negotiation: Pick<
    LeadNegotiationView,
    | 'negotiationId'
    | 'parties'
    | 'status'
    | 'round'
    | 'deadlineAt'
    | 'currentProposal'
    | 'pendingDecision'
    | 'disagreement'
    | 'escalation'
  >;
}

export interface CaseState {
  readonly caseId: string;
  readonly at: string;
  readonly asRecordedAt: string;
  /** `at` is compared with each event's effective time; `asRecordedAt` with its recorded time. */
  readonly basis: 'effective-time';
  /** Earliest effective time of the events known at `asRecordedAt`; absent when none were. */
  readonly knownSince?: string;
  readonly events: { readonly recorded: number; readonly inEffect: number };
  /**
   * The organisation responsible for every child, while they share one; absent before any child
   * was known, and when siblings are with different organisations (see `children`).
   */
  readonly responsible?: ChildResponsibilityPeriod;
  /** Each child known then, with the organisation responsible for it then (R2: always exactly one). */
  readonly children: readonly ChildResponsibility[];
  readonly chains: Partial<Record<Chain, ChainState>>;
  /** The lead-region mismatch flagged for the leads in force, if they still mismatch (R4). */
  readonly mismatch?: LeadRegionMismatch['data'];
  /** Handovers requested and not yet started, rejected or withdrawn, with deadlines and escalation. */
  readonly openHandovers: readonly HandoverView[];
  readonly unresolvedHandover?: UnresolvedHandover;
  /** Every escalation notice attempted by then, whatever became of it. */
  readonly notices: readonly NoticeSummary[];
}

export function caseStateAt(caseId: string, records: readonly CaseRecord[], query: CaseStateQuery): CaseState {
  const at = Date.parse(query.at);
  const known = records.filter((r) => Date.parse(r.recordedAt) <= Date.parse(query.asRecordedAt));
  const inEffect = known.filter((r) => Date.parse(effectiveTime(r)) <= at).map(asCaseEvent);
  const knownSince = known.map(effectiveTime).sort((a, b) => Date.parse(a) - Date.parse(b))[0];

  const handoverEvents = inEffect.filter(isHandoverEvent);
  const children = responsibilityByChildAt(foldCaseFacts(inEffect), query.at);
  const responsible = sharedResponsibility(children);
  const unresolved = unresolvedHandover(inEffect.filter(isCaseDecisionEvent));
  const leads = leadsAt(caseId, inEffect.filter(isLeadOrMismatch), query.at);

  const chains: Partial<Record<Chain, ChainState>> = {};
  for (const [chain, negotiationId] of Object.entries(leads.negotiations) as [Chain, string][]) {
    const view = toLeadView(
      foldLead(inEffect.filter(isLeadEvent).filter((e) => e.data.negotiationId === negotiationId)),
    );
    const lead = leads[chain];
    const detail = lead && view.leadHistory.find((l) => l.round === lead.round && l.since === lead.since);
    chains[chain] = {
      ...(lead
        ? {
            lead: {
              ...lead,
              ...(detail?.acceptances ? { acceptances: detail.acceptances } : {}),
              ...(detail?.decidedBy ? { decidedBy: detail.decidedBy } : {}),
              ...(detail?.rationale ? { rationale: detail.rationale } : {}),
            },
          }
        : {}),
      negotiation: {
        negotiationId: view.negotiationId,
        parties: view.parties,
        status: view.status,
        round: view.round,
        ...(view.deadlineAt ? { deadlineAt: view.deadlineAt } : {}),
        ...(view.currentProposal ? { currentProposal: view.currentProposal } : {}),
        ...(view.pendingDecision ? { pendingDecision: view.pendingDecision } : {}),
        disagreement: view.disagreement,
        escalation: view.escalation,
      },
    };
  }

  const byHandover = new Map<string, HandoverEvent[]>();
  for (const event of handoverEvents) {
    byHandover.set(event.data.handoverId, [...(byHandover.get(event.data.handoverId) ?? []), event]);
  }
  const openHandovers = [...byHandover.values()]
    .map(foldHandover)
    .filter((state) => state.request !== undefined)
    .map((state) => toHandoverView(state, query.at))
    .filter((view) => view.open);

  return {
    caseId,
    at: new Date(at).toISOString(),
    asRecordedAt: new Date(query.asRecordedAt).toISOString(),
    basis: 'effective-time',
    ...(knownSince ? { knownSince } : {}),
    events: { recorded: known.length, inEffect: inEffect.length },
    ...(responsible ? { responsible } : {}),
    children,
    chains,
    ...(leads.mismatch ? { mismatch: leads.mismatch } : {}),
    openHandovers,
    ...(unresolved ? { unresolvedHandover: unresolved } : {}),
    notices: noticeSummaries(inEffect.filter(isNoticeEvent)),
  };
}
