import { ApplicationFailure, defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AcceptHandover,
  AcknowledgeReceipt,
  Chain,
  ConfirmStart,
  DeadlineSpec,
  FrozenLadders,
  HandoverAdmission,
  HandoverView,
  RefusalCode,
  RefusalDetails,
  RejectHandover,
  ReportContactFailure,
  RequestHandover,
  WithdrawHandover,
} from '@warm-handover/domain';
import type { Actor, NewEvent } from './events';

/** Who sent a command and how to tie its events together. */
export interface CommandMeta {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The command's id; Temporal dedupes updates on it, so a retried command runs once. */
  readonly commandId: string;
  readonly idempotencyKey?: string;
}

type WithoutClock<T> = Omit<T, 'now' | 'actor'>;

/** POST /handovers as the workflow receives it; it computes the due dates itself. */
export type RequestHandoverInput = Omit<WithoutClock<RequestHandover>, 'type' | 'receiptDueAt' | 'startDueAt'> & {
  readonly ladders: FrozenLadders;
  /**
   * Set when sender and receiver are two regions of one chain (R4): once the request is
   * recorded, the workflow opens the case's lead negotiation in that chain.
   */
  readonly regionCrossing?: Chain;
  /** The request registers a new case: the API issued its id just now. */
  readonly opensCase?: boolean;
};

/** The commands people send to an existing handover. */
export type PersonCommandInput =
  | WithoutClock<AcknowledgeReceipt>
  | WithoutClock<AcceptHandover>
  | WithoutClock<RejectHandover>
  | WithoutClock<ConfirmStart>
  | WithoutClock<ReportContactFailure>
  | WithoutClock<WithdrawHandover>;

export const requestHandoverUpdate = defineUpdate<HandoverView, [{ meta: CommandMeta; request: RequestHandoverInput }]>(
  'requestHandover',
);
export const handoverCommandUpdate = defineUpdate<HandoverView, [{ meta: CommandMeta; command: PersonCommandInput }]>(
  'handoverCommand',
);
export const handoverViewQuery = defineQuery<HandoverView | null>('handoverView');

/**
 * Refusals of any aggregate cross from a workflow to the API as an ApplicationFailure of this
 * type. The string is the one recorded histories carry since the first release; it stays.
 */
export const COMMAND_REFUSED = 'HandoverRefused';
export type CommandRefusalDetails = { readonly code: RefusalCode } & RefusalDetails;

/**
 * A decider's refusal (a CommandRefused) as the non-retryable failure that carries it to the
 * caller, from a workflow's update handler or from an activity alike.
 */
export function commandRefusedFailure(refusal: {
  readonly code: RefusalCode;
  readonly message: string;
  readonly details: RefusalDetails;
}): ApplicationFailure {
  const details: CommandRefusalDetails = { code: refusal.code, ...refusal.details };
  return ApplicationFailure.create({
    type: COMMAND_REFUSED,
    message: refusal.message,
    nonRetryable: true,
    details: [details],
  });
}

export interface DeadlineAtInput {
  /** ISO-8601 instant to count from. */
  readonly from: string;
  readonly spec: DeadlineSpec;
}

export interface RecordEventsInput {
  readonly streamId: string;
  /** The stream version the workflow decided on; the workflow is the stream's only writer. */
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
  /**
   * For a handover request: the case's rules, checked against the case as it stands while the
   * append is locked (one open handover per child, only the responsible organisation, parties).
   * A refusal fails the activity with a COMMAND_REFUSED failure, never retried.
   */
  readonly admission?: HandoverAdmission;
}

export interface FollowUpInput {
  readonly caseId: string;
  readonly handoverId: string;
}

export interface HandoverActivities {
  /** The instant a deadline falls on: working days (Dutch calendar) or a demo-mode duration. */
  deadlineAt(input: DeadlineAtInput): Promise<string>;
  /** Appends events idempotently (same event ids = stored once) and returns the new stream version. */
  recordEvents(input: RecordEventsInput): Promise<number>;
  /** After a rejection or withdrawal: has the sender kept the children or handed them over anew (R2a)? */
  followUpResolved(input: FollowUpInput): Promise<boolean>;
}

export const handoverWorkflowId = (handoverId: string) => `handover-${handoverId}`;
