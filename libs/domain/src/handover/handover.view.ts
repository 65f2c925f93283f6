import type { EscalationLevel } from '../organisations/organisation';
import type { EscalationReason, HandoverReason } from './handover.events';
import {
  type HandoverState,
  type HandoverStatus,
  isOpen,
  pendingStep,
  responsibleOrganisation,
} from './handover.state';

/** A handover as the API and the workflow's updates show it. */
export interface HandoverView {
  readonly handoverId: string;
  readonly caseId: string;
  readonly childIds: readonly string[];
  readonly fromOrg: string;
  readonly toOrg: string;
  readonly reason: HandoverReason;
  readonly status: HandoverStatus;
  readonly open: boolean;
  /** Who is responsible for the children now: the sender until care has started (R1). */
  readonly responsibleOrg: string;
  readonly requestedAt: string;
  readonly deadlines: { readonly receiptDueAt: string; readonly startDueAt: string };
  /** The step the handover waits for, if any, and whether its deadline has passed. */
  readonly pending?: { readonly step: 'receipt' | 'start'; readonly dueAt: string; readonly overdue: boolean };
  readonly escalation: {
    readonly level: EscalationLevel;
    readonly repeat: number;
    readonly lastAt?: string;
    readonly lastReason?: EscalationReason;
  };
  readonly receivedAt?: string;
  readonly acceptedAt?: string;
  readonly plannedStartDate?: string;
  readonly startedAt?: string;
  readonly closedAt?: string;
  readonly closeReason?: string;
  readonly contactFailures: number;
  /** After a rejection or withdrawal: the escalation of the sender's missing decision, if any. */
  readonly followUp?: { readonly level: EscalationLevel; readonly repeat: number; readonly lastAt: string };
  readonly version: number;
}

export function toHandoverView(state: HandoverState, now: string): HandoverView {
  const request = state.request;
  if (!request) throw new Error('a handover is shown only once it was requested');
  const pending = pendingStep(state);
  return {
    handoverId: request.handoverId,
    caseId: request.caseId,
    childIds: request.childIds,
    fromOrg: request.fromOrg,
    toOrg: request.toOrg,
    reason: request.reason,
    status: state.status,
    open: isOpen(state),
    responsibleOrg: responsibleOrganisation(state)!,
    requestedAt: request.requestedAt,
    deadlines: { receiptDueAt: request.receiptDueAt, startDueAt: request.startDueAt },
    ...(pending ? { pending: { ...pending, overdue: Date.parse(now) > Date.parse(pending.dueAt) } } : {}),
    escalation: state.escalation,
    ...(state.receivedAt ? { receivedAt: state.receivedAt } : {}),
    ...(state.acceptedAt ? { acceptedAt: state.acceptedAt } : {}),
    ...(state.plannedStartDate ? { plannedStartDate: state.plannedStartDate } : {}),
    ...(state.startedAt ? { startedAt: state.startedAt } : {}),
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    ...(state.closeReason ? { closeReason: state.closeReason } : {}),
    contactFailures: state.contactFailures,
    ...(state.followUp ? { followUp: state.followUp } : {}),
    version: state.version,
  };
}
