import type { CommandActor } from '../shared/actor';
import { CommandRefused } from '../shared/command-refused';
import type { HandoverEvent } from '../handover/handover.events';
import type { CaseKeptBySender } from './case.events';
import { foldCaseFacts, followUpResolved } from './case.facts';

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

/**
 * The rejected or withdrawn handovers whose sender has not decided yet (R2a), oldest first: no
 * keep-decision recorded, and not every child of it handed over anew since (see followUpResolved).
 */
export function unresolvedHandovers(events: readonly { type: string; data: unknown }[]): UnresolvedHandover[] {
  const facts = foldCaseFacts(events);
  const reasons = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'HandoverRejected' || event.type === 'HandoverWithdrawn') {
      const d = event.data as { handoverId: string; reason: string };
      reasons.set(d.handoverId, d.reason);
    }
  }
  return [...facts.handovers.values()]
    .filter((h) => (h.status === 'rejected' || h.status === 'withdrawn') && !followUpResolved(facts, h.handoverId))
    .map((h) => ({
      handoverId: h.handoverId,
      status: h.status as 'rejected' | 'withdrawn',
      closedAt: h.closedAt!,
      reason: reasons.get(h.handoverId) ?? '',
      sender: h.fromOrg,
    }));
}

/** The latest rejected or withdrawn handover that nothing has resolved yet, if any. */
export function unresolvedHandover(events: readonly { type: string; data: unknown }[]): UnresolvedHandover | undefined {
  return unresolvedHandovers(events).at(-1);
}

/**
 * The sender records that it keeps the children of a rejected or withdrawn handover (R2a): the
 * named one, or else the latest of its own that waits for a decision.
 */
export function decideKeepCase(
  command: {
    readonly actor: CommandActor;
    readonly caseId: string;
    readonly reason: string;
    readonly now: string;
    readonly handoverId?: string;
  },
  events: readonly { type: string; data: unknown }[],
): CaseKeptBySender {
  if (command.actor.role === 'inspector')
    throw new CommandRefused('forbidden', 'Inspectors read cases; they cannot change them.');
  const waiting = unresolvedHandovers(events);
  const open = command.handoverId
    ? waiting.find((u) => u.handoverId === command.handoverId)
    : (waiting.filter((u) => u.sender === command.actor.organisation).at(-1) ?? waiting.at(-1));
  if (!open) {
    throw new CommandRefused(
      'wrong-state',
      command.handoverId
        ? `Handover ${command.handoverId} of case ${command.caseId} does not wait for a decision (it is open, started, or decided already).`
        : `Case ${command.caseId} has no rejected or withdrawn handover waiting for a decision; there is nothing to keep.`,
      { status: 'no-unresolved-handover', allowed: [] },
    );
  }
  if (command.actor.organisation !== open.sender) {
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
