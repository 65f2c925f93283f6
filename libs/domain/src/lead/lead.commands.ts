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

export interface DecideLead extends Base {
  readonly type: 'DecideLead';
  readonly lead: string;
  readonly rationale: string;
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
  OpenNegotiation | ProposeLead | AcceptProposal | DecideLead | Renegotiate | EscalateNegotiation;
