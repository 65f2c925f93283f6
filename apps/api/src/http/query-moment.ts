import { problemType } from './problem-details';
import { ProblemException } from './problem-details.filter';

/**
 * A moment given in a query parameter (`?at=`, `?asRecordedAt=`, `?from=`): an ISO-8601 moment
 * naming a day that exists, or `fallback` when absent. Anything else is a 400 naming the field.
 */
export function validMoment(value: string | undefined, field: string, fallback = new Date().toISOString()): string {
  const moment = value ?? fallback;
  if (Number.isNaN(Date.parse(moment)) || !/^\d{4}-\d{2}-\d{2}/.test(moment) || !isCalendarDate(moment.slice(0, 10))) {
    throw new ProblemException({
      type: problemType('invalid-query'),
      title: 'The query is not valid',
      status: 400,
      detail: `${field} must be an ISO-8601 moment such as 2026-11-20T10:00:00+01:00, got "${moment}".`,
      errors: [{ field, message: 'must be an ISO-8601 moment' }],
    });
  }
  return moment;
}

/** The first and the last instant PostgreSQL and RFC 3339 both write with a four-digit year. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A bound of a period the database filters on (a valid moment, or a date), as an instant in UTC:
 * PostgreSQL reads neither an offset beyond ±15:59 nor the year 0, which ISO-8601 and JavaScript
 * allow. A bound before the year 1 or after 9999 becomes that limit: nothing is recorded outside
 * them, so the answer is the same.
 */
export function periodBound(moment: string): string {
  return new Date(Math.min(Math.max(Date.parse(moment), EARLIEST), LATEST)).toISOString();
}

/** Date.parse rolls 2026-02-30 over to 2 March; a moment must name a day that exists. */
function isCalendarDate(date: string): boolean {
  const parsed = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === date;
}
