import type { EscalationLevel } from '../organisations/organisation';
import type {
  Acceptance,
  Chain,
  DirectorActor,
  LeadEvent,
  LeadNegotiationOpened,
  LeadProposed,
  SuggestedLead,
} from './lead.events';

export type NegotiationStatus = 'none' | 'open' | 'agreed' | 'decided';

export interface Proposal {
  readonly proposalId: string;
  readonly lead: string;
  readonly proposedBy: string;
  readonly proposer: { readonly subject: string; readonly role: string };
  readonly rationale: string;
  readonly counter: boolean;
  readonly proposedAt: string;
}

export interface LeadInForce {
  readonly organisation: string;
  readonly how: 'agreed' | 'decided';
  readonly since: string;
  readonly round: number;
  readonly acceptances?: readonly Acceptance[];
  readonly decidedBy?: DirectorActor;
  readonly rationale?: string;
  /** For a decision taken together: the other parties' directors who confirmed it. */
  readonly confirmations?: readonly Acceptance[];
}

/** A director's decision at the top, waiting for the other parties' directors to confirm it. */
export interface PendingDecision {
  readonly decisionId: string;
  readonly lead: string;
  readonly decidedBy: DirectorActor;
  readonly rationale: string;
  readonly counter: boolean;
  readonly awaiting: readonly string[];
  readonly decidedAt: string;
  readonly confirmations: readonly Acceptance[];
}

export interface LeadNegotiationState {
  readonly status: NegotiationStatus;
  readonly version: number;
  readonly opened?: LeadNegotiationOpened['data'];
  readonly round: number;
  readonly deadlineAt?: string;
  readonly proposals: readonly Proposal[];
  readonly acceptances: readonly Acceptance[];
  /** The open decision at the top of this round, if any (a later counter-decision replaces it). */
  readonly decision?: PendingDecision;
  /** Decisions taken at the top in this round: any one of them means the parties disagree. */
  readonly decisionsTaken: number;
  /** Survives re-negotiation: a chain never has "no lead" once it had one. */
  readonly lead?: LeadInForce;
  readonly history: readonly LeadInForce[];
  readonly escalation: { readonly level: EscalationLevel; readonly repeat: number; readonly lastAt?: string };
}

export const initialLeadState: LeadNegotiationState = {
  status: 'none',
  version: 0,
  round: 0,
  proposals: [],
  acceptances: [],
  decisionsTaken: 0,
  history: [],
  escalation: { level: 0, repeat: 0 },
};

export function currentProposal(state: LeadNegotiationState): Proposal | undefined {
  return state.proposals.at(-1);
}

/**
 * An open counter-proposal, or a decision at the top not yet confirmed by every other party's
 * director: the parties disagree (escalates as "disagreement").
 */
export function inDisagreement(state: LeadNegotiationState): boolean {
  return state.status === 'open' && (state.proposals.some((p) => p.counter) || state.decisionsTaken > 0);
}

export function evolveLead(state: LeadNegotiationState, event: LeadEvent): LeadNegotiationState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'LeadNegotiationOpened':
      return { ...next, status: 'open', opened: event.data, round: 1, deadlineAt: event.data.deadlineAt };
    case 'LeadProposed':
      return {
        ...next,
        // The proposal only: the view shows it as it is, without the event's ids and round.
        proposals: [...state.proposals, proposalOf(event.data)],
        // The proposer accepts its own proposal; a new proposal replaces earlier acceptances.
        acceptances: [],
      };
    case 'LeadProposalAccepted':
      return { ...next, acceptances: [...state.acceptances, event.data.acceptance] };
    case 'LeadAgreed': {
      const lead: LeadInForce = {
        organisation: event.data.lead,
        how: 'agreed',
        since: event.data.agreedAt,
        round: event.data.round,
        acceptances: event.data.acceptances,
      };
      return { ...next, status: 'agreed', decision: undefined, lead, history: [...state.history, lead] };
    }
    case 'LeadDecided': {
      const lead: LeadInForce = {
        organisation: event.data.lead,
        how: 'decided',
        since: event.data.decidedAt,
        round: event.data.round,
        decidedBy: event.data.decidedBy,
        rationale: event.data.rationale,
        ...(event.data.confirmations ? { confirmations: event.data.confirmations } : {}),
      };
      return { ...next, status: 'decided', decision: undefined, lead, history: [...state.history, lead] };
    }
    case 'LeadDecisionTaken': {
      const d = event.data;
      const decision: PendingDecision = {
        decisionId: d.decisionId,
        lead: d.lead,
        decidedBy: d.decidedBy,
        rationale: d.rationale,
        counter: d.counter,
        awaiting: d.awaiting,
        decidedAt: d.decidedAt,
        confirmations: [],
      };
      return { ...next, decision, decisionsTaken: state.decisionsTaken + 1 };
    }
    case 'LeadDecisionConfirmed':
      return state.decision?.decisionId === event.data.decisionId
        ? {
            ...next,
            decision: {
              ...state.decision,
              confirmations: [...state.decision.confirmations, event.data.confirmation],
            },
          }
        : next;
    case 'LeadNegotiationEscalated':
      return {
        ...next,
        escalation: { level: event.data.level, repeat: event.data.repeat, lastAt: event.data.escalatedAt },
      };
    case 'LeadRenegotiationOpened':
      return {
        ...next,
        status: 'open',
        round: event.data.round,
        deadlineAt: event.data.deadlineAt,
        proposals: [],
        acceptances: [],
        decision: undefined,
        decisionsTaken: 0,
        escalation: { level: 0, repeat: 0 },
      };
    default: {
      const unknown: never = event;
      throw new Error(`unknown lead event ${JSON.stringify(unknown)}`);
    }
  }
}

function proposalOf(d: LeadProposed['data']): Proposal {
  return {
    proposalId: d.proposalId,
    lead: d.lead,
    proposedBy: d.proposedBy,
    proposer: d.proposer,
    rationale: d.rationale,
    counter: d.counter,
    proposedAt: d.proposedAt,
  };
}

export function foldLead(events: readonly LeadEvent[]): LeadNegotiationState {
  return events.reduce(evolveLead, initialLeadState);
}

/** A negotiation as the API and the workflow's updates show it. */
export interface LeadNegotiationView {
  readonly negotiationId: string;
  readonly caseId: string;
  readonly chain: Chain;
  readonly parties: readonly string[];
  readonly status: NegotiationStatus;
  readonly round: number;
  readonly deadlineAt?: string;
  readonly suggestedLead?: SuggestedLead;
  readonly currentProposal?: Proposal & {
    readonly acceptedBy: readonly string[];
    readonly waitingFor: readonly string[];
  };
  /** The open decision at the top, who confirmed it and whose directors it waits for. */
  readonly pendingDecision?: PendingDecision & {
    readonly confirmedBy: readonly string[];
    readonly waitingFor: readonly string[];
  };
  readonly disagreement: boolean;
  readonly escalation: LeadNegotiationState['escalation'];
  readonly lead?: LeadInForce;
  readonly leadHistory: readonly LeadInForce[];
  readonly version: number;
}

export function toLeadView(state: LeadNegotiationState): LeadNegotiationView {
  const opened = state.opened;
  if (!opened) throw new Error('a negotiation is shown only once it was opened');
  const proposal = currentProposal(state);
  const acceptedBy = proposal ? [proposal.proposedBy, ...state.acceptances.map((a) => a.organisation)] : [];
  return {
    negotiationId: opened.negotiationId,
    caseId: opened.caseId,
    chain: opened.chain,
    parties: opened.parties,
    status: state.status,
    round: state.round,
    ...(state.status === 'open' && state.deadlineAt ? { deadlineAt: state.deadlineAt } : {}),
    ...(opened.suggestedLead ? { suggestedLead: opened.suggestedLead } : {}),
    ...(proposal && state.status === 'open'
      ? {
          currentProposal: {
            ...proposal,
            acceptedBy,
            waitingFor: opened.parties.filter((p) => !acceptedBy.includes(p)),
          },
        }
      : {}),
    ...(state.decision && state.status === 'open' ? { pendingDecision: pendingView(state.decision) } : {}),
    disagreement: inDisagreement(state),
    escalation: state.escalation,
    ...(state.lead ? { lead: state.lead } : {}),
    leadHistory: state.history,
    version: state.version,
  };
}

function pendingView(decision: PendingDecision): NonNullable<LeadNegotiationView['pendingDecision']> {
  const confirmedBy = decision.confirmations.map((c) => c.organisation);
  return { ...decision, confirmedBy, waitingFor: decision.awaiting.filter((p) => !confirmedBy.includes(p)) };
}
