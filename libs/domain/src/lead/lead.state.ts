import type { EscalationLevel } from '../organisations/organisation';
import type { Acceptance, Chain, LeadEvent, LeadNegotiationOpened, SuggestedLead } from './lead.events';

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
  readonly decidedBy?: { readonly organisation: string; readonly subject: string; readonly role: string };
  readonly rationale?: string;
}

export interface LeadNegotiationState {
  readonly status: NegotiationStatus;
  readonly version: number;
  readonly opened?: LeadNegotiationOpened['data'];
  readonly round: number;
  readonly deadlineAt?: string;
  readonly proposals: readonly Proposal[];
  readonly acceptances: readonly Acceptance[];
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
  history: [],
  escalation: { level: 0, repeat: 0 },
};

export function currentProposal(state: LeadNegotiationState): Proposal | undefined {
  return state.proposals.at(-1);
}

/** An open counter-proposal: the parties disagree (escalates as "disagreement"). */
export function inDisagreement(state: LeadNegotiationState): boolean {
  return state.status === 'open' && state.proposals.some((p) => p.counter);
}

export function evolveLead(state: LeadNegotiationState, event: LeadEvent): LeadNegotiationState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'LeadNegotiationOpened':
      return { ...next, status: 'open', opened: event.data, round: 1, deadlineAt: event.data.deadlineAt };
    case 'LeadProposed':
      return {
        ...next,
        proposals: [...state.proposals, { ...event.data }],
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
      return { ...next, status: 'agreed', lead, history: [...state.history, lead] };
    }
    case 'LeadDecided': {
      const lead: LeadInForce = {
        organisation: event.data.lead,
        how: 'decided',
        since: event.data.decidedAt,
        round: event.data.round,
        decidedBy: event.data.decidedBy,
        rationale: event.data.rationale,
      };
      return { ...next, status: 'decided', lead, history: [...state.history, lead] };
    }
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
        escalation: { level: 0, repeat: 0 },
      };
    default: {
      const unknown: never = event;
      throw new Error(`unknown lead event ${JSON.stringify(unknown)}`);
    }
  }
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
    disagreement: inDisagreement(state),
    escalation: state.escalation,
    ...(state.lead ? { lead: state.lead } : {}),
    leadHistory: state.history,
    version: state.version,
  };
}
