import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@warm-handover/contracts';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { testEvent } from '../../../../test/support/events';
import { verifyChain } from '../audit/chain-verifier';
import { EventStore } from './event-store';
import { ConcurrencyConflictError, IdempotencyMismatchError } from './event-store.errors';

describe('EventStore on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db.drop());

  const stream = () => `handover-${randomUUID()}`;

  it('given a new stream, when events are appended, then reading the stream returns them in order with versions and metadata', async () => {
    const id = stream();
    const first = testEvent('HandoverRequested', { reason: 'family-moved' }, 'case-1');
    const second = testEvent('HandoverReceived', {}, 'case-1');

    const result = await store.append(id, [first, second], { expectedVersion: 0 });

    expect(result.nextVersion).toBe(2);
    const read = await store.readStream(id);
    expect(read.map((e) => [e.type, e.streamVersion])).toEqual([
      ['HandoverRequested', 1],
      ['HandoverReceived', 2],
    ]);
    expect(read[0]?.data).toEqual({ reason: 'family-moved' });
    expect(read[0]?.metadata).toEqual(first.metadata);
    expect(read[0]?.eventId).toBe(first.eventId);
    expect(read[1]!.globalPosition).toBeGreaterThan(read[0]!.globalPosition);
    expect(Date.parse(read[0]!.recordedAt)).not.toBeNaN();
  });

  it('given events of several cases in several streams, when the cases are read in one go, then each case has exactly its own events in recorded order, as reading it alone gives', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await store.append(stream(), [testEvent('HandoverRequested', {}, a), testEvent('HandoverReceived', {}, a)]);
    await store.append(stream(), [testEvent('HandoverRequested', {}, b)]);
    await store.append(stream(), [testEvent('HandoverRequested', {}, c)]);
    await store.append(stream(), [testEvent('HandoverRequested', {}, a)]);

    const read = await store.readCases([a, b, a, 'case-without-events']);

    expect([...read.keys()].sort()).toEqual([a, b].sort());
    expect(read.get(a)!.map((e) => e.type)).toEqual(['HandoverRequested', 'HandoverReceived', 'HandoverRequested']);
    expect(read.get(a)).toEqual(await store.readCase(a));
    expect(read.get(b)).toEqual(await store.readCase(b));
    expect(await store.readCases([])).toEqual(new Map());
  });

  it('given a stream at version 1, when a writer appends expecting version 0, then a typed conflict names both versions and nothing is stored', async () => {
    const id = stream();
    await store.append(id, [testEvent('HandoverRequested')], { expectedVersion: 0 });

    const attempt = store.append(id, [testEvent('HandoverReceived')], { expectedVersion: 0 });

    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(attempt).rejects.toMatchObject({ streamId: id, expectedVersion: 0, actualVersion: 1 });
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('given two writers racing on the same version, when both append, then exactly one wins', async () => {
    const id = stream();
    await store.append(id, [testEvent('HandoverRequested')]);
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map(() => store.append(id, [testEvent('HandoverReceived')], { expectedVersion: 1 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConcurrencyConflictError)).toHaveLength(
      3,
    );
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it('given an append that was stored, when the same events are appended again, then they are stored once and the first answer is returned', async () => {
    const id = stream();
    const events = [testEvent('HandoverRequested'), testEvent('HandoverReceived')];
    const first = await store.append(id, events, { expectedVersion: 0 });
    await store.append(id, [testEvent('HandoverAccepted')]);

    // A retry after a lost response: same ids, stale expected version.
    const retry = await store.append(id, events, { expectedVersion: 0 });

    expect(retry.duplicate).toBe(true);
    expect(retry.nextVersion).toBe(first.nextVersion);
    expect(retry.events.map((e) => e.globalPosition)).toEqual(first.events.map((e) => e.globalPosition));
    expect(await store.readStream(id)).toHaveLength(3);
  });

  it('given a retry that mixes an old event id with a new one, when appended, then it is refused and nothing new is stored', async () => {
    const id = stream();
    const old = testEvent('HandoverRequested');
    await store.append(id, [old]);
    await expect(store.append(id, [old, testEvent('HandoverReceived')])).rejects.toBeInstanceOf(
      IdempotencyMismatchError,
    );
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('given stored events, when anyone tries UPDATE, DELETE or TRUNCATE in SQL, then PostgreSQL refuses and the events are unchanged', async () => {
    const id = stream();
    await store.append(id, [testEvent('HandoverRequested', { reason: 'family-moved' })]);
    const q = (sql: string) => db.dataSource.query(sql, []);

    await expect(q(`UPDATE events SET data = '{"reason":"rewritten"}' WHERE stream_id = '${id}'`)).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(q(`DELETE FROM events WHERE stream_id = '${id}'`)).rejects.toThrow(/append-only: DELETE/);
    await expect(q('TRUNCATE events')).rejects.toThrow(/append-only: TRUNCATE/);

    const [event] = await store.readStream(id);
    expect(event?.data).toEqual({ reason: 'family-moved' });
  });

  it('given concurrent appenders, when a reader follows read-all from its last position, then it sees every event once, in position order', async () => {
    const start = await store.headPosition();
    const seen: RecordedEvent[] = [];
    let writing = true;
    const reader = (async () => {
      let position = start;
      for (;;) {
        const done = !writing; // read once more after the writers finished
        const batch = await store.readAll(position, 50);
        seen.push(...batch);
        position = batch.at(-1)?.globalPosition ?? position;
        if (done && batch.length === 0) return;
      }
    })();

    const streams = Array.from({ length: 20 }, stream);
    await Promise.all(
      streams.map(async (id) => {
        for (let i = 0; i < 10; i++) await store.append(id, [testEvent('Tick', { i })]);
      }),
    );
    writing = false;
    await reader;

    expect(seen).toHaveLength(200);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(200);
    const positions = seen.map((e) => e.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('given a transaction that took a position and commits late, when a reader reads past a later append, then the late event is not skipped', async () => {
    const start = await store.headPosition();
    const slow = db.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    const late = testEvent('LateCommit');
    await store.append(stream(), [late], { manager: slow.manager });

    // A second writer starts while the first has not committed yet.
    const fast = testEvent('FastCommit');
    const fastAppend = store.append(stream(), [fast]);
    await new Promise((r) => setTimeout(r, 300));
    const beforeCommit = await store.readAll(start);

    await slow.commitTransaction();
    await slow.release();
    await fastAppend;

    // The reader saw nothing yet (nothing was committed), so its position stayed at `start`.
    expect(beforeCommit).toEqual([]);
    const after = await store.readAll(start);
    expect(after.map((e) => e.eventId)).toEqual([late.eventId, fast.eventId]);
  });

  describe('appends that arrive together are written together (group commit)', () => {
    it('given 60 appends to 60 streams at once, when stored, then each gets its own answer, they share transactions, positions have no gaps and the chain verifies', async () => {
      const start = await store.headPosition();
      const streams = Array.from({ length: 60 }, stream);
      const answers = await Promise.all(
        streams.map((id, i) =>
          store.append(id, [testEvent('Tick', { i }), testEvent('Tock', { i })], { expectedVersion: 0 }),
        ),
      );

      expect(answers.map((a) => [a.nextVersion, a.duplicate, a.events.map((e) => e.streamId)])).toEqual(
        streams.map((id) => [2, false, [id, id]]),
      );
      const stored = await store.readAll(start, 1000);
      expect(stored.map((e) => e.globalPosition)).toEqual(Array.from({ length: 120 }, (_, i) => start + i + 1));
      // One moment of recording per transaction: fewer moments than appends means they were grouped.
      expect(new Set(stored.map((e) => e.recordedAt)).size).toBeLessThan(60);
      expect((await verifyChain(db.dataSource)).intact).toBe(true);
    });

    it('given a group in which one append expects a stale version, when stored, then only that one is refused and the others are stored', async () => {
      const stale = stream();
      await store.append(stale, [testEvent('HandoverRequested')]);
      const others = Array.from({ length: 10 }, stream);

      const results = await Promise.allSettled([
        ...others.slice(0, 5).map((id) => store.append(id, [testEvent('Tick')], { expectedVersion: 0 })),
        store.append(stale, [testEvent('HandoverReceived')], { expectedVersion: 0 }),
        ...others.slice(5).map((id) => store.append(id, [testEvent('Tick')], { expectedVersion: 0 })),
      ]);

      expect(results.map((r) => r.status)).toEqual([
        ...Array(5).fill('fulfilled'),
        'rejected',
        ...Array(5).fill('fulfilled'),
      ]);
      expect((results[5] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyConflictError);
      for (const id of others) expect(await store.readStream(id)).toHaveLength(1);
      expect(await store.readStream(stale)).toHaveLength(1);
    });

    it('given a group in which one append carries data PostgreSQL refuses, when stored, then only that one fails and the others are stored', async () => {
      const bad = stream();
      const others = Array.from({ length: 10 }, stream);

      const results = await Promise.allSettled([
        ...others.slice(0, 5).map((id) => store.append(id, [testEvent('Tick')])),
        // JSON may carry \u0000, PostgreSQL's jsonb may not (SQLSTATE 22P05).
        store.append(bad, [testEvent('Tick', { note: 'nul \u0000 here' })]),
        ...others.slice(5).map((id) => store.append(id, [testEvent('Tick')])),
      ]);

      expect(results.map((r) => r.status)).toEqual([
        ...Array(5).fill('fulfilled'),
        'rejected',
        ...Array(5).fill('fulfilled'),
      ]);
      for (const id of others) expect(await store.readStream(id)).toHaveLength(1);
      expect(await store.readStream(bad)).toHaveLength(0);
      expect((await verifyChain(db.dataSource)).intact).toBe(true);
    });

    it('given the same append sent twice at once (a retry overtaking its original), when stored, then it is stored once and both get the first answer', async () => {
      const id = stream();
      const events = [testEvent('HandoverRequested'), testEvent('HandoverReceived')];
      // The first append goes alone; the rest, both copies among them, wait and form one group.
      const busy = Array.from({ length: 5 }, () => store.append(stream(), [testEvent('Tick')]));
      const copies = [store.append(id, events), store.append(id, events)] as const;

      await Promise.all(busy);
      const [first, second] = await Promise.all(copies);

      expect(await store.readStream(id)).toHaveLength(2);
      expect(second.events.map((e) => e.globalPosition)).toEqual(first.events.map((e) => e.globalPosition));
      expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    });
  });
});
