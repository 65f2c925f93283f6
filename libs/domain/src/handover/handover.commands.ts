import type { DeadlineSpec, EscalationReason, FrozenLadders, HandoverReason } from './handover.events';

import type { CommandActor } from '../shared/actor';

export type { CommandActor } from '../shared/actor';

interface CommandBase {
  readonly actor: CommandActor;
  /** When the command is decided: time comes in with the command, the decider has no clock. */
  readonly now: string;
}

export interface RequestHandover extends CommandBase {
  readonly type: 'RequestHandover';
  readonly handoverId: string;
  readonly caseId: string;
  readonly childIds: readonly string[];
  readonly fromOrg: string;
  readonly toOrg: string;
  readonly reason: HandoverReason;
  readonly reasonNote?: string;
  readonly riskAssessmentRef?: string;
  readonly safetyAgreementRefs: readonly string[];
  readonly deadlines: {
    readonly receipt: DeadlineSpec;
    readonly start: DeadlineSpec;
    readonly escalationInterval: DeadlineSpec;
    readonly followUp?: DeadlineSpec;
  };
  /** Computed before deciding (working days need the holiday calendar). */
  readonly receiptDueAt: string;
  readonly startDueAt: string;
  readonly ladders: FrozenLadders;
}

export interface AcknowledgeReceipt extends CommandBase {
  readonly type: 'AcknowledgeReceipt';
}

export interface AcceptHandover extends CommandBase {
  readonly type: 'AcceptHandover';
  readonly plannedStartDate: string;
}

export interface RejectHandover extends CommandBase {
  readonly type: 'RejectHandover';
  readonly reason: string;
}

export interface ConfirmStart extends CommandBase {
  readonly type: 'ConfirmStart';
  /** When care actually started; defaults to `now` at the API. */
  readonly startedAt: string;
  /** Pseudonymous id of the professional who started care; defaults to the actor. */
  readonly startedBy: string;
}

export interface ReportContactFailure extends CommandBase {
  readonly type: 'ReportContactFailure';
  readonly reason: string;
}

export interface WithdrawHandover extends CommandBase {
  readonly type: 'WithdrawHandover';
  readonly reason: string;
}

/** Issued by the workflow's timers, never by a person. */
export interface EscalateHandover extends CommandBase {
  readonly type: 'EscalateHandover';
  readonly reason: EscalationReason;
}

export type HandoverCommand =
  | RequestHandover
  | AcknowledgeReceipt
  | AcceptHandover
  | RejectHandover
  | ConfirmStart
  | ReportContactFailure
  | WithdrawHandover
  | EscalateHandover;

export type HandoverCommandType = HandoverCommand['type'];

/** Commands that people send through the API, by the URL segment that carries them. */
export const PERSON_COMMANDS = {
  receipt: 'AcknowledgeReceipt',
  acceptance: 'AcceptHandover',
  rejection: 'RejectHandover',
  'start-confirmation': 'ConfirmStart',
  'contact-failure': 'ReportContactFailure',
  withdrawal: 'WithdrawHandover',
} as const satisfies Record<string, HandoverCommandType>;
