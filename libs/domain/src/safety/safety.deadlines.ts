import { addWorkingDays } from '../calendar/working-days';
import { INVESTIGATION_WEEKS, SAFETY_ASSESSMENT_WORKING_DAYS } from './melding.events';

/**
 * Due instants of safety agreements and statutory terms, on the Dutch working-day calendar.
 * Hosts (activities, services) compute them and hand them to the deciders and workflows, which
 * have no calendar of their own.
 */

const ZONE = 'Europe/Amsterdam';
/** The hour (Amsterdam) a working day's checks begin: escalations land at the start of a day. */
export const WORKDAY_START_HOUR = 9;

/** The instant `hour`:00 Amsterdam time on calendar date `date` (YYYY-MM-DD). */
export function amsterdamTime(date: string, hour: number): Date {
  const guess = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' }).format(guess);
  const offsetHours = (Number(local) - hour + 24) % 24;
  return new Date(guess.getTime() - offsetHours * 3_600_000);
}

/**
 * When a monitoring moment's result is overdue: at the start of the first working day after the
 * moment. The monitor has the moment's day itself (or, on a weekend or holiday, up to the next
 * working day) to record it; a Friday moment not recorded escalates on Monday, or on Tuesday when
 * Monday is King's Day.
 */
export function monitoringResultDueAt(moment: string): string {
  return addWorkingDays(amsterdamTime(moment, WORKDAY_START_HOUR), 1).toISOString();
}

/** The safety assessment is due 5 working days after receipt, at the same wall-clock time. */
export function safetyAssessmentDueAt(receivedAt: string): string {
  return addWorkingDays(new Date(receivedAt), SAFETY_ASSESSMENT_WORKING_DAYS).toISOString();
}

/** The warning of a running assessment: one working day before it is due. */
export function safetyAssessmentWarnAt(receivedAt: string): string {
  return addWorkingDays(new Date(receivedAt), SAFETY_ASSESSMENT_WORKING_DAYS - 1).toISOString();
}

/** An investigation is due 10 calendar weeks after its start, at the same Amsterdam wall-clock time. */
export function investigationDueAt(startedAt: string): string {
  return addCalendarDays(startedAt, INVESTIGATION_WEEKS * 7);
}

/** The warning of a running investigation: one week before it is due. */
export function investigationWarnAt(startedAt: string): string {
  return addCalendarDays(startedAt, (INVESTIGATION_WEEKS - 1) * 7);
}

function offsetMinutes(at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

function addCalendarDays(from: string, days: number): string {
  const start = new Date(from);
  const naive = new Date(start.getTime() + days * 86_400_000);
  // Keep the wall-clock time across a daylight-saving change.
  return new Date(naive.getTime() - (offsetMinutes(naive) - offsetMinutes(start)) * 60_000).toISOString();
}

/** The next escalation of something still overdue: one working day after the last one. */
export function nextEscalationAt(lastAt: string): string {
  return addWorkingDays(new Date(lastAt), 1).toISOString();
}
