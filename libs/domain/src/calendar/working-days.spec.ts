import { addWorkingDays, isWorkingDay } from './working-days';

describe('working days (Dutch calendar, Europe/Amsterdam)', () => {
  it('given a Friday request, when one working day is added, then the deadline is Monday at the same time', () => {
    expect(addWorkingDays(new Date('2026-11-20T09:30:00+01:00'), 1).toISOString()).toBe('2026-11-23T08:30:00.000Z');
  });

  it('given a request on the Thursday before Christmas, when two working days are added, then Christmas and Boxing Day are skipped', () => {
    // Thu 24 Dec → Fri 25 (holiday), Sat, Sun, Mon 28 (1), Tue 29 (2)
    expect(addWorkingDays(new Date('2026-12-24T14:00:00+01:00'), 2).toISOString()).toBe('2026-12-29T13:00:00.000Z');
  });

  it('given King’s Day 2025 falls on a Saturday, when it is looked up, then Saturday 26 April is the holiday and Monday 28 April works', () => {
    expect(isWorkingDay(new Date('2025-04-28T10:00:00+02:00'))).toBe(true);
    expect(isWorkingDay(new Date('2026-04-27T10:00:00+02:00'))).toBe(false);
  });

  it('given Ascension and Whit Monday, when ten working days are added from 11 May 2026, then both are skipped', () => {
    // Mon 11 May + 10 working days, skipping Thu 14 May (Ascension) and Mon 25 May (Whit Monday)
    expect(addWorkingDays(new Date('2026-05-11T09:00:00+02:00'), 10).toISOString()).toBe('2026-05-27T07:00:00.000Z');
  });

  it('given a deadline across the switch to summer time, when working days are added, then the wall-clock time is kept', () => {
    // Fri 27 Mar 2026 09:00 CET → Mon 30 Mar 09:00 CEST
    expect(addWorkingDays(new Date('2026-03-27T09:00:00+01:00'), 1).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('given a Saturday request, when one working day is added, then the deadline is Monday, not Sunday', () => {
    expect(addWorkingDays(new Date('2026-11-21T12:00:00+01:00'), 1).toISOString()).toBe('2026-11-23T11:00:00.000Z');
  });

  it('given a negative or fractional number of days, when added, then it is refused with a clear error', () => {
    expect(() => addWorkingDays(new Date(), -1)).toThrow(/whole number from 0 to 366/);
    expect(() => addWorkingDays(new Date(), 1.5)).toThrow(RangeError);
  });
});
