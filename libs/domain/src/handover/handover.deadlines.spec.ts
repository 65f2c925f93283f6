import { DeadlineError, deadlineAt, interpretDeadline, parseDeadline } from './handover.deadlines';

describe('handover deadlines', () => {
  it('given working days within the policy, when parsed, then they are accepted', () => {
    expect(parseDeadline('receipt', 1, false)).toEqual({ kind: 'working-days', days: 1 });
    expect(parseDeadline('start', 40, false)).toEqual({ kind: 'working-days', days: 40 });
  });

  it.each([
    ['receipt', 0],
    ['receipt', 6],
    ['start', 41],
    ['start', 2.5],
  ] as const)('given %s of %s working days, when parsed, then it is refused naming the bounds', (field, days) => {
    expect(() => parseDeadline(field, days, false)).toThrow(DeadlineError);
    expect(() => parseDeadline(field, days, false)).toThrow(/whole number of working days from \d+ to \d+/);
  });

  it('given a duration outside demo mode, when parsed, then it is refused saying DEMO_MODE is needed', () => {
    expect(() => parseDeadline('receipt', 'PT20S', false)).toThrow(
      /only accepted when the service runs with DEMO_MODE=true/,
    );
  });

  it.each(['PT20S', 'PT1M30S', 'PT2H', 'P1D'])(
    'given %s in demo mode, when parsed, then it is a wall-clock duration',
    (spec) => {
      expect(parseDeadline('receipt', spec, true).kind).toBe('duration');
    },
  );

  it.each(['20 seconds', 'P', 'PT', 'PT0S', 'P2D', 'PT-5S'])(
    'given "%s" in demo mode, when parsed, then it is refused',
    (spec) => {
      expect(() => parseDeadline('receipt', spec, true)).toThrow(/ISO-8601 duration from PT1S to P1D/);
    },
  );

  it('given a validated duration, when interpreted and applied, then the deadline is that much later', () => {
    expect(deadlineAt(new Date('2026-11-23T10:00:00Z'), interpretDeadline('PT1M30S')).toISOString()).toBe(
      '2026-11-23T10:01:30.000Z',
    );
  });
});
