import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AcceptProposal,
  Chain,
  ConfirmDecision,
  DecideLead,
  LeadNegotiationView,
  OpenNegotiation,
  ProposeLead,
  Renegotiate,
} from '@warm-handover/domain';
import type { CommandMeta } from './handover.contracts';

type WithoutClock<T> = Omit<T, 'now' | 'actor' | 'type'>;

/** POST /cases/{caseId}/lead-negotiations as the workflow receives it; it computes the deadline. */
export type OpenNegotiationInput = Omit<WithoutClock<OpenNegotiation>, 'deadlineAt'>;

export type LeadCommandInput =
  | ({ readonly type: 'ProposeLead' } & WithoutClock<ProposeLead>)
  | ({ readonly type: 'AcceptProposal' } & WithoutClock<AcceptProposal>)
  /** The workflow sets confirmationRequired: it knows which rule the negotiation runs under. */
  | ({ readonly type: 'DecideLead' } & Omit<WithoutClock<DecideLead>, 'confirmationRequired'>)
  | ({ readonly type: 'ConfirmDecision' } & WithoutClock<ConfirmDecision>)
  | ({ readonly type: 'Renegotiate' } & Omit<WithoutClock<Renegotiate>, 'deadlineAt'>);

export const openNegotiationUpdate = defineUpdate<
  LeadNegotiationView,
  [{ meta: CommandMeta; open: OpenNegotiationInput }]
>('openNegotiation');
export const leadCommandUpdate = defineUpdate<LeadNegotiationView, [{ meta: CommandMeta; command: LeadCommandInput }]>(
  'leadCommand',
);
export const leadViewQuery = defineQuery<LeadNegotiationView | null>('leadView');

export interface CheckLeadAlignmentInput {
  readonly caseId: string;
  /** The event that set the lead just now; the mismatch record is idempotent on it. */
  readonly causedBy: string;
}

export interface OpenRegionCrossingInput {
  readonly caseId: string;
  readonly chain: Chain;
  /** Sender and receiver of the handover that made the case region-crossing. */
  readonly parties: readonly [string, string];
  /** The handover's id: opening is idempotent on it (one update id per handover). */
  readonly handoverId: string;
  readonly correlationId: string;
}

export interface LeadActivities {
  /** Records a LeadRegionMismatch on the case when the two chains' leads lie in different areas. */
  checkLeadAlignment(input: CheckLeadAlignmentInput): Promise<boolean>;
  /** Opens the case's negotiation in the chain; the negotiation id, or null if one was open already. */
  openRegionCrossingNegotiation(input: OpenRegionCrossingInput): Promise<string | null>;
}

/** One negotiation workflow per case and chain; a re-negotiation is a new round in it. */
export const leadWorkflowId = (caseId: string, chain: Chain) => `lead-${chain}-${caseId}`;
