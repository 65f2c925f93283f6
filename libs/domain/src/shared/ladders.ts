import type { EscalationLevel, EscalationRole } from '../organisations/organisation';

/** One rung of an organisation's escalation ladder as it is told of an escalation. */
export interface LadderRecipient {
  readonly organisation: string;
  readonly role: EscalationRole;
  /** The job title the organisation uses for that role, for the notice. */
  readonly title: string;
}

/** The escalation ladders in force when a handover was requested, frozen into it. */
export interface FrozenLadders {
  readonly directoryVersion: string;
  readonly from: readonly { readonly level: EscalationLevel; readonly role: EscalationRole; readonly title: string }[];
  readonly to: readonly { readonly level: EscalationLevel; readonly role: EscalationRole; readonly title: string }[];
}
