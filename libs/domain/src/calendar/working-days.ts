import Holidays from 'date-holidays';

/**
 * Deadlines in Dutch child protection are counted in working days: Monday to Friday, minus the
 * national public holidays (New Year, Easter Monday, King's Day, Ascension, Whit Monday,
 * Christmas). Dates are Amsterdam calendar dates, whatever the server's time zone.
 */
const ZONE = 'Europe/Amsterdam';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Working-day arithmetic beyond this is a caller error, not a deadline. */
const MAX_WORKING_DAYS = 366;

const holidays = new Holidays('NL');
const publicHolidaysByYear = new Map<number, ReadonlySet<string>>();

function publicHolidays(year: number): ReadonlySet<string> {
  let dates = publicHolidaysByYear.get(year);
  if (!dates) {
    dates = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    publicHolidaysByYear.set(year, dates);
  }
  return dates;
}

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
});

interface LocalParts {
  readonly date: string;
  readonly weekday: string;
  /** Minutes east of UTC at that instant (60 in winter, 120 in summer). */
  readonly offsetMinutes: number;
}

function local(instant: Date): LocalParts {
  const p = Object.fromEntries(partsFormat.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: String(p.weekday),
    offsetMinutes: Math.round((asUtc - wholeSeconds) / 60_000),
  };
}

/** True on Monday–Friday that is not a Dutch public holiday (Amsterdam date of `instant`). */
export function isWorkingDay(instant: Date): boolean {
  const { date, weekday } = local(instant);
  if (weekday === 'Sat' || weekday === 'Sun') return false;
  return !publicHolidays(Number(date.slice(0, 4))).has(date);
}

/**
 * The instant `workingDays` working days after `from`, at the same Amsterdam wall-clock time.
 * A start on a weekend or holiday counts from the next working day, so "1 working day" after a
 * Saturday request is Monday at that time, not Sunday.
 */
export function addWorkingDays(from: Date, workingDays: number): Date {
  if (!Number.isInteger(workingDays) || workingDays < 0 || workingDays > MAX_WORKING_DAYS) {
    throw new RangeError(`working days must be a whole number from 0 to ${MAX_WORKING_DAYS}, got ${workingDays}`);
  }
  const start = local(from);
  let cursor = from.getTime();
  let remaining = workingDays;
  while (remaining > 0) {
    cursor += DAY_MS;
    if (isWorkingDay(new Date(cursor))) remaining -= 1;
  }
  // Keep the wall-clock time across a daylight-saving change between start and deadline.
  const shift = (local(new Date(cursor)).offsetMinutes - start.offsetMinutes) * 60_000;
  return new Date(cursor - shift);
}
