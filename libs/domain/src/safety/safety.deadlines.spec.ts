import {
  amsterdamTime,
  investigationDueAt,
  monitoringResultDueAt,
  safetyAssessmentDueAt,
  safetyAssessmentWarnAt,
} from './safety.deadlines';

describe('safety deadlines (Dutch working days)', () => {
  it('given a date, when 09:00 Amsterdam is asked, then summer and winter offsets are right', () => {
    expect(amsterdamTime('2026-04-24', 9).toISOString()).toBe('2026-04-24T07:00:00.000Z');
    expect(amsterdamTime('2026-01-15', 9).toISOString()).toBe('2026-01-15T08:00:00.000Z');
  });

  it("given a Friday moment before King's Day on Monday 27 April 2026, when its result is overdue, then on Tuesday 28 April 09:00", () => {
    expect(monitoringResultDueAt('2026-04-24')).toBe('2026-04-28T07:00:00.000Z');
  });

  it("given King's Day on a Sunday (2025: observed Saturday 26 April), when a Friday moment's result is overdue, then on Monday 28 April", () => {
    expect(monitoringResultDueAt('2025-04-25')).toBe('2025-04-28T07:00:00.000Z');
  });

  it('given a moment on Wednesday, when its result is overdue, then on Thursday 09:00', () => {
    expect(monitoringResultDueAt('2026-03-11')).toBe('2026-03-12T08:00:00.000Z');
  });

  it("given a report on Wednesday 22 April 2026, when the 5-working-day term is counted, then it skips the weekend and King's Day: Thursday 30 April", () => {
    // Thu 23, Fri 24, (Sat, Sun, King's Day Mon 27), Tue 28, Wed 29, Thu 30.
    expect(safetyAssessmentDueAt('2026-04-22T10:00:00.000Z')).toBe('2026-04-30T10:00:00.000Z');
    expect(safetyAssessmentWarnAt('2026-04-22T10:00:00.000Z')).toBe('2026-04-29T10:00:00.000Z');
  });

  it('given an investigation started before the clocks change, when 10 weeks are counted, then the wall-clock time is kept', () => {
    // 10:00 CET on 2 March 2026 → 10:00 CEST on 11 May 2026.
    expect(investigationDueAt('2026-03-02T09:00:00.000Z')).toBe('2026-05-11T08:00:00.000Z');
  });
});
