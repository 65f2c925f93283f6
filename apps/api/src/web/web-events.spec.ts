import type { RecordedEvent } from '@warm-handover/contracts';
import type { EventStore } from '@warm-handover/persistence';
import type { PinoLogger } from 'nestjs-pino';
import { WebEvents } from './web-events';

/** An in-memory store with what the poller reads: the head and the events after a position. */
function fakeStore() {
  const events: RecordedEvent[] = [];
  const store = {
    headPosition: () => Promise.resolve(events.length),
    readAll: (after: number, limit: number) => Promise.resolve(events.slice(after, after + limit)),
  };
  const append = (caseId: string) =>
    events.push({
      globalPosition: events.length + 1,
      type: 'HandoverEscalated',
      data: {},
      metadata: { caseId },
    } as never);
  return { store: store as unknown as EventStore, append };
}

const logger = { setContext: () => undefined, warn: () => undefined } as unknown as PinoLogger;
const tick = () => jest.advanceTimersByTimeAsync(1000);

describe('WebEvents (live updates of "Mijn werk")', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('given a page rendered from a store position, when an event of its case is appended before the poller first reads, then the page is still told', async () => {
    const { store, append } = fakeStore();
    append('other-case');
    const events = new WebEvents(store, logger);
    const since = await events.headPosition();
    // The escalation lands between the page's render and its live connection.
    append('case-1');
    const changed = jest.fn();
    const stop = events.listen({ concerns: (e) => e.metadata.caseId === 'case-1', changed }, since);
    await tick();
    await tick();
    expect(changed).toHaveBeenCalledTimes(1);
    stop();
  });

  it('given a listener without a position, when events come after it listens, then it is told of those only', async () => {
    const { store, append } = fakeStore();
    append('case-1');
    const events = new WebEvents(store, logger);
    const changed = jest.fn();
    const stop = events.listen({ concerns: (e) => e.metadata.caseId === 'case-1', changed });
    await tick();
    expect(changed).not.toHaveBeenCalled();
    append('case-1');
    await tick();
    expect(changed).toHaveBeenCalledTimes(1);
    stop();
  });
});
