import type { EscalationLevel } from '../organisations/organisation';
import type { EscalationReason, HandoverEvent, HandoverRequested } from './handover.events';

export type HandoverStatus = 'none' | 'requested' | 'received' | 'accepted' | 'started' | 'rejected' | 'withdrawn';

export const OPEN_STATUSES: readonly HandoverStatus[] = ['requested', 'received', 'accepted'];
export const CLOSED_STATUSES: readonly HandoverStatus[] = ['started', 'rejected', 'withdrawn'];

export interface HandoverState {
  readonly status: HandoverStatus;
  /** Number of events folded in: the stream version. */
  readonly version: number;
  readonly request?: HandoverRequested['data'];
  readonly receivedAt?: string;
  readonly acceptedAt?: string;
  readonly plannedStartDate?: string;
  readonly startedAt?: string;
  readonly closedAt?: string;
  readonly closeReason?: string;
  /** Escalation of the step now pending; back to 0 when that step is done. */
  readonly escalation: {
    readonly level: EscalationLevel;
    readonly repeat: number;
    readonly lastAt?: string;
    readonly lastReason?: EscalationReason;
  };
  readonly contactFailures: number;
  /**
   * After a rejection or withdrawal: how far the sender's missing decision has escalated (R2a).
   * Kept apart from `escalation`, which stays as the handover's steps left it.
   */
  readonly followUp?: {
    readonly level: EscalationLevel;
    readonly repeat: number;
    readonly lastAt: string;
  };
}

export const initialHandoverState: HandoverState = {
  status: 'none',
  version: 0,
  escalation: { level: 0, repeat: 0 },
  contactFailures: 0,
};

export function isOpen(state: HandoverState): boolean {
  return OPEN_STATUSES.includes(state.status);
}

/** The step the handover waits for, and its deadline; undefined once it is closed. */
export function pendingStep(
  state: HandoverState,
): { readonly step: 'receipt' | 'start'; readonly dueAt: string } | undefined {
  if (!state.request) return undefined;
  if (state.status === 'requested') return { step: 'receipt', dueAt: state.request.receiptDueAt };
  if (state.status === 'received' || state.status === 'accepted')
    return { step: 'start', dueAt: state.request.startDueAt };
  return undefined;
}

/** Working days for the follow-up of handovers requested before it could be set (DEADLINE_POLICY.followUp). */
export const DEFAULT_FOLLOW_UP_DAYS = 5;

/** Closed without care starting: the sender must record a decision (R2a). */
export function awaitsFollowUp(state: HandoverState): boolean {
  return state.status === 'rejected' || state.status === 'withdrawn';
}

/** Who is responsible for the child while this handover is in this state (R1, R2). */
export function responsibleOrganisation(state: HandoverState): string | undefined {
  if (!state.request) return undefined;
  return state.status === 'started' ? state.request.toOrg : state.request.fromOrg;
}

export function evolve(state: HandoverState, event: HandoverEvent): HandoverState {
  const next = { ...state, version: state.version + 1 };
  const stepDone = { level: 0, repeat: 0 } as const;
  switch (event.type) {
    case 'HandoverRequested':
      return { ...next, status: 'requested', request: event.data };
    case 'HandoverReceived':
      return { ...next, status: 'received', receivedAt: event.data.receivedAt, escalation: stepDone };
    case 'HandoverAccepted':
      return {
        ...next,
        status: 'accepted',
        acceptedAt: event.data.acceptedAt,
        plannedStartDate: event.data.plannedStartDate,
      };
    case 'HandoverStarted':
      return {
        ...next,
        status: 'started',
        startedAt: event.data.startedAt,
        closedAt: event.data.confirmedAt,
        escalation: stepDone,
      };
    case 'HandoverRejected':
      return { ...next, status: 'rejected', closedAt: event.data.rejectedAt, closeReason: event.data.reason };
    case 'HandoverWithdrawn':
      return { ...next, status: 'withdrawn', closedAt: event.data.withdrawnAt, closeReason: event.data.reason };
    case 'HandoverContactFailed':
      return { ...next, contactFailures: state.contactFailures + 1 };
    case 'HandoverEscalated':
      if (event.data.reason === 'follow-up-overdue') {
        return {
          ...next,
          followUp: { level: event.data.level, repeat: event.data.repeat, lastAt: event.data.escalatedAt },
        };
      }
      return {
        ...next,
        escalation: {
          level: event.data.level,
          repeat: event.data.repeat,
          lastAt: event.data.escalatedAt,
          lastReason: event.data.reason,
        },
      };
    default: {
      const unknown: never = event;
      throw new Error(`unknown handover event ${JSON.stringify(unknown)}`);
    }
  }
}

export function foldHandover(events: readonly HandoverEvent[]): HandoverState {
  return events.reduce(evolve, initialHandoverState);
}
