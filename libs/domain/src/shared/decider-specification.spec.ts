import { CommandRefused } from './command-refused';
import { DeciderSpecification } from './decider-specification';

/** A counter that refuses to go above 2: enough to show what the helper reports. */
type Event = { readonly type: 'Added'; readonly data: { readonly n: number; readonly total: number } };
const spec = DeciderSpecification.for<{ readonly add: number }, Event, number>({
  initialState: 0,
  evolve: (total, e) => e.data.total,
  decide: ({ add }, total) => {
    if (total + add > 2) throw new CommandRefused('wrong-state', `total would be ${total + add}`);
    return [{ type: 'Added', data: { n: add, total: total + add } }];
  },
});
const added = (n: number, total: number): Event => ({ type: 'Added', data: { n, total } });

describe('DeciderSpecification (given/when/then for deciders)', () => {
  it('given events, when a command is decided, then equal events pass whatever their key order', () => {
    expect(() =>
      spec
        .given([added(1, 1)])
        .when({ add: 1 })
        .then([{ data: { total: 2, n: 1 }, type: 'Added' }]),
    ).not.toThrow();
  });

  it('given events, when the decided events differ, then it says what was expected and what was decided', () => {
    expect(() =>
      spec
        .given([])
        .when({ add: 1 })
        .then([added(1, 2)]),
    ).toThrow(/Expected the events[\s\S]*"total": 2[\s\S]*but the decider decided[\s\S]*"total": 1/);
  });

  it('given a refusal, when thenRefused names its code and message, then it passes; another code, a message that differs or no refusal fails', () => {
    expect(
      spec
        .given([added(2, 2)])
        .when({ add: 1 })
        .thenRefused('wrong-state', /would be 3/).code,
    ).toBe('wrong-state');
    expect(() =>
      spec
        .given([added(2, 2)])
        .when({ add: 1 })
        .thenRefused('forbidden'),
    ).toThrow(/"wrong-state"/);
    expect(() =>
      spec
        .given([added(2, 2)])
        .when({ add: 1 })
        .thenRefused('wrong-state', /four/),
    ).toThrow(/would be 3/);
    expect(() => spec.given([]).when({ add: 1 }).thenRefused('wrong-state')).toThrow(/but the decider decided/);
  });
});
