import type { EscalationLevel, LadderStep } from '../organisations/organisation';
import type { DeadlineSpec, LadderRecipient } from '../handover/handover.events';

/**
 * Who leads a region-crossing case, per chain (R4): the Veilig Thuis organisations in the care
 * chain, the police units in the safety chain. Every step is an event; times are ISO-8601.
 */
export const CHAINS = ['care', 'safety'] as const;
export type Chain = (typeof CHAINS)[number];

export interface SuggestedLead {
  readonly organisation: string;
  /** The stated rule the suggestion follows; it is shown, never imposed. */
  readonly rule: 'region-where-child-lives';
  readonly basis: string;
}

export interface Acceptance {
  readonly organisation: string;
  readonly subject: string;
  readonly role: string;
  readonly at: string;
}

interface Ids {
  readonly negotiationId: string;
  readonly caseId: string;
  readonly chain: Chain;
}

export interface LeadNegotiationOpened {
  readonly type: 'LeadNegotiationOpened';
  readonly data: Ids & {
    readonly parties: readonly string[];
    /** Municipality where the child lives, told about a lead mismatch (R4). */
    readonly municipality?: string;
    readonly suggestedLead?: SuggestedLead;
    readonly deadlines: { readonly agreement: DeadlineSpec; readonly escalationInterval: DeadlineSpec };
    readonly deadlineAt: string;
    readonly ladders: Readonly<Record<string, readonly LadderStep[]>>;
    readonly openedAt: string;
  };
}

export interface LeadProposed {
  readonly type: 'LeadProposed';
  readonly data: Ids & {
    readonly proposalId: string;
    readonly round: number;
    readonly lead: string;
    readonly proposedBy: string;
    /** The proposer accepts its own proposal: who and in which role, for the agreement record. */
    readonly proposer: { readonly subject: string; readonly role: string };
    readonly rationale: string;
    /** True when it answers another party's open proposal: an open disagreement. */
    readonly counter: boolean;
    readonly proposedAt: string;
  };
}

export interface LeadProposalAccepted {
  readonly type: 'LeadProposalAccepted';
  readonly data: Ids & { readonly proposalId: string; readonly round: number; readonly acceptance: Acceptance };
}

export interface LeadAgreed {
  readonly type: 'LeadAgreed';
  readonly data: Ids & {
    readonly round: number;
    readonly lead: string;
    readonly proposalId: string;
    /** Every party's acceptance, the proposer's included: who, in which role, when. */
    readonly acceptances: readonly Acceptance[];
    readonly agreedAt: string;
  };
}

/** A director acting for their organisation at the top of the ladder (pseudonymous subject). */
export interface DirectorActor {
  readonly organisation: string;
  readonly subject: string;
  readonly role: string;
}

/**
 * The lead is in force by a decision at the top. Recorded since the start: `decidedBy` decided
 * it. Since issue 11 §6 a decision is taken together: such an event also carries the decision
 * and every other party's director's confirmation. One without `confirmations` was recorded
 * under the earlier rule (one director decided alone) and stays a lead in force.
 */
export interface LeadDecided {
  readonly type: 'LeadDecided';
  readonly data: Ids & {
    readonly round: number;
    readonly lead: string;
    readonly decidedBy: DirectorActor;
    readonly rationale: string;
    /** When the lead came into force: the last confirmation, or the lone decision before §6. */
    readonly decidedAt: string;
    readonly decisionId?: string;
    /** The other parties' directors who confirmed the decision, in order. */
    readonly confirmations?: readonly Acceptance[];
  };
}

/**
 * One party's director decided the lead once escalation reached the directors. It is that
 * party's decision, not yet the lead: the other parties' directors must confirm it.
 */
export interface LeadDecisionTaken {
  readonly type: 'LeadDecisionTaken';
  readonly data: Ids & {
    readonly decisionId: string;
    readonly round: number;
    readonly lead: string;
    readonly decidedBy: DirectorActor;
    readonly rationale: string;
    /** True when it answers another party's director's open decision: the disagreement goes on. */
    readonly counter: boolean;
    /** The parties whose directors must confirm it. */
    readonly awaiting: readonly string[];
    readonly decidedAt: string;
  };
}

/** Another party's director confirmed the open decision at the top. */
export interface LeadDecisionConfirmed {
  readonly type: 'LeadDecisionConfirmed';
  readonly data: Ids & { readonly decisionId: string; readonly round: number; readonly confirmation: Acceptance };
}

export interface LeadNegotiationEscalated {
  readonly type: 'LeadNegotiationEscalated';
  readonly data: Ids & {
    readonly round: number;
    readonly level: EscalationLevel;
    readonly reason: 'silence' | 'disagreement';
    readonly dueAt: string;
    readonly repeat: number;
    readonly recipients: readonly LadderRecipient[];
    readonly escalatedAt: string;
  };
}

export interface LeadRenegotiationOpened {
  readonly type: 'LeadRenegotiationOpened';
  readonly data: Ids & {
    readonly round: number;
    readonly reason: string;
    readonly openedBy: string;
    /** The lead that stays in force until a new one is agreed or decided. */
    readonly leadInForce: string;
    readonly deadlineAt: string;
    readonly openedAt: string;
  };
}

export type LeadEvent =
  | LeadNegotiationOpened
  | LeadProposed
  | LeadProposalAccepted
  | LeadAgreed
  | LeadDecided
  | LeadDecisionTaken
  | LeadDecisionConfirmed
  | LeadNegotiationEscalated
  | LeadRenegotiationOpened;

/** A Veilig Thuis lead and a police lead in different working areas: a known risk (R4). */
export interface LeadRegionMismatch {
  readonly type: 'LeadRegionMismatch';
  readonly data: {
    readonly caseId: string;
    readonly careLead: string;
    readonly careLeadPoliceUnit: string;
    readonly safetyLead: string;
    readonly recipients: readonly { readonly organisation: string; readonly role: string }[];
    readonly suggestedAction: 'renegotiate';
    readonly detectedAt: string;
  };
}

export function leadStreamId(negotiationId: string): string {
  return `lead-${negotiationId}`;
}
