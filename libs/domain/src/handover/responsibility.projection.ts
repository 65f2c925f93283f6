import type { HandoverEvent } from './handover.events';

/** One period in which an organisation was responsible for the children of a case. */
export interface ResponsibilityPeriod {
  readonly organisation: string;
  /** Effective time: the request for the first period, the confirmed start of care after a handover. */
  readonly since: string;
  readonly until?: string;
  readonly reason: 'first-known-as-sender' | 'care-started-after-handover';
  readonly handoverId: string;
}

export interface ResponsibilityTimeline {
  readonly caseId: string;
  readonly periods: readonly ResponsibilityPeriod[];
}

/**
 * Who was responsible for a case, over time, from its handover events in recorded order.
 * The first sender is responsible from the first request on (R1); responsibility moves only
 * when care has started at the receiver; rejections and withdrawals change nothing (R2).
 */
export function responsibilityTimeline(caseId: string, events: readonly HandoverEvent[]): ResponsibilityTimeline {
  const periods: ResponsibilityPeriod[] = [];
  for (const event of events) {
    if (event.data.caseId !== caseId) continue;
    if (event.type === 'HandoverRequested' && periods.length === 0) {
      periods.push({
        organisation: event.data.fromOrg,
        since: event.data.requestedAt,
        reason: 'first-known-as-sender',
        handoverId: event.data.handoverId,
      });
    }
    if (event.type === 'HandoverStarted') {
      const last = periods.pop();
      if (last) periods.push({ ...last, until: event.data.startedAt });
      periods.push({
        organisation: event.data.toOrg,
        since: event.data.startedAt,
        reason: 'care-started-after-handover',
        handoverId: event.data.handoverId,
      });
    }
  }
  return { caseId, periods };
}

/**
 * The period in force at `at`, or undefined before the case was known. Never "nobody" once the
 * case is known (R2): after the first request there is always exactly one period.
 */
export function responsibleAt(timeline: ResponsibilityTimeline, at: string): ResponsibilityPeriod | undefined {
  const t = Date.parse(at);
  let found: ResponsibilityPeriod | undefined;
  for (const period of timeline.periods) {
    if (Date.parse(period.since) <= t) found = period;
  }
  return found;
}
