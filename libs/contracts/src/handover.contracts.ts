import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AcceptHandover,
  AcknowledgeReceipt,
  Chain,
  ConfirmStart,
  DeadlineSpec,
  FrozenLadders,
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
}

export interface HandoverActivities {
  /** The instant a deadline falls on: working days (Dutch calendar) or a demo-mode duration. */
  deadlineAt(input: DeadlineAtInput): Promise<string>;
  /** Appends events idempotently (same event ids = stored once) and returns the new stream version. */
  recordEvents(input: RecordEventsInput): Promise<number>;
}

export const handoverWorkflowId = (handoverId: string) => `handover-${handoverId}`;
