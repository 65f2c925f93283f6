import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { COMMAND_REFUSED, type RecordEventsInput } from '@warm-handover/contracts';
import { EventStore } from '@warm-handover/persistence';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { createHandoverActivities } from './handover.activities';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const actor = (organisation: string) => ({ subject: `ps-${organisation}`, organisation, role: 'professional' });

/**
 * The handover workflow records a request through recordEvents with its admission to the case:
 * the case's rules are decided on the case as it stands while the store's append lock is held,
 * so two requests racing for one child cannot both be recorded (the API's earlier check cannot
 * promise that: both may pass it before either is stored).
 */
describe('recording a handover request with its admission to the case (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let activities: ReturnType<typeof createHandoverActivities>;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
    activities = createHandoverActivities(store);
  });
  afterAll(() => db.drop());

  function requestOf(caseId: string, childIds: string[], opensCase: boolean, fromOrg = KEN): RecordEventsInput {
    const handoverId = randomUUID();
    return {
      streamId: `handover-${handoverId}`,
      expectedVersion: 0,
      events: [
        {
          eventId: randomUUID(),
          type: 'HandoverRequested',
          data: { handoverId, caseId, childIds, fromOrg, toOrg: AMS, requestedAt: new Date().toISOString() },
          metadata: { actor: actor(fromOrg), correlationId: randomUUID(), caseId },
        },
      ],
      admission: { actor: actor(fromOrg), caseId, handoverId, fromOrg, childIds, opensCase },
    };
  }

  /** 'recorded', or the refusal the workflow would pass on to the caller. */
  const outcome = (p: Promise<number>) =>
    p.then(
      () => 'recorded' as const,
      (error: unknown) => {
        if (error instanceof ApplicationFailure && error.type === COMMAND_REFUSED) return error;
        throw error;
      },
    );

  it('given a case whose child has no open handover, when two requests for that child race, then exactly one is recorded and the other is refused naming the open handover', async () => {
    const caseId = randomUUID();
    await activities.recordEvents(requestOf(caseId, ['older'], true));
    // Close nothing: "older" is in an open handover now; free the younger one for the race.
    const [a, b] = await Promise.all([
      outcome(activities.recordEvents(requestOf(caseId, ['younger'], false))),
      outcome(activities.recordEvents(requestOf(caseId, ['younger'], false))),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r === 'recorded')).toHaveLength(1);
    const refused = results.find((r) => r !== 'recorded')!;
    expect(refused.nonRetryable).toBe(true);
    expect(refused.message).toMatch(/already in open handover/);
    expect((refused.details?.[0] as { code: string }).code).toBe('wrong-state');
    const requests = (await store.readCase(caseId)).filter((e) => e.type === 'HandoverRequested');
    expect(requests).toHaveLength(2);
  });

  it('given a case of Kennemerland, when another organisation’s request reaches the store, then it is refused as not found and nothing is stored', async () => {
    const caseId = randomUUID();
    await activities.recordEvents(requestOf(caseId, ['child'], true));
    const intruder = await outcome(activities.recordEvents(requestOf(caseId, ['child'], false, 'vt-zuid-limburg')));
    expect(intruder).not.toBe('recorded');
    expect((intruder as ApplicationFailure).details?.[0]).toMatchObject({ code: 'not-found' });
    expect(await store.readCase(caseId)).toHaveLength(1);
  });

  it('given a retry of a recorded request, when it arrives again, then it answers as the first time and the guard does not refuse it', async () => {
    const input = requestOf(randomUUID(), ['child'], true);
    const first = await activities.recordEvents(input);
    expect(await activities.recordEvents(input)).toBe(first);
  });
});
