import { CommandRefused, type RefusalCode } from './command-refused';

/**
 * Given/When/Then for deciders (emmett's DeciderSpecification idea): the state is folded from
 * the given events, the command decided against it, and the outcome compared.
 *
 *   const spec = DeciderSpecification.for({ decide: decideLead, evolve: evolveLead, initialState });
 *   spec.given([opened, escalated]).when(decide).then([taken]);
 *   spec.given([opened]).when(decide).thenRefused('wrong-state', /reached the directors/);
 *
 * Framework-free (it throws an Error describing the difference), so any test runner reports it.
 * Test code only: not exported from the shared index, so it stays out of the workflow bundle.
 */
export interface Decider<Command, Event, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

export interface ThenClause<Event> {
  /** The decided events, exactly (deep equality, key order ignored). */
  then(expected: readonly Event[]): void;
  /** The command is refused with this code (and a message matching `message`, if given). */
  thenRefused(code: RefusalCode, message?: RegExp): CommandRefused;
  /** The decided events, for checks of your own. */
  events(): readonly Event[];
}

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return {
      given(events: readonly Event[]) {
        return {
          when(command: Command): ThenClause<Event> {
            const state = events.reduce(decider.evolve, decider.initialState);
            const run = () => decider.decide(command, state);
            return {
              then(expected) {
                const actual = run();
                if (!deepEqual(actual, expected))
                  throw new Error(`Expected the events\n${show(expected)}\nbut the decider decided\n${show(actual)}`);
              },
              thenRefused(code, message) {
                let decided: readonly Event[];
                try {
                  decided = run();
                } catch (error) {
                  if (!(error instanceof CommandRefused)) throw error;
                  if (error.code !== code)
                    throw new Error(`Expected a refusal "${code}", got "${error.code}": ${error.message}`);
                  if (message && !message.test(error.message))
                    throw new Error(`Expected a refusal matching ${String(message)}, got: ${error.message}`);
                  return error;
                }
                throw new Error(`Expected a refusal "${code}", but the decider decided\n${show(decided)}`);
              },
              events: run,
            };
          },
        };
      },
    };
  },
};

function deepEqual(a: unknown, b: unknown): boolean {
  return show(a) === show(b);
}

/** JSON with object keys sorted and undefined properties left out, as the events are stored. */
function show(value: unknown): string {
  const sorted = (_key: string, v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : v;
  return JSON.stringify(value, sorted, 2);
}
