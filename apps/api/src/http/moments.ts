import { problemType } from './problem-details';
import { ProblemException } from './problem-details.filter';

/** A `?at=` query: an ISO-8601 moment on a real calendar day (default now), else a 400 that says so. */
export function validMoment(at: string | undefined): string {
  const moment = at ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(moment)) || !/^\d{4}-\d{2}-\d{2}/.test(moment) || !isCalendarDate(moment.slice(0, 10))) {
    throw new ProblemException({
      type: problemType('invalid-query'),
      title: 'The query is not valid',
      status: 400,
      detail: `at must be an ISO-8601 moment such as 2026-11-20T10:00:00+01:00, got "${moment}".`,
      errors: [{ field: 'at', message: 'must be an ISO-8601 moment' }],
    });
  }
  return moment;
}

/** Date.parse rolls 2026-02-30 over to 2 March; a moment must name a day that exists. */
function isCalendarDate(date: string): boolean {
  const parsed = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === date;
}
