import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '@warm-handover/contracts';
import {
  DIRECTORY_VERSION,
  type EscalationLevel,
  type FrozenLadders,
  type HandoverEvent,
  handoverStreamId,
  ladderOf,
} from '@warm-handover/domain';

/**
 * Realistic handover events for loading a store, typed by the domain's own event union so they
 * keep the shape the service writes (ladders frozen into the request, recipients on escalations).
 */
export interface HandoverPlan {
  readonly handoverId: string;
  readonly caseId: string;
  readonly fromOrg: string;
  readonly toOrg: string;
}

export function newPlan(caseId: string, fromOrg: string, toOrg: string): HandoverPlan {
  return { handoverId: randomUUID(), caseId, fromOrg, toOrg };
}

export const streamOf = (plan: HandoverPlan): string => handoverStreamId(plan.handoverId);

const ladderCache = new Map<string, FrozenLadders>();

function ladders(fromOrg: string, toOrg: string): FrozenLadders {
  const key = `${fromOrg}→${toOrg}`;
  let found = ladderCache.get(key);
  if (!found) {
    const from = ladderOf(fromOrg);
    const to = ladderOf(toOrg);
    if (!from || !to) throw new Error(`not in the directory: ${fromOrg} or ${toOrg}`);
    found = { directoryVersion: DIRECTORY_VERSION, from, to };
    ladderCache.set(key, found);
  }
  return found;
}

const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The k-th kind of event of a handover's life: requested, received, escalated (…), accepted, started. */
export type Step =
  | { readonly kind: 'requested' }
  | { readonly kind: 'received' }
  | { readonly kind: 'escalated'; readonly level: EscalationLevel; readonly repeat: number }
  | { readonly kind: 'accepted' }
  | { readonly kind: 'started' }
  | { readonly kind: 'rejected' };

export function handoverEvent(plan: HandoverPlan, step: Step, at: number, requestedAt = at): HandoverEvent {
  const ids = { handoverId: plan.handoverId, caseId: plan.caseId };
  switch (step.kind) {
    case 'requested':
      return {
        type: 'HandoverRequested',
        data: {
          ...ids,
          childIds: [`${plan.caseId}-child-a`, `${plan.caseId}-child-b`],
          fromOrg: plan.fromOrg,
          toOrg: plan.toOrg,
          reason: 'family-moved',
          riskAssessmentRef: `risk-assessment-${plan.handoverId.slice(0, 8)}`,
          safetyAgreementRefs: [`safety-agreement-${plan.handoverId.slice(9, 13)}`],
          deadlines: { receipt: 1, start: 10, escalationInterval: 1 },
          receiptDueAt: iso(at + DAY),
          startDueAt: iso(at + 14 * DAY),
          ladders: ladders(plan.fromOrg, plan.toOrg),
          requestedAt: iso(at),
        },
      };
    case 'received':
      return { type: 'HandoverReceived', data: { ...ids, receivedAt: iso(at) } };
    case 'escalated': {
      const l = ladders(plan.fromOrg, plan.toOrg);
      const title = (ladder: FrozenLadders['from']) => ladder.find((s) => s.level === step.level)!;
      return {
        type: 'HandoverEscalated',
        data: {
          ...ids,
          level: step.level,
          reason: 'receipt-overdue',
          dueAt: iso(requestedAt + DAY),
          repeat: step.repeat,
          recipients: [
            { organisation: plan.fromOrg, role: title(l.from).role, title: title(l.from).title },
            { organisation: plan.toOrg, role: title(l.to).role, title: title(l.to).title },
          ],
          responsibleOrg: plan.fromOrg,
          escalatedAt: iso(at),
        },
      };
    }
    case 'accepted':
      return {
        type: 'HandoverAccepted',
        data: { ...ids, plannedStartDate: iso(at).slice(0, 10), acceptedAt: iso(at) },
      };
    case 'started':
      return {
        type: 'HandoverStarted',
        data: {
          ...ids,
          fromOrg: plan.fromOrg,
          toOrg: plan.toOrg,
          startedAt: iso(at),
          startedBy: `professional-${plan.handoverId.slice(0, 4)}`,
          confirmedAt: iso(at),
        },
      };
    case 'rejected':
      return {
        type: 'HandoverRejected',
        data: { ...ids, reason: 'No capacity in the team this month.', rejectedAt: iso(at) },
      };
  }
}

/** Escalation steps of a receipt that stays overdue for `count` intervals: levels 1–3, then reminders. */
export function escalationSteps(count: number): Step[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'escalated' as const,
    level: Math.min(i + 1, 3) as EscalationLevel,
    repeat: Math.max(0, i - 2),
  }));
}

/** A typical short life: requested, received, accepted, started. */
export const TYPICAL_LIFE: readonly Step[] = [
  { kind: 'requested' },
  { kind: 'received' },
  { kind: 'accepted' },
  { kind: 'started' },
];

export function metadataFor(plan: HandoverPlan, event: HandoverEvent): EventMetadata {
  const system = event.type === 'HandoverEscalated';
  const org = event.type === 'HandoverRequested' ? plan.fromOrg : plan.toOrg;
  return {
    actor: system
      ? { subject: 'system:handover-timer', organisation: 'warm-handover', role: 'system' }
      : { subject: `professional-${plan.handoverId.slice(0, 6)}`, organisation: org, role: 'professional' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    caseId: plan.caseId,
  };
}

/** The event as an append hands it to the store. */
export function newEvent(plan: HandoverPlan, step: Step, at: number, requestedAt = at): NewEvent {
  const event = handoverEvent(plan, step, at, requestedAt);
  return { eventId: randomUUID(), type: event.type, data: event.data, metadata: metadataFor(plan, event) };
}
