import type { CommandActor } from '../shared/actor';
import { CommandRefused } from '../shared/command-refused';
import type { HandoverEvent } from '../handover/handover.events';
import type { CaseKeptBySender } from './case.events';

export type { CaseKeptBySender } from './case.events';
export { caseStreamId } from './case.events';

export type CaseEvent = HandoverEvent | CaseKeptBySender;

export interface UnresolvedHandover {
  readonly handoverId: string;
  readonly status: 'rejected' | 'withdrawn';
  readonly closedAt: string;
  readonly reason: string;
  /** The organisation that must resolve it: the sender, who is still responsible. */
  readonly sender: string;
}

/** The latest rejected or withdrawn handover that nothing has resolved yet, if any. */
export function unresolvedHandover(events: readonly CaseEvent[]): UnresolvedHandover | undefined {
  let unresolved: UnresolvedHandover | undefined;
  const senders = new Map<string, string>();
  for (const event of events) {
    switch (event.type) {
      case 'HandoverRequested':
        senders.set(event.data.handoverId, event.data.fromOrg);
        unresolved = undefined;
        break;
      case 'HandoverRejected':
      case 'HandoverWithdrawn':
        unresolved = {
          handoverId: event.data.handoverId,
          status: event.type === 'HandoverRejected' ? 'rejected' : 'withdrawn',
          closedAt: event.type === 'HandoverRejected' ? event.data.rejectedAt : event.data.withdrawnAt,
          reason: event.data.reason,
          sender: senders.get(event.data.handoverId) ?? '',
        };
        break;
      case 'CaseKeptBySender':
        if (unresolved?.handoverId === event.data.handoverId) unresolved = undefined;
        break;
      case 'HandoverReceived':
      case 'HandoverAccepted':
      case 'HandoverStarted':
      case 'HandoverContactFailed':
      case 'HandoverEscalated':
        break;
    }
  }
  return unresolved;
}

/** The sender records that it keeps the case after a rejected or withdrawn handover. */
export function decideKeepCase(
  command: { readonly actor: CommandActor; readonly caseId: string; readonly reason: string; readonly now: string },
  events: readonly CaseEvent[],
): CaseKeptBySender {
  const open = unresolvedHandover(events);
  if (!open) {
    throw new CommandRefused(
      'wrong-state',
      `Case ${command.caseId} has no rejected or withdrawn handover waiting for a decision; there is nothing to keep.`,
      { status: 'no-unresolved-handover', allowed: [] },
    );
  }
  if (command.actor.organisation !== open.sender || command.actor.role === 'inspector') {
    throw new CommandRefused(
      'forbidden',
      `Only the sending organisation (${open.sender}), which is still responsible, decides to keep the case; you act for ${command.actor.organisation}.`,
    );
  }
  const reason = command.reason.trim();
  if (!reason)
    throw new CommandRefused('invalid', 'reason is required: say why the case stays with you.', { field: 'reason' });
  return {
    type: 'CaseKeptBySender',
    data: {
      caseId: command.caseId,
      organisation: open.sender,
      handoverId: open.handoverId,
      reason,
      decidedAt: command.now,
    },
  };
}
