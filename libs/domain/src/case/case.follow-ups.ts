import { deadlineAt, interpretDeadline } from '../handover/handover.deadlines';
import type { HandoverEscalated, HandoverRequested } from '../handover/handover.events';
import { DEFAULT_FOLLOW_UP_DAYS } from '../handover/handover.state';
import type { EscalationLevel } from '../organisations/organisation';
import { type UnresolvedHandover, unresolvedHandovers } from './case.decisions';

/*
 * Not part of `@warm-handover/domain/workflow`: the deadline comes from the working-day calendar
 * (date-holidays and its time-zone data), which must stay out of the workflow bundle — every
 * cached workflow would hold its own copy (workflows/src/workflow-bundle.workflow-spec.ts).
 */

/** An unresolved handover with the deadline of its sender's decision and how far its silence escalated (R2a). */
export interface UnresolvedFollowUp extends UnresolvedHandover {
  /** `deadlines.followUp` (working days, or a demo duration) after it was rejected or withdrawn. */
  readonly dueAt: string;
  /** 0 until the handover workflow escalates the missing decision, then the rung it reached. */
  readonly level: EscalationLevel;
}

/**
 * The rejected or withdrawn handovers whose sender has not decided yet, each with the deadline of
 * that decision as the handover workflow counts it (from the rejection or withdrawal, on the
 * working-day calendar) and the level its follow-up escalation reached.
 */
export function unresolvedFollowUps(events: readonly { type: string; data: unknown }[]): UnresolvedFollowUp[] {
  const followUpSpec = new Map<string, HandoverRequested['data']['deadlines']['followUp']>();
  const level = new Map<string, EscalationLevel>();
  for (const event of events) {
    if (event.type === 'HandoverRequested') {
      const d = event.data as HandoverRequested['data'];
      followUpSpec.set(d.handoverId, d.deadlines.followUp);
    } else if (event.type === 'HandoverEscalated') {
      const d = event.data as HandoverEscalated['data'];
      if (d.reason === 'follow-up-overdue') level.set(d.handoverId, d.level);
    }
  }
  return unresolvedHandovers(events).map((u) => ({
    ...u,
    dueAt: deadlineAt(
      new Date(u.closedAt),
      interpretDeadline(followUpSpec.get(u.handoverId) ?? DEFAULT_FOLLOW_UP_DAYS),
    ).toISOString(),
    level: level.get(u.handoverId) ?? 0,
  }));
}
