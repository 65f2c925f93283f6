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

/** Date.parse rolls 2026-02-30 over to 2 March; a moment must name a day that exists. */
function isCalendarDate(date: string): boolean {
  const parsed = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === date;
}
