import type { LadderStep } from '../organisations/organisation';
import type { CommandActor } from '../shared/actor';
import type { DeadlineSpec } from '../handover/handover.events';
import type { Chain, SuggestedLead } from './lead.events';

interface Base {
  readonly actor: CommandActor;
  readonly now: string;
}

export interface OpenNegotiation extends Base {
  readonly type: 'OpenNegotiation';
  readonly negotiationId: string;
  readonly caseId: string;
  readonly chain: Chain;
  readonly parties: readonly string[];
  readonly municipality?: string;
  readonly suggestedLead?: SuggestedLead;
  readonly deadlines: { readonly agreement: DeadlineSpec; readonly escalationInterval: DeadlineSpec };
  /** Computed before deciding (working days need the holiday calendar). */
  readonly deadlineAt: string;
  readonly ladders: Readonly<Record<string, readonly LadderStep[]>>;
}

export interface ProposeLead extends Base {
  readonly type: 'ProposeLead';
  readonly proposalId: string;
  readonly lead: string;
  readonly rationale: string;
}

export interface AcceptProposal extends Base {
  readonly type: 'AcceptProposal';
  readonly proposalId: string;
}

/** A director's decision once escalation reached the directors (a counter-decision if another is open). */
export interface DecideLead extends Base {
  readonly type: 'DecideLead';
  readonly decisionId: string;
  readonly lead: string;
  readonly rationale: string;
  /**
   * Whether the other parties' directors must confirm it (issue 11 §6). The workflow sets it:
   * false only when it replays a negotiation from before that rule (patch
   * `lead-decision-confirmed`), where one director's decision put the lead in force.
   */
  readonly confirmationRequired: boolean;
}

/** Another party's director confirms the open decision at the top. */
export interface ConfirmDecision extends Base {
  readonly type: 'ConfirmDecision';
  readonly decisionId: string;
}

export interface Renegotiate extends Base {
  readonly type: 'Renegotiate';
  readonly reason: string;
  readonly deadlineAt: string;
}

export interface EscalateNegotiation extends Base {
  readonly type: 'EscalateNegotiation';
}

export type LeadCommand =
  OpenNegotiation | ProposeLead | AcceptProposal | DecideLead | ConfirmDecision | Renegotiate | EscalateNegotiation;
